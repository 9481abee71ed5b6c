import CBLAS

/// Projection of vectors onto the principal components, `(x − mean) · componentsᵀ`, in float64.
extension PCAModel {
    /// Rows centred and projected per `dgemm` call, bounding scratch memory to 256 × d float64.
    static let transformBlockRows = 256

    /// Projects rows stored back to back in `x` (a multiple of d values) into `output`
    /// (rows × K values, row-major). One row is simply a batch of one.
    public func transform(_ x: UnsafeBufferPointer<Float>, into output: UnsafeMutableBufferPointer<Float>) throws {
        let d = dimension
        let k = componentCount
        guard x.count % d == 0 else {
            throw LinearAlgebraError.dimensionMismatch(
                expected: d, actual: x.count, context: "PCAModel.transform input (length must be a multiple of)")
        }
        let rows = x.count / d
        guard output.count == rows * k else {
            throw LinearAlgebraError.dimensionMismatch(
                expected: rows * k, actual: output.count, context: "PCAModel.transform output (rows × K)")
        }
        let block = min(rows, Self.transformBlockRows)
        var centred = [Double](repeating: 0, count: block * d)
        var projected = [Double](repeating: 0, count: block * k)
        var start = 0
        while start < rows {
            let count = min(block, rows - start)
            mean.withUnsafeBufferPointer { mu in
                for r in 0..<count {
                    for j in 0..<d { centred[r * d + j] = Double(x[(start + r) * d + j]) - mu[j] }
                }
            }
            // projected (count × K) = centred (count × d) · componentsᵀ (d × K)
            cblas_dgemm(
                CblasRowMajor, CblasNoTrans, CblasTrans, Int32(count), Int32(k), Int32(d),
                1.0, centred, Int32(d), components, Int32(d), 0.0, &projected, Int32(k))
            for i in 0..<(count * k) { output[start * k + i] = Float(projected[i]) }
            start += count
        }
    }

    /// Projects rows stored back to back in an array; returns rows × K values, row-major.
    public func transform(_ x: [Float]) throws -> [Float] {
        guard x.count % dimension == 0 else {
            throw LinearAlgebraError.dimensionMismatch(
                expected: dimension, actual: x.count, context: "PCAModel.transform input (length must be a multiple of)")
        }
        var output = [Float](repeating: 0, count: x.count / dimension * componentCount)
        try x.withUnsafeBufferPointer { input in
            try output.withUnsafeMutableBufferPointer { try transform(input, into: $0) }
        }
        return output
    }
}
