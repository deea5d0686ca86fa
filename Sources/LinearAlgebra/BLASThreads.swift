import CBLAS
import Synchronization

/// The number of threads OpenBLAS uses for one call (OPENBLAS_NUM_THREADS, or the core
/// count): benchmarks report it beside their rates.
public var blasThreadCount: Int { Int(openblas_get_num_threads()) }

/// OpenBLAS's process-wide thread count, and the library's own parallel loops.
///
/// OpenBLAS's results depend on its thread count: a multi-threaded GEMM or SYRK adds
/// partial sums in another order than a single-threaded one, so the last bits of a result
/// would depend on OPENBLAS_NUM_THREADS. The library's heavy loops (an EM pass, the
/// restoration of many patches) therefore run their own threads over a partition of the
/// work that does not depend on the thread count, each thread calling OpenBLAS
/// single-threaded; their results are the same bit for bit on any number of threads. (Two
/// OpenBLAS threads inside each of two loop threads would also fight for two cores.)
public enum BLASThreads {
    /// OpenBLAS's thread count when first asked: the number of threads the library's own
    /// parallel loops use by default.
    public static let initialCount = Int(openblas_get_num_threads())

    private static let state = Mutex<(active: Int, saved: Int32)>((0, 0))

    /// Runs `body` with OpenBLAS single-threaded. The count OpenBLAS had is restored when
    /// the last such body ends (a count of active bodies under a lock, so that concurrent
    /// callers do not undo each other).
    public static func withSingleThreaded<T>(_ body: () throws -> T) rethrows -> T {
        _ = initialCount
        state.withLock { s in
            if s.active == 0 {
                s.saved = openblas_get_num_threads()
                openblas_set_num_threads(1)
            }
            s.active += 1
        }
        defer {
            state.withLock { s in
                s.active -= 1
                if s.active == 0 { openblas_set_num_threads(s.saved) }
            }
        }
        return try body()
    }
}
