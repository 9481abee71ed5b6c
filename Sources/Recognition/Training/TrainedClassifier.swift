import LinearAlgebra

/// The head `orchard train` fits on backbone features: an optional PCA, then the softmax classifier
/// (standardisation included), with its metrics — what a `ClassifierBundle` holds besides provenance.
public struct TrainedClassifier: Sendable {
    /// The projection fitted on the training rows, when one was asked for.
    public var pca: PCAModel?
    /// The classifier, on the PCA's output when there is one.
    public var classifier: SoftmaxClassifier
    /// How training went.
    public var metrics: TrainingMetrics

    /// Fits the head: with `pca`, a PCA on the training rows only (never the validation rows), which
    /// then projects both; then `SoftmaxClassifier.train` on the (projected) rows.
    ///
    /// With `warmStart` (a previous bundle, e.g. trained before the dataset was updated), its PCA is
    /// kept rather than fitted again (the classifier's input must mean the same), and the classifier starts
    /// from its weights; `selection` must then be nil.
    ///
    /// Memory: beside the rows given, their projection (float32, rows × K) and the standardised float64
    /// matrix the classifier is fitted on (rows × K or rows × features).
    public init(
        training: LabeledFeatures, validation: LabeledFeatures? = nil, pca selection: ComponentSelection? = nil,
        options: TrainingOptions = TrainingOptions(), warmStart: ClassifierBundle? = nil,
        progress: (TrainingProgress) -> Void = { _ in }
    ) throws {
        guard training.count > 0 else { throw RecognitionError.noUsableRows(skipped: training.skipped) }
        if warmStart != nil, selection != nil {
            throw RecognitionError.invalidOption(
                name: "pca", reason: "a warm start keeps the previous bundle's PCA (or its absence); do not ask for a new one")
        }
        if let previous = warmStart, previous.featureCount != training.dimension {
            throw RecognitionError.dimensionMismatch(
                expected: previous.featureCount, actual: training.dimension ?? 0, source: "the rows to warm-start on")
        }
        let pca = try warmStart.map(\.pca) ?? selection.map { try training.fitPCA($0) }
        self.pca = pca
        guard let pca else {
            (classifier, metrics) = try SoftmaxClassifier.train(
                training, validation: validation, options: options, warmStart: warmStart?.classifier, progress: progress)
            return
        }
        (classifier, metrics) = try SoftmaxClassifier.train(
            try training.projected(by: pca), validation: try validation?.projected(by: pca), options: options,
            warmStart: warmStart?.classifier, progress: progress)
    }

    /// The bundle of this head with its provenance.
    public func bundle(
        sources: [String], backbone: BackboneIdentity? = nil, embeddedBackbone: [UInt8]? = nil
    ) throws -> ClassifierBundle {
        try ClassifierBundle(
            classifier: classifier, pca: pca, backbone: backbone, metrics: metrics, sources: sources,
            embeddedBackbone: embeddedBackbone)
    }
}
