import CBLAS

/// Streaming float64 sums for the mean and covariance of vectors of one dimension; mergeable.
///
/// Rows are buffered as a float64 block (up to `blockRows`) and folded into the cross-product
/// matrix with one BLAS `dsyrk` per block, which is what makes accumulation fast.
///
/// Precision: `Σxxᵀ − n·x̄x̄ᵀ` loses digits when the mean is large next to the spread (ImageNet
/// features are all positive). So every row is first shifted by a fixed vector `shift` — the
/// mean of the first block this accumulator flushed — and the sums are kept over `x − shift`;
/// the shift cancels exactly in the covariance. Merging re-bases the other side's sums onto this
/// side's shift (see `merge`).
public struct CovarianceAccumulator: Sendable {
    /// Rows buffered before one `dsyrk` update.
    public static let blockRows = 256
    /// Largest supported dimension: the d×d float64 matrix takes 8·d² bytes (512 MiB at 8,192).
    public static let maxDimension = 8192

    /// The dimension d of every vector.
    public let dimension: Int
    /// Rows folded into the sums (not counting those still buffered).
    var flushedCount = 0
    /// The fixed shift subtracted before accumulating; empty until the first flush.
    var shift: [Double] = []
    /// Σ (x − shift), d values.
    var shiftedSum: [Double]
    /// Σ (x − shift)(x − shift)ᵀ, d×d row-major; only the upper triangle (j ≥ i) is kept up to date.
    var crossProducts: [Double]
    /// Pending rows, row-major, `bufferedRows` × d (allocated on first use).
    var buffer: [Double] = []
    var bufferedRows = 0

    /// An empty accumulator for vectors of `dimension` values.
    public init(dimension: Int) throws {
        guard (1...Self.maxDimension).contains(dimension) else {
            throw LinearAlgebraError.invalidDimension(dimension, limit: Self.maxDimension)
        }
        self.dimension = dimension
        shiftedSum = [Double](repeating: 0, count: dimension)
        crossProducts = [Double](repeating: 0, count: dimension * dimension)
    }

    /// Number of vectors added so far (including merged ones).
    public var count: Int { flushedCount + bufferedRows }

    /// The mean of all vectors added so far (zeros when empty).
    public var mean: [Double] {
        let done = flushed()
        guard done.flushedCount > 0 else { return [Double](repeating: 0, count: dimension) }
        let n = Double(done.flushedCount)
        return (0..<dimension).map { done.shift[$0] + done.shiftedSum[$0] / n }
    }

    /// Adds one or more vectors stored back to back (`rows.count` must be a multiple of d).
    public mutating func add(_ rows: UnsafeBufferPointer<Float>) throws {
        let d = dimension
        guard rows.count % d == 0 else {
            throw LinearAlgebraError.dimensionMismatch(
                expected: d, actual: rows.count, context: "CovarianceAccumulator.add (length must be a multiple of)")
        }
        // Reject NaN/∞ before touching any state: one would poison every sum for good.
        if let bad = rows.firstIndex(where: { !$0.isFinite }) {
            throw LinearAlgebraError.nonFiniteValue(row: bad / d, column: bad % d)
        }
        if buffer.isEmpty { buffer = [Double](repeating: 0, count: Self.blockRows * d) }
        var row = 0
        let total = rows.count / d
        while row < total {
            let take = min(Self.blockRows - bufferedRows, total - row)
            buffer.withUnsafeMutableBufferPointer { dst in
                for i in 0..<(take * d) { dst[bufferedRows * d + i] = Double(rows[row * d + i]) }
            }
            bufferedRows += take
            row += take
            if bufferedRows == Self.blockRows { flush() }
        }
    }

    /// Adds vectors stored back to back in an array (`rows.count` must be a multiple of d).
    public mutating func add(_ rows: [Float]) throws {
        try rows.withUnsafeBufferPointer { try add($0) }
    }

    /// Folds the buffered rows into the sums.
    mutating func flush() {
        guard bufferedRows > 0 else { return }
        let d = dimension
        let rows = bufferedRows
        if shift.isEmpty {
            shift = [Double](repeating: 0, count: d)
            for r in 0..<rows { for j in 0..<d { shift[j] += buffer[r * d + j] } }
            for j in 0..<d { shift[j] /= Double(rows) }
        }
        buffer.withUnsafeMutableBufferPointer { block in
            shift.withUnsafeBufferPointer { s in
                shiftedSum.withUnsafeMutableBufferPointer { sum in
                    for r in 0..<rows {
                        for j in 0..<d {
                            let centred = block[r * d + j] - s[j]
                            block[r * d + j] = centred
                            sum[j] += centred
                        }
                    }
                }
            }
            crossProducts.withUnsafeMutableBufferPointer { c in
                // C ← 1·BᵀB + 1·C with B the rows×d block: the upper triangle of Σ yyᵀ.
                cblas_dsyrk(
                    CblasRowMajor, CblasUpper, CblasTrans, Int32(d), Int32(rows),
                    1.0, block.baseAddress, Int32(d), 1.0, c.baseAddress, Int32(d))
            }
        }
        flushedCount += rows
        bufferedRows = 0
    }

    /// A copy with nothing left in the buffer (the form that merges, serialises and fits).
    func flushed() -> CovarianceAccumulator {
        var copy = self
        copy.flush()
        copy.buffer = []
        return copy
    }

    /// Adds the vectors summarised by `other` (for example a partition's partial fit).
    ///
    /// With shifts a (ours) and b (theirs) and δ = b − a, their rows satisfy x − a = (x − b) + δ, so
    /// Σ(x−a) = S₁ + mδ and Σ(x−a)(x−a)ᵀ = S₂ + S₁δᵀ + δS₁ᵀ + mδδᵀ (one `dsyr2`, one `dsyr`).
    /// Both shifts lie near the data's mean, so δ is small and the re-basing costs no precision.
    public mutating func merge(_ other: CovarianceAccumulator) throws {
        guard other.dimension == dimension else {
            throw LinearAlgebraError.dimensionMismatch(
                expected: dimension, actual: other.dimension, context: "CovarianceAccumulator.merge")
        }
        let theirs = other.flushed()
        guard theirs.flushedCount > 0 else { return }
        flush()
        guard flushedCount > 0 else {
            let keep = buffer
            self = theirs
            buffer = keep
            return
        }
        let d = Int32(dimension)
        let m = Double(theirs.flushedCount)
        let delta = (0..<dimension).map { theirs.shift[$0] - shift[$0] }
        crossProducts.withUnsafeMutableBufferPointer { c in
            theirs.crossProducts.withUnsafeBufferPointer { s2 in
                // Only the upper triangles are meaningful; adding the whole arrays is simpler and as fast.
                cblas_daxpy(d * d, 1.0, s2.baseAddress, 1, c.baseAddress, 1)
            }
            cblas_dsyr2(CblasRowMajor, CblasUpper, d, 1.0, theirs.shiftedSum, 1, delta, 1, c.baseAddress, d)
            cblas_dsyr(CblasRowMajor, CblasUpper, d, m, delta, 1, c.baseAddress, d)
        }
        for j in 0..<dimension { shiftedSum[j] += theirs.shiftedSum[j] + m * delta[j] }
        flushedCount += theirs.flushedCount
    }
}
