extension SoftmaxClassifier {
    /// This classifier's parameters for a problem over `labels` standardised by `standardization`, laid
    /// out as training lays them out (weights `dimension` × `labels.count` row-major, then intercepts):
    /// every known class scores each row exactly as it does here, a class it does not know starts at zero.
    ///
    /// Standardisation is affine, so the logits carry over exactly: with old mean m, scale s and new m′, s′,
    /// w′ = w · s′/s and b′ = b + Σ w (m′ − m)/s.
    func parameters(for labels: [String], standardization target: Standardization) throws -> [Double] {
        guard target.dimension == dimension else {
            throw RecognitionError.dimensionMismatch(expected: dimension, actual: target.dimension, source: "the rows to warm-start on")
        }
        let k = labels.count, oldK = self.labels.count, d = dimension
        let oldIndex = Dictionary(uniqueKeysWithValues: self.labels.enumerated().map { ($1, $0) })
        var parameters = [Double](repeating: 0, count: d * k + k)
        for (c, label) in labels.enumerated() {
            guard let old = oldIndex[label] else { continue }
            var intercept = intercepts[old]
            for j in 0..<d {
                let w = weights[j * oldK + old]
                parameters[j * k + c] = w * target.scale[j] / standardization.scale[j]
                intercept += w * (target.mean[j] - standardization.mean[j]) / standardization.scale[j]
            }
            parameters[d * k + c] = intercept
        }
        return parameters
    }
}
