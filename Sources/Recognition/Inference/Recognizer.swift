import Imaging
import MobileNet

/// Image bytes in, fruit out: the backbone's features, then the bundle's PCA and classifier.
///
/// Safe to share: any number of callers may classify at once; each image checks out one of the pool's
/// networks, and callers beyond `workers` wait their turn (or get `.busy` past `maxWaiting`).
public final class Recognizer: Sendable {
    /// The classifier and what it was trained on.
    public let bundle: ClassifierBundle
    /// The networks that compute features.
    public let pool: FeaturePool

    /// A recognizer running `workers` single-threaded networks on `backend` over `backbone`.
    public convenience init(
        bundle: ClassifierBundle, backbone: MobileNetV2Weights, workers: Int, limits: ImageLimits = ImageLimits(),
        maxWaiting: Int = .max, backend: InferenceBackend = .preferred
    ) throws {
        let extractors = try MobileNetFeatureExtractor.pool(of: workers, weights: backbone, limits: limits, backend: backend)
        try self.init(bundle: bundle, pool: FeaturePool(extractors: extractors, maxWaiting: maxWaiting))
    }

    /// A recognizer over `pool` (tests give it extractors that stand in for the network).
    init(bundle: ClassifierBundle, pool: FeaturePool) throws {
        guard pool.featureCount == bundle.featureCount else {
            throw RecognitionError.dimensionMismatch(
                expected: bundle.featureCount, actual: pool.featureCount, source: "the backbone's features")
        }
        self.bundle = bundle
        self.pool = pool
    }

    /// The `top` most probable fruits for the image in `bytes`; `name` labels errors.
    public func classify(_ bytes: [UInt8], name: String, top: Int = 5) async throws -> Prediction {
        let features = try await pool.features(of: bytes, name: name)
        return try predict(features: features, top: top)
    }

    /// As `classify`, with the time spent decoding and in the network (the classifier head counted as network).
    public func classifyTimed(_ bytes: [UInt8], name: String, top: Int = 5) async throws -> (prediction: Prediction, timings: TimedFeatures) {
        var timed = try await pool.timedFeatures(of: bytes, name: name)
        let clock = ContinuousClock()
        let start = clock.now
        let prediction = try predict(features: timed.features, top: top)
        timed.network += clock.now - start
        return (prediction, timed)
    }

    /// The prediction for features already computed by this bundle's backbone.
    public func predict(features: [Float], top: Int = 5) throws -> Prediction {
        Prediction(probabilities: try bundle.probabilities(for: features), labels: bundle.labels, top: top)
    }
}
