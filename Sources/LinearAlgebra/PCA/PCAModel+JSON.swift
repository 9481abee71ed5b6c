import Foundation

/// The human-readable JSON sidecar written next to a model file (summary only, no matrices).
extension PCAModel {
    /// What the sidecar holds; field names follow scikit-learn's attributes.
    public struct Summary: Codable, Sendable, Equatable {
        /// Always "orchard-pca", to recognise the file.
        public var format = "orchard-pca"
        /// The binary model format's version (the digit in its magic).
        public var version = 1
        /// Input dimension d (sklearn `n_features_in_`).
        public var nFeatures: Int
        /// Number of components K (sklearn `n_components_`).
        public var nComponents: Int
        /// Number of fitted vectors (sklearn `n_samples_`).
        public var nSamples: Int
        /// Per-component variance (sklearn `explained_variance_`).
        public var explainedVariance: [Double]
        /// Per-component variance share (sklearn `explained_variance_ratio_`).
        public var explainedVarianceRatio: [Double]
        /// Running total of the ratios; its last value is the share of variance the model keeps.
        public var cumulativeExplainedVarianceRatio: [Double]
    }

    /// The sidecar's content.
    public var summary: Summary {
        var running = 0.0
        return Summary(
            nFeatures: dimension, nComponents: componentCount, nSamples: sampleCount,
            explainedVariance: explainedVariance, explainedVarianceRatio: explainedVarianceRatio,
            cumulativeExplainedVarianceRatio: explainedVarianceRatio.map { running += $0; return running })
    }

    /// The sidecar as pretty-printed JSON with snake_case keys.
    public func toJSON() throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        encoder.keyEncodingStrategy = .convertToSnakeCase
        return try encoder.encode(summary)
    }
}
