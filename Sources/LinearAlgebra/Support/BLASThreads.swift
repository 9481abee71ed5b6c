import CBLAS

/// OpenBLAS's worker-thread count, process-wide.
///
/// OpenBLAS starts one busy-waiting worker per core. When the caller already keeps every core
/// busy (the featurize pool decoding and running MobileNetV2), those workers fight the pool; set
/// this to 1 there. Measured on the 2-core machine under load in bench/pca/run.sh.
public enum BLASThreads {
    /// The number of threads OpenBLAS uses for one call.
    public static var count: Int {
        get { Int(openblas_get_num_threads()) }
        set { openblas_set_num_threads(Int32(clamping: max(1, newValue))) }
    }
}
