/// The library that runs MobileNetV2's layers; every backend computes the same network from the same weights.
public enum InferenceBackend: String, Sendable, CaseIterable, CustomStringConvertible {
    /// Debian's XNNPACK (0.0~git20220216) subgraph API, fp32 NHWC.
    case xnnpack
    /// Debian's oneDNN 2.6 primitives, fp32, in the blocked layouts its JIT kernels choose for the CPU.
    case onednn

    /// The backend to use when none is asked for: oneDNN ran MobileNetV2 faster than XNNPACK per core on
    /// this project's AVX2 + FMA machines (bench/inference-results.md), since its kernels are generated
    /// at run time for the CPU instead of compiled once by Debian's GCC.
    public static let preferred: InferenceBackend = .onednn

    /// The name `--backend` takes.
    public var description: String { rawValue }
}
