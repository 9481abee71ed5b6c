import Imaging
import MobileNet

/// Turns one image file's bytes into its feature vector. Each worker thread owns one; never shared.
public protocol FeatureExtractor {
    /// The length of every vector it returns.
    var featureCount: Int { get }
    /// The features of the image in `bytes`; throws a descriptive error for a bad image.
    mutating func features(of bytes: [UInt8], name: String) throws -> [Float]
    /// The features and how long decoding and the network took (for servers that report timings).
    mutating func timedFeatures(of bytes: [UInt8], name: String) throws -> TimedFeatures
}

/// One image's features and where its time went.
public struct TimedFeatures: Sendable {
    /// The feature vector.
    public var features: [Float]
    /// Decoding, orientation and resizing to the network's input.
    public var decode: Duration
    /// The network's forward pass.
    public var network: Duration

    /// Features with their timings.
    public init(features: [Float], decode: Duration, network: Duration) {
        self.features = features
        self.decode = decode
        self.network = network
    }
}

/// Keras's MobileNetV2 preprocessing and network: decode, 224×224 bicubic, [-1, 1], pooled features.
public struct MobileNetFeatureExtractor: FeatureExtractor {
    private var preparer: ModelInputPreparer
    private let model: MobileNetV2
    private var input: [Float]

    /// One network of `threads` threads on `backend` over `weights`; the weights are shared, the runtime is not.
    public init(weights: MobileNetV2Weights, limits: ImageLimits, threads: Int = 1,
                backend: InferenceBackend = .preferred) throws
    {
        model = try MobileNetV2(weights: weights, inputSize: 224, threads: threads, backend: backend)
        preparer = ModelInputPreparer(side: 224, limits: limits)
        input = [Float](repeating: 0, count: 224 * 224 * 3)
    }

    /// `count` (at least one) single-threaded extractors over the same weights, for features only: an
    /// ImageNet top in `weights` is left out, since its 1280×1000 layer (5 MB of weights streamed from
    /// memory for every image) computes probabilities no caller of `features(of:)` reads.
    public static func pool(
        of count: Int, weights: MobileNetV2Weights, limits: ImageLimits, backend: InferenceBackend = .preferred
    ) throws -> [any FeatureExtractor] {
        var backbone = weights
        backbone.classifier = nil
        return try (0 ..< max(1, count)).map { _ in
            try MobileNetFeatureExtractor(weights: backbone, limits: limits, backend: backend)
        }
    }

    /// The backend computing the network, and why when `.automatic` chose it.
    public var backendDescription: String { model.backendDescription }

    public var featureCount: Int { model.featureCount }

    public mutating func features(of bytes: [UInt8], name: String) throws -> [Float] {
        try output(of: bytes, name: name).features
    }

    public mutating func timedFeatures(of bytes: [UInt8], name: String) throws -> TimedFeatures {
        let clock = ContinuousClock()
        let start = clock.now
        try input.withUnsafeMutableBufferPointer { buffer in
            try preparer.prepare(bytes, name: name, into: buffer)
        }
        let decoded = clock.now
        let output = try input.withUnsafeBufferPointer { try model.run(input: $0) }
        return TimedFeatures(features: output.features, decode: decoded - start, network: clock.now - decoded)
    }

    /// Everything the network gives for the image: features, and ImageNet probabilities when it has its top.
    public mutating func output(of bytes: [UInt8], name: String) throws -> ModelOutput {
        try input.withUnsafeMutableBufferPointer { buffer in
            try preparer.prepare(bytes, name: name, into: buffer)
        }
        return try input.withUnsafeBufferPointer { try model.run(input: $0) }
    }
}
