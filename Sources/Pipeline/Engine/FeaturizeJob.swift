import LinearAlgebra
import MobileNet
import Storage

/// Everything that defines one `orchard featurize` run.
public struct FeaturizeJob: Sendable {
    /// The folder or prefix of images.
    public var input: StorageLocation
    /// The dataset folder or prefix to write.
    public var output: StorageLocation
    /// The weight file (Keras .h5 or TFLite).
    public var modelPath: String
    /// PCA to fit and apply, if any.
    public var pca: ComponentSelection?
    /// Worker threads, each running its own batch-1 network.
    public var threads: Int
    /// The library the networks run on.
    public var backend: InferenceBackend
    /// Images per output part; bounds part size and the work redone after an interruption.
    public var imagesPerPart: Int
    /// Delete what OUT holds and start over.
    public var overwrite: Bool
    /// The largest image file accepted, in bytes.
    public var maxImageBytes: Int
    /// The largest image accepted, in pixels (decompression-bomb guard).
    public var maxImagePixels: Int
    /// A classifier bundle whose prediction each row gets (`prediction`, `probability` columns), if any.
    public var classifierPath: String?
    /// Bring an existing dataset in OUT up to date with INPUT, featurizing only new or changed images.
    public var update = false
    /// What an update does with the dataset's PCA.
    public var pcaUpdate = PCAUpdatePolicy.auto

    public init(
        input: StorageLocation, output: StorageLocation, modelPath: String, pca: ComponentSelection? = nil,
        threads: Int, imagesPerPart: Int = 1000, overwrite: Bool = false,
        maxImageBytes: Int = 64 << 20, maxImagePixels: Int = 50_000_000, classifierPath: String? = nil,
        backend: InferenceBackend = .preferred
    ) {
        self.backend = backend
        self.classifierPath = classifierPath
        self.input = input
        self.output = output
        self.modelPath = modelPath
        self.pca = pca
        self.threads = threads
        self.imagesPerPart = imagesPerPart
        self.overwrite = overwrite
        self.maxImageBytes = maxImageBytes
        self.maxImagePixels = maxImagePixels
    }
}
