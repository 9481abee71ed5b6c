import Foundation

/// Everything `orchard report` shows about one featurize run; plain values, filled by the caller.
public struct RunReportData: Sendable, Codable, Equatable {
    /// One image that could not be featurised.
    public struct Failure: Sendable, Codable, Equatable {
        /// The image's path or URL as the user gave it.
        public var path: String
        /// Why it failed (the short reason or the full message).
        public var reason: String

        /// A failure of `path` for `reason`.
        public init(path: String, reason: String) {
            self.path = path
            self.reason = reason
        }
    }

    /// One image placed by its first two PCA coordinates.
    public struct ScatterPoint: Sendable, Codable, Equatable {
        /// Coordinate on the first principal component.
        public var x: Float
        /// Coordinate on the second principal component.
        public var y: Float
        /// The image's class label.
        public var label: String

        /// A point at (`x`, `y`) of class `label`.
        public init(x: Float, y: Float, label: String) {
            self.x = x
            self.y = y
            self.label = label
        }
    }

    /// The report's heading.
    public var title: String
    /// Where the images came from (folder, glob or s3:// URL).
    public var input: String
    /// Where the dataset was written.
    public var output: String
    /// The feature model (file name or description).
    public var model: String
    /// The engine that ran the job ("local" or "spark").
    public var engine: String
    /// When the run finished (when the report was made, if `finishTimeKnown` is false).
    public var createdAt: Date
    /// Whether `createdAt` is the run's end, as the dataset records it.
    public var finishTimeKnown = true
    /// Images featurised successfully.
    public var imageCount: Int
    /// Images that failed.
    public var failureCount: Int
    /// Failure counts by short reason.
    public var failuresByReason: [String: Int]
    /// Some failures to list (the renderer shows the first `maxFailuresListed`).
    public var failures: [Failure]
    /// Images per class label.
    public var imagesPerLabel: [String: Int]
    /// Wall-clock seconds of the run.
    public var seconds: Double
    /// Images per second of the run.
    public var imagesPerSecond: Double
    /// Length of the feature vectors before PCA (0 when unknown).
    public var featureDimension: Int
    /// Explained-variance ratio of each kept PCA component, in order; empty without PCA.
    public var explainedVarianceRatio: [Double]
    /// A sample of images on the first two components (the renderer draws at most `maxScatterPoints`).
    public var scatter: [ScatterPoint]
    /// With a classifier (`featurize --classifier`): images per true label, then per predicted label.
    public var confusion: [String: [String: Int]]?
    /// The classifier bundle's file name, when one ran.
    public var classifier: String?
    /// The dataset's versions (a first run, then each `--update`), oldest first; empty when not recorded.
    public var history: [DatasetManifest.Version] = []

    /// Failures listed by name in the report; the rest are only counted.
    public static let maxFailuresListed = 50
    /// Points drawn in the scatter plot; a larger sample is thinned evenly.
    public static let maxScatterPoints = 5000

    /// A report's data; every collection may be empty.
    public init(
        title: String, input: String, output: String, model: String, engine: String = "local",
        createdAt: Date = Date(), imageCount: Int, failureCount: Int, failuresByReason: [String: Int] = [:],
        failures: [Failure] = [], imagesPerLabel: [String: Int] = [:], seconds: Double, imagesPerSecond: Double,
        featureDimension: Int = 0, explainedVarianceRatio: [Double] = [], scatter: [ScatterPoint] = [],
        confusion: [String: [String: Int]]? = nil, classifier: String? = nil
    ) {
        self.confusion = confusion
        self.classifier = classifier
        self.title = title
        self.input = input
        self.output = output
        self.model = model
        self.engine = engine
        self.createdAt = createdAt
        self.imageCount = imageCount
        self.failureCount = failureCount
        self.failuresByReason = failuresByReason
        self.failures = failures
        self.imagesPerLabel = imagesPerLabel
        self.seconds = seconds
        self.imagesPerSecond = imagesPerSecond
        self.featureDimension = featureDimension
        self.explainedVarianceRatio = explainedVarianceRatio
        self.scatter = scatter
    }
}
