/// One row of an output dataset: an image, its label, and its vectors or the reason it failed.
public struct FeatureRow: Sendable, Equatable {
    /// The image's location as given (local path or s3:// URI).
    public var path: String
    /// The image's folder name.
    public var label: String
    /// MobileNetV2's pooled features; nil when the image failed.
    public var features: [Float]?
    /// PCA components; nil when the image failed or no PCA was asked.
    public var pca: [Float]?
    /// The classifier's most probable label; nil when the image failed or no classifier was given.
    public var prediction: String?
    /// The probability of `prediction`.
    public var probability: Double?
    /// Why the image failed; nil on success.
    public var error: String?

    public init(
        path: String, label: String, features: [Float]?, pca: [Float]? = nil, prediction: String? = nil,
        probability: Double? = nil, error: String? = nil
    ) {
        self.path = path
        self.label = label
        self.features = features
        self.pca = pca
        self.prediction = prediction
        self.probability = probability
        self.error = error
    }
}
