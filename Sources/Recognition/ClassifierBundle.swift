import LinearAlgebra

/// A trained classifier with what it was trained on: the unit `orchard train` writes and
/// `orchard evaluate`, `classify` and `export` read (file format in `ClassifierBundle+File.swift`).
///
/// Features flow: backbone features → PCA (when present) → standardisation → softmax classifier.
public struct ClassifierBundle: Sendable, Equatable, Codable {
    /// The classifier: labels, standardisation, weights and intercepts.
    public var classifier: SoftmaxClassifier
    /// The projection applied to the backbone's features before the classifier, when trained with one.
    public var pca: PCAModel?
    /// The network whose features the classifier was trained on, when the datasets recorded it.
    public var backbone: BackboneIdentity?
    /// How training went.
    public var metrics: TrainingMetrics
    /// The datasets trained on, as given.
    public var sources: [String]
    /// The backbone's weight file itself (`--embed-backbone`), so the bundle alone can classify.
    /// Stored as its own section of the file, not in the JSON payload.
    public var embeddedBackbone: [UInt8]?

    /// A bundle from its parts; throws when the PCA's output does not fit the classifier's input.
    public init(
        classifier: SoftmaxClassifier, pca: PCAModel? = nil, backbone: BackboneIdentity? = nil,
        metrics: TrainingMetrics, sources: [String], embeddedBackbone: [UInt8]? = nil
    ) throws {
        if let pca, pca.componentCount != classifier.dimension {
            throw RecognitionError.dimensionMismatch(
                expected: classifier.dimension, actual: pca.componentCount, source: "the bundle's PCA output")
        }
        if let backbone, backbone.featureCount != (pca?.dimension ?? classifier.dimension) {
            throw RecognitionError.dimensionMismatch(
                expected: pca?.dimension ?? classifier.dimension, actual: backbone.featureCount,
                source: "the bundle's backbone (\(backbone.name))")
        }
        self.classifier = classifier
        self.pca = pca
        self.backbone = backbone
        self.metrics = metrics
        self.sources = sources
        self.embeddedBackbone = embeddedBackbone
    }

    private enum CodingKeys: String, CodingKey { case classifier, pca, backbone, metrics, sources }

    /// Decodes through the checked initialiser (the embedded backbone is read from its own section).
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        try self.init(
            classifier: container.decode(SoftmaxClassifier.self, forKey: .classifier),
            pca: container.decodeIfPresent(PCAModel.self, forKey: .pca),
            backbone: container.decodeIfPresent(BackboneIdentity.self, forKey: .backbone),
            metrics: container.decode(TrainingMetrics.self, forKey: .metrics),
            sources: container.decode([String].self, forKey: .sources))
    }

    /// The class names, sorted.
    public var labels: [String] { classifier.labels }

    /// The length of the backbone feature vectors the bundle takes.
    public var featureCount: Int { pca?.dimension ?? classifier.dimension }
}
