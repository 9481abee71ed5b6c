/// The library that runs MobileNetV2's layers; every backend computes the same network from the same weights.
public enum InferenceBackend: String, Sendable, CaseIterable, CustomStringConvertible {
    /// Debian's XNNPACK (0.0~git20220216) subgraph API, fp32 NHWC.
    case xnnpack
    /// Debian's oneDNN 2.6 primitives, fp32, in the layouts its JIT kernels choose for the CPU.
    case onednn
    /// Whichever of the two runs this network faster on this machine, timed when the network is built.
    case automatic = "auto"

    /// The backends that compute (not `automatic`, which picks one of them).
    public static var allCases: [InferenceBackend] { [.xnnpack, .onednn] }

    /// The backend to use when none is asked for: measured, because the faster one depends on the CPU
    /// (bench/inference-results.md: oneDNN ~2× XNNPACK per core with AVX2 + FMA, XNNPACK ahead with AVX-512).
    public static let preferred: InferenceBackend = .automatic

    /// The name `--backend` takes.
    public var description: String { rawValue }
}
