import CBLAS

/// OpenBLAS's kernel family for this CPU (its "core"), which it picks once, when it loads.
///
/// Debian's OpenBLAS 0.3.21 names the CPUs it knows by model number. On a newer one (an Intel Xeon of
/// model 207 on this machine kind) it falls back to its Prescott kernels, SSE3 without FMA, and a PCA fit
/// takes twice as long. It takes the core only from `OPENBLAS_CORETYPE` at load, so a process that wants
/// a better one sets that and starts again (the CLI does, `Orchard.main`).
public enum BLASCore {
    /// The environment variable OpenBLAS reads its core from.
    public static let variable = "OPENBLAS_CORETYPE"

    /// The core OpenBLAS runs, e.g. "Haswell", "SkylakeX" or "Prescott".
    public static var current: String { String(cString: openblas_get_corename()) }

    /// The core this CPU should run when OpenBLAS fell back to Prescott on a CPU with AVX2 or AVX-512;
    /// nil when OpenBLAS's own choice stands.
    public static var better: String? {
        guard current.lowercased() == "prescott" else { return nil }
        if orchard_blas_cpu_has_avx512() != 0 { return "SkylakeX" }
        if orchard_blas_cpu_has_avx2() != 0 { return "Haswell" }
        return nil
    }
}
