/// A trained classifier with what it was trained on: the unit `orchard train` writes and
/// `orchard evaluate` reads (file format in `ClassifierBundle+File.swift`).
public struct ClassifierBundle: Sendable, Equatable, Codable {
    /// The classifier: labels, standardisation, weights and intercepts.
    public var classifier: SoftmaxClassifier
    /// How training went.
    public var metrics: TrainingMetrics
    /// The datasets trained on, as given.
    public var sources: [String]

    /// A bundle from its parts.
    public init(classifier: SoftmaxClassifier, metrics: TrainingMetrics, sources: [String]) {
        self.classifier = classifier
        self.metrics = metrics
        self.sources = sources
    }

    /// The class names, sorted.
    public var labels: [String] { classifier.labels }
}
