import COrchardKernels
import Foundation

/// The library that runs MobileNetV2's layers; every backend computes the same network from the same weights.
public enum InferenceBackend: String, Sendable, CaseIterable, CustomStringConvertible {
    /// Debian's XNNPACK (0.0~git20220216) subgraph API, fp32 NHWC.
    case xnnpack
    /// Debian's oneDNN 2.6 primitives, fp32, in the layouts its JIT kernels choose for the CPU.
    case onednn
    /// Orchard's own 1×1 and 3×3 depthwise kernels (AVX-512 or AVX2), each inverted-residual block run in
    /// bands of rows that stay in the core's L2 cache (the stem as block 0's expansion); XNNPACK for the
    /// pooling and the classifier.
    case hybrid
    /// The faster of the two on this CPU: `forThisCPU`.
    case automatic = "auto"

    /// The backends that compute (not `automatic`, which stands for one of them).
    public static var allCases: [InferenceBackend] { [.xnnpack, .onednn, .hybrid] }

    /// The backend to use when none is asked for.
    public static let preferred: InferenceBackend = .automatic

    /// What `automatic` runs on this machine, decided by the instruction set Orchard's kernels run (the
    /// CPU's own answer to CPUID, capped by ORCHARD_KERNELS_ISA), as measured side by side
    /// (bench/inference-results.md): with AVX-512, `hybrid` is ahead (Orchard's kernels, run block by block
    /// in cache-sized bands); with AVX2 + FMA only, oneDNN's run-time generated kernels are ahead of
    /// `hybrid`'s AVX2 ones. A rule rather than a timing at start-up, so every process on a machine (a
    /// resumed run, Spark's workers) computes bit-identical features.
    public static let forThisCPU: InferenceBackend = kernelsRunAVX512 ? .hybrid : .onednn

    /// Whether Orchard's kernels run their AVX-512 code here, the question `forThisCPU` decides by.
    static let kernelsRunAVX512 = kernelsISA == "avx512f"

    /// The instruction set Orchard's kernels run on this CPU: "avx512f", "avx2" or "scalar".
    static let kernelsISA = String(cString: orchard_kernels_isa())

    /// The backend that computes when this one is asked for.
    public var resolved: InferenceBackend { self == .automatic ? Self.forThisCPU : self }

    /// The name `--backend` takes.
    public var description: String { rawValue }
}
