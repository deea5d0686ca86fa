import CBLAS
import Synchronization

/// The threads of an EM pass, and OpenBLAS's process-wide thread count.
///
/// A pass splits every block among Swift threads whose BLAS calls are small (a block of
/// rows times a d x d factor), which OpenBLAS parallelises poorly; two OpenBLAS threads
/// inside each of two Swift threads would fight for two cores. So while any pass runs,
/// OpenBLAS is set to one thread, and the count it had is restored after the last pass
/// ends (a count of active passes under a lock, so concurrent fits do not undo each other).
public enum PassThreads {
    /// OpenBLAS's thread count when the first fit started: the default number of threads of
    /// a pass.
    public static let defaultCount = Int(openblas_get_num_threads())

    private static let state = Mutex<(active: Int, saved: Int32)>((0, 0))

    /// Runs `body` with OpenBLAS single-threaded.
    public static func withSingleThreadedBLAS<T>(_ body: () throws -> T) rethrows -> T {
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
