import CBLAS

/// The number of threads OpenBLAS uses for one call (OPENBLAS_NUM_THREADS, or the core
/// count): benchmarks report it beside their rates.
public var blasThreadCount: Int { Int(openblas_get_num_threads()) }
