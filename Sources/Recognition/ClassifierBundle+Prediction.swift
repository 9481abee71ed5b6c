import LinearAlgebra

extension ClassifierBundle {
    /// The probability of each class (in `labels` order) for one image's backbone features.
    public func probabilities(for features: [Float]) throws -> [Double] {
        guard features.count == featureCount else {
            throw RecognitionError.dimensionMismatch(expected: featureCount, actual: features.count, source: "the image's features")
        }
        return classifier.predictProbabilities(try pca?.transform(features) ?? features)
    }

    /// The whole chain after the backbone (PCA, standardisation, weights) folded into one affine map:
    /// `logits = features · weights + bias`, `weights` being `featureCount × labels.count` row-major.
    ///
    /// Exact in float64 (every stage is affine); what an exported model or a GPU runs as one matrix product.
    public func affineHead() -> (weights: [Double], bias: [Double]) {
        let k = labels.count
        let m = classifier.dimension
        let standardization = classifier.standardization
        // The classifier on raw (pre-standardisation) inputs: W'[j,c] = W[j,c] / scale[j],
        // b'[c] = b[c] − Σ_j mean[j] · W'[j,c].
        var scaled = [Double](repeating: 0, count: m * k)
        var bias = classifier.intercepts
        for j in 0..<m {
            for c in 0..<k {
                let w = classifier.weights[j * k + c] / standardization.scale[j]
                scaled[j * k + c] = w
                bias[c] -= standardization.mean[j] * w
            }
        }
        guard let pca else { return (scaled, bias) }
        // Through the projection y = P (x − μ): A = Pᵀ W' (d × k), b'' = b' − μ · A.
        let d = pca.dimension
        var folded = [Double](repeating: 0, count: d * k)
        for j in 0..<m {
            for i in 0..<d {
                let p = pca.components[j * d + i]
                guard p != 0 else { continue }
                for c in 0..<k { folded[i * k + c] += p * scaled[j * k + c] }
            }
        }
        for i in 0..<d {
            for c in 0..<k { bias[c] -= pca.mean[i] * folded[i * k + c] }
        }
        return (folded, bias)
    }
}
