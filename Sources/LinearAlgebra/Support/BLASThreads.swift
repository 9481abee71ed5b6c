import CBLAS
import Synchronization

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

    private static let serial = Mutex(())

    /// Runs `body` with OpenBLAS on one thread, one such body at a time in the process.
    ///
    /// A threaded `dsymv` (inside LAPACK's tridiagonal reduction) splits its sums by thread, so the
    /// eigenvectors' last bits would depend on the core count; on one thread a PCA fit gives the same
    /// bits on a laptop, a cluster's driver and under any `--threads`.
    static func serially<T>(_ body: () throws -> T) rethrows -> T {
        try serial.withLock { _ in
            let previous = count
            count = 1
            defer { count = previous }
            return try body()
        }
    }
}
