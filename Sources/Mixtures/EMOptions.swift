/// The regularisation ε added to the diagonal of every covariance in every M-step
/// (Σₖ ← Σₖ + εI), which keeps the covariances positive definite when a component
/// collapses onto fewer than d directions.
public enum Regularization: Sendable, Equatable, CustomStringConvertible {
    /// ε = value × tr(C)/d, where C is the covariance of the whole data: a fraction of the
    /// mean per-coordinate variance, so the same value suits pixels in [0, 1] and in [0, 255].
    case relative(Double)
    /// ε = value, in the units of the data squared.
    case absolute(Double)

    /// The absolute ε for data with this summary.
    public func value(for summary: DataSummary) -> Double {
        switch self {
        case .relative(let r): return r * summary.meanVariance
        case .absolute(let a): return a
        }
    }

    public var description: String {
        switch self {
        case .relative(let r): return "\(r) x the mean per-coordinate variance of the data"
        case .absolute(let a): return "\(a)"
        }
    }
}

/// How EM runs: iterations, convergence, regularisation, restarts, seed.
public struct EMOptions: Sendable {
    /// The most M-steps per restart (0 returns the initialisation).
    public var maxIterations: Int
    /// EM has converged when the mean log-likelihood (1/N) Σᵢ log p(xᵢ) changes by less
    /// than this from one iteration to the next (0: run all `maxIterations`).
    public var tolerance: Double
    /// ε on every covariance diagonal; the default is 10⁻⁶ times the mean per-coordinate
    /// variance of the data.
    public var regularization: Regularization
    /// Independent initialisations; the fit with the highest final mean log-likelihood wins.
    public var restarts: Int
    /// The seed of every random choice (initialisation, restarts, stream sampling).
    public var seed: UInt64
    /// Rows per block of the E- and M-step (nil: about 2¹⁸ values per block).
    public var blockRows: Int?
    /// Threads of a pass (nil: as many as OpenBLAS had when first asked,
    /// `BLASThreads.initialCount`; at most `PassLanes.count` = 8 are used). Every block is
    /// cut into the same parts whatever the count, and OpenBLAS runs single-threaded while
    /// a fit runs (other BLAS work running meanwhile is single-threaded too), so the result
    /// is the same bit for bit on any number of threads.
    public var threads: Int?
    /// A streaming fit initialises from a uniform sample of at most this many rows (all
    /// rows, in order, when there are fewer), since it never holds all the data.
    public var initializationSampleLimit: Int
    /// Gaussian scale mixtures only: ρ, the scale floor. No scale rₖ² may fall below ρ
    /// times the largest (see `ScaleUpdate.floored`); 0 turns it off. Without it the
    /// likelihood of data with an atom (many identical samples, such as the blank patches
    /// of digits) is unbounded, and a scale collapses towards 0 until Σ is numerically
    /// singular. The default 10⁻⁵ lies below the scale ratios of the workbook's photograph
    /// and digit fits (the smallest about 5 × 10⁻⁵ of the largest).
    public var scaleFloor: Double

    public init(
        maxIterations: Int = 100, tolerance: Double = 1e-3,
        regularization: Regularization = .relative(1e-6), restarts: Int = 1, seed: UInt64 = 0,
        blockRows: Int? = nil, threads: Int? = nil, initializationSampleLimit: Int = 100_000,
        scaleFloor: Double = 1e-5
    ) {
        self.maxIterations = maxIterations
        self.tolerance = tolerance
        self.regularization = regularization
        self.restarts = restarts
        self.seed = seed
        self.blockRows = blockRows
        self.threads = threads
        self.initializationSampleLimit = initializationSampleLimit
        self.scaleFloor = scaleFloor
    }

    /// Throws `invalidOption` for a value out of range.
    public func validate() throws {
        func fail(_ what: String) -> MixtureError { .invalidOption(what) }
        guard maxIterations >= 0 else { throw fail("maxIterations is \(maxIterations); it must be 0 or more") }
        guard tolerance >= 0, tolerance.isFinite else { throw fail("tolerance is \(tolerance); it must be finite and 0 or more") }
        guard restarts >= 1 else { throw fail("restarts is \(restarts); it must be at least 1") }
        if let blockRows, blockRows < 1 { throw fail("blockRows is \(blockRows); it must be at least 1") }
        if let threads, threads < 1 { throw fail("threads is \(threads); it must be at least 1") }
        guard initializationSampleLimit >= 1 else {
            throw fail("initializationSampleLimit is \(initializationSampleLimit); it must be at least 1")
        }
        switch regularization {
        case .relative(let v), .absolute(let v):
            guard v >= 0, v.isFinite else { throw fail("the regularisation is \(v); it must be finite and 0 or more") }
        }
        guard scaleFloor >= 0, scaleFloor < 1 else { throw fail("the scale floor is \(scaleFloor); it must be in [0, 1)") }
    }
}
