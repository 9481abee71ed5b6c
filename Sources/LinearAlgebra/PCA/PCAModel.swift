import CBLAS

/// A fitted principal component analysis: the mean, K components and their explained variance.
///
/// Matches scikit-learn's `PCA` with `whiten=False`: `transform(x) = (x − mean) · componentsᵀ`.
public struct PCAModel: Sendable, Equatable {
    /// The input dimension d.
    public let dimension: Int
    /// Number of components K.
    public let componentCount: Int
    /// Number of vectors the model was fitted on.
    public let sampleCount: Int
    /// The per-feature mean (d values), subtracted before projecting.
    public let mean: [Double]
    /// Principal axes, K × d row-major, unit length, by decreasing explained variance.
    public let components: [Double]
    /// Variance along each component (eigenvalues of the covariance, divisor n − 1), K values.
    public let explainedVariance: [Double]
    /// Each component's share of the total variance (the covariance's trace), K values.
    public let explainedVarianceRatio: [Double]

    /// A model from its parts, checking that sizes agree and every value is finite.
    public init(
        mean: [Double], components: [Double], explainedVariance: [Double], explainedVarianceRatio: [Double],
        sampleCount: Int
    ) throws {
        let d = mean.count
        let k = explainedVariance.count
        guard (1...CovarianceAccumulator.maxDimension).contains(d) else {
            throw LinearAlgebraError.invalidDimension(d, limit: CovarianceAccumulator.maxDimension)
        }
        guard (1...d).contains(k) else { throw LinearAlgebraError.invalidComponentCount(requested: k, limit: d) }
        guard components.count == k * d else {
            throw LinearAlgebraError.dimensionMismatch(
                expected: k * d, actual: components.count, context: "PCAModel components (K × d)")
        }
        guard explainedVarianceRatio.count == k else {
            throw LinearAlgebraError.dimensionMismatch(
                expected: k, actual: explainedVarianceRatio.count, context: "PCAModel explainedVarianceRatio")
        }
        guard sampleCount >= 2 else { throw LinearAlgebraError.notEnoughSamples(count: sampleCount, required: 2) }
        for (name, values) in [
            ("mean", mean), ("components", components), ("explainedVariance", explainedVariance),
            ("explainedVarianceRatio", explainedVarianceRatio),
        ] where !values.allSatisfy(\.isFinite) {
            throw LinearAlgebraError.malformedData(what: "PCA model", offset: 0, reason: "\(name) holds a non-finite value")
        }
        self.dimension = d
        self.componentCount = k
        self.sampleCount = sampleCount
        self.mean = mean
        self.components = components
        self.explainedVariance = explainedVariance
        self.explainedVarianceRatio = explainedVarianceRatio
    }

    /// Fits a PCA to the vectors summarised by `accumulator`.
    ///
    /// Covariance C = (Σyyᵀ − n·ȳȳᵀ)/(n − 1) with y = x − shift, then LAPACK (`SymmetricEigen`);
    /// eigenpairs are sorted by decreasing eigenvalue, negative round-off eigenvalues clipped to 0, and each
    /// component's sign chosen so its largest-magnitude entry is positive — scikit-learn's
    /// `svd_flip(u_based_decision=False)`, which its `PCA` applies for the full and covariance solvers.
    public static func fit(_ accumulator: CovarianceAccumulator, components selection: ComponentSelection) throws
        -> PCAModel
    {
        let acc = accumulator.flushed()
        let n = acc.flushedCount
        let d = acc.dimension
        guard n >= 2 else { throw LinearAlgebraError.notEnoughSamples(count: n, required: 2) }
        let limit = min(n, d)
        if case .count(let k) = selection, !(1...limit).contains(k) {
            throw LinearAlgebraError.invalidComponentCount(requested: k, limit: limit)
        }
        if case .varianceRatio(let r) = selection, !(r > 0 && r < 1) {
            throw LinearAlgebraError.invalidVarianceRatio(r)
        }

        // Upper triangle of (S₂ − S₁S₁ᵀ/n)/(n − 1), row-major.
        var covariance = acc.crossProducts
        let scale = 1 / Double(n - 1)
        covariance.withUnsafeMutableBufferPointer { c in
            cblas_dsyr(CblasRowMajor, CblasUpper, Int32(d), -1 / Double(n), acc.shiftedSum, 1, c.baseAddress, Int32(d))
            cblas_dscal(Int32(d * d), scale, c.baseAddress, 1)
        }
        let totalVariance = (0..<d).reduce(0.0) { $0 + covariance[$1 * d + $1] }

        // K first (all eigenvalues are needed only to pick K by variance), then K eigenpairs.
        let k: Int
        switch selection {
        case .count(let count):
            k = count
        case .varianceRatio:
            let all = try SymmetricEigen.eigenvalues(ofUpper: covariance, dimension: d)
            let ratios = all.map { totalVariance > 0 ? max($0, 0) / totalVariance : 0 }
            k = componentCount(for: selection, ratios: ratios, limit: limit)
        }
        let (values, vectors) = try SymmetricEigen.leading(k, ofUpper: &covariance, dimension: d)
        // Round-off can leave tiny negative eigenvalues of a semi-definite matrix: clip, as sklearn does.
        let variance = values.map { max($0, 0) }
        let ratio = variance.map { totalVariance > 0 ? $0 / totalVariance : 0 }

        var axes = vectors
        for c in 0..<k {
            // svd_flip: the first entry of largest magnitude becomes positive.
            let row = (c * d)..<((c + 1) * d)
            var pivot = row.lowerBound
            for i in row where abs(axes[i]) > abs(axes[pivot]) { pivot = i }
            if axes[pivot] < 0 { for i in row { axes[i] = -axes[i] } }
        }
        let mean = (0..<d).map { acc.shift[$0] + acc.shiftedSum[$0] / Double(n) }
        return try PCAModel(
            mean: mean, components: axes, explainedVariance: variance, explainedVarianceRatio: ratio,
            sampleCount: n)
    }

    /// K for `selection` given all ratios in decreasing order (sklearn's rule for fractions).
    static func componentCount(for selection: ComponentSelection, ratios: [Double], limit: Int) -> Int {
        switch selection {
        case .count(let k):
            return k
        case .varianceRatio(let target):
            var cumulative = 0.0
            var atOrBelow = 0
            for r in ratios {
                cumulative += r
                if cumulative <= target { atOrBelow += 1 } else { break }
            }
            return min(atOrBelow + 1, limit)
        }
    }
}
