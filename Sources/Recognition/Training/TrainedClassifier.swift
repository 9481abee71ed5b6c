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
    /// Memory: beside the rows given, their projection (float32, rows × K) and the standardised float64
    /// matrix the classifier is fitted on (rows × K or rows × features).
    public init(
        training: LabeledFeatures, validation: LabeledFeatures? = nil, pca selection: ComponentSelection? = nil,
        options: TrainingOptions = TrainingOptions(), progress: (TrainingProgress) -> Void = { _ in }
    ) throws {
        guard training.count > 0 else { throw RecognitionError.noUsableRows(skipped: training.skipped) }
        guard let selection else {
            (classifier, metrics) = try SoftmaxClassifier.train(training, validation: validation, options: options, progress: progress)
            return
        }
        let pca = try training.fitPCA(selection)
        self.pca = pca
        (classifier, metrics) = try SoftmaxClassifier.train(
            try training.projected(by: pca), validation: try validation?.projected(by: pca), options: options, progress: progress)
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
