// MobileNetV2 (Sandler et al. 2018, arXiv 1801.04381) run on one `InferenceBackend`: XNNPACK's subgraph
// API (https://github.com/google/XNNPACK, Debian 0.0~git20220216) or oneDNN's primitives
// (https://github.com/oneapi-src/oneDNN, Debian 2.6.3); fp32, batch 1.
import Synchronization

/// MobileNetV2 built once as one runtime of its backend and reused for every image.
///
/// One instance runs one image at a time: `run` holds a lock, so concurrent calls on the same instance
/// wait for each other. For parallelism create one instance per thread (each with `threads: 1`), or
/// one instance with `threads: n` (XNNPACK's pthreadpool, oneDNN's OpenMP team). Prefer the former on a shared machine:
/// a pthreadpool runtime waits for every worker at each of its ~65 layers, and when cores are
/// oversubscribed those waits dominate (bench/inference.py at load 19 on 2 cores: 0.8 images/s for one
/// 2-thread runtime, 29 for two 1-thread instances).
public final class MobileNetV2: @unchecked Sendable {
    /// The widths this network was built with.
    public let architecture: MobileNetV2Architecture
    /// Height and width of the square input.
    public let inputSize: Int
    /// Length of `ModelOutput.features`.
    public var featureCount: Int { architecture.headChannels }
    /// Whether `run` returns probabilities (the weights had the `predictions` layer).
    public var hasClassifier: Bool { classCount > 0 }

    /// The library computing the layers (with `.automatic` asked, the one it stands for on this CPU).
    public let backend: InferenceBackend
    /// Whether `backend` was chosen by `.automatic`.
    public let chosenAutomatically: Bool

    /// `backend`, and why when `.automatic` chose it: "hybrid (auto: Orchard's kernels run avx512f)".
    public var backendDescription: String {
        guard chosenAutomatically else { return backend.rawValue }
        return "\(backend) (auto: Orchard's kernels run \(InferenceBackend.kernelsISA))"
    }

    private let classCount: Int
    private let runtime: Mutex<any NetworkRuntime>

    /// Builds the network for `weights` (checked against the architecture of their alpha), for square
    /// inputs of `inputSize` (32…2048), running on `threads` threads (1…64) of `backend`.
    public init(weights: MobileNetV2Weights, inputSize: Int = 224, threads: Int = 1,
                backend: InferenceBackend = .preferred) throws(ModelError)
    {
        guard (32...2048).contains(inputSize) else { throw .invalidArgument("input size \(inputSize) is not in 32...2048") }
        guard (1...64).contains(threads) else { throw .invalidArgument("thread count \(threads) is not in 1...64") }
        let architecture = try MobileNetV2Architecture(alpha: weights.alpha)
        try architecture.check(weights)
        self.architecture = architecture
        self.inputSize = inputSize
        classCount = weights.classifier?.bias.count ?? 0
        self.backend = backend.resolved
        chosenAutomatically = backend == .automatic
        runtime = Mutex(try self.backend.makeRuntime(architecture, weights, inputSize: inputSize, threads: threads))
    }

    /// Runs one image: `input` is NHWC `[1, inputSize, inputSize, 3]` in [-1, 1] (x / 127.5 - 1).
    public func run(input: UnsafeBufferPointer<Float>) throws(ModelError) -> ModelOutput {
        let expected = inputSize * inputSize * 3
        guard input.count == expected, let base = input.baseAddress else {
            throw .invalidArgument("input has \(input.count) floats, expected \(expected) (\(inputSize)×\(inputSize)×3)")
        }
        let result: Result<ModelOutput, ModelError> = runtime.withLock { handle in
            do throws(ModelError) {
                return .success(try handle.run(input: base))
            } catch {
                return .failure(error)
            }
        }
        return try result.get()
    }
}
