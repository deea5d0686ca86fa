import Dispatch
import Foundation
import LinearAlgebra
import Randomness

/// What an initialisation may use: the data's summary, the samples to seed from, ε, and a
/// generator of its own (split per restart).
public struct InitializationContext {
    /// Count, mean and covariance of the whole data.
    public let summary: DataSummary
    /// The samples to initialise from: all of them for an in-memory fit, a uniform sample
    /// (`EMOptions.initializationSampleLimit`) for a streaming one.
    public let sample: Matrix
    /// ε, the absolute regularisation of every covariance diagonal.
    public let regularization: Double
    /// Rows per block, for initialisations that run an M-step.
    public let blockRows: Int
    /// The restart's own random numbers.
    public var generator: SeededGenerator
    /// Events of the initialisation (an empty k-means cluster re-seeded, ...).
    public var events: [FitEvent] = []
}

/// Fits a mixture model to the rows of `x` by expectation-maximisation.
///
/// The loop, for each restart r (with its own generator split from `options.seed`):
/// θ₀ = `initialModel(context)`; then for t = 0, 1, ...:
/// - E-step over all samples, block by block: aᵢₖ = log πₖ + log pₖ(xᵢ | θₜ),
///   ℓᵢ = log Σₖ exp aᵢₖ (log-sum-exp), cᵢₖ = exp(aᵢₖ − ℓᵢ); ℓₜ = (1/N) Σᵢ ℓᵢ; and, in
///   the same pass, the sufficient statistics of the M-step;
/// - stop when t > 0 and |ℓₜ − ℓₜ₋₁| < tolerance (converged), or when t = maxIterations;
/// - M-step: θₜ₊₁ = the model's maximiser of the expected complete-data log-likelihood
///   Σᵢ Σₖ cᵢₖ log(πₖ pₖ(xᵢ | θ)).
/// The restart with the highest final ℓ is returned, with ℓ of every iteration. Each pass
/// runs on `options.threads` threads (see `EMOptions.threads`), over a partition of the
/// data that does not depend on them (`PassLanes`), and OpenBLAS runs single-threaded for
/// the whole fit (its multi-threaded reductions round differently), so the result depends
/// on neither thread count.
///
/// Mathematical properties (tested in `LowerBoundNeverDecreases`, `BadInput`, `Recovery`,
/// `FitBehaviour`):
/// - ℓₜ₊₁ ≥ ℓₜ for every model (zero regularisation, no re-seeding; with a scale
///   mixture's scale floor too; see `FitResult.meanLogLikelihoods` for the exceptions,
///   tested in `NumericalFaults`);
/// - zero iterations return θ₀ unchanged;
/// - data drawn from a known well-separated mixture is fitted back;
/// - the restart kept has the highest final ℓ; the same seed gives the same fit, bit for
///   bit, whatever the number of pass threads and of OpenBLAS threads.
///
/// `progress` is called after every E-step. Throws `MixtureError` on bad data or options,
/// K < 1 or K > N, or a covariance that is not positive definite.
public func fitEM<Model: MixtureModel>(
    _ x: Matrix, components: Int, options: EMOptions = EMOptions(),
    progress: ((FitProgress) -> Void)? = nil,
    initialModel: (inout InitializationContext) throws -> Model
) throws -> FitResult<Model> {
    let start = ContinuousClock.now
    try options.validate()
    return try BLASThreads.withSingleThreaded {
        let blockRows = options.blockRows ?? defaultBlockRows(dimension: x.columns)
        let source = InMemorySamples(matrix: x)
        let summary = try DataSummary.compute(source, blockRows: blockRows)
        var generator = SeededGenerator(seed: options.seed)
        _ = generator.split()  // the stream-sampling generator of `fitEMStreaming`, unused here
        return try runEM(
            source: source, summary: summary, sample: x, components: components, options: options,
            blockRows: blockRows, generator: generator, start: start, progress: progress,
            initialModel: initialModel)
    }
}

/// The restarts and the EM loop shared by the in-memory and the streaming fit.
func runEM<Model: MixtureModel>(
    source: some SampleSource, summary: DataSummary, sample: Matrix, components: Int,
    options: EMOptions, blockRows: Int, generator: SeededGenerator, start: ContinuousClock.Instant,
    progress: ((FitProgress) -> Void)?,
    initialModel: (inout InitializationContext) throws -> Model
) throws -> FitResult<Model> {
    guard components >= 1, components <= summary.count else {
        throw MixtureError.invalidComponentCount(components: components, samples: summary.count)
    }
    let epsilon = options.regularization.value(for: summary)
    var generator = generator
    var best: (outcome: EMOutcome<Model>, restart: Int)?
    var finals: [Double] = []
    let threads = min(options.threads ?? BLASThreads.initialCount, PassLanes.count)
    // A block too small to split goes to one lane whole, so each workspace can take a whole block.
    let workspaces = (0..<threads).map { _ in
        PassWorkspace(EMWorkspace(capacity: min(blockRows, summary.count), dimension: summary.dimension, components: components))
    }
    let lanes = (0..<PassLanes.count).map { _ in PassLane<Model>() }
    for restart in 0..<options.restarts {
        var context = InitializationContext(
            summary: summary, sample: sample, regularization: epsilon, blockRows: blockRows,
            generator: generator.split())
        let initial = try initialModel(&context)
        guard initial.componentCount == components, initial.dimension == summary.dimension else {
            throw MixtureError.invalidParameters(
                "the initial model has \(initial.componentCount) components in dimension \(initial.dimension); "
                    + "the fit asks for \(components) in dimension \(summary.dimension)")
        }
        let outcome = try iterateEM(
            from: initial, source: source, summary: summary, epsilon: epsilon, options: options,
            blockRows: blockRows, workspaces: workspaces, lanes: lanes, restart: restart, events: context.events,
            start: start, progress: progress)
        let final = outcome.meanLogLikelihoods[outcome.meanLogLikelihoods.count - 1]
        finals.append(final)
        if best == nil || final > best!.outcome.meanLogLikelihoods.last! {
            best = (outcome, restart)
        }
    }
    let (outcome, restart) = best!
    return FitResult(
        model: outcome.model, meanLogLikelihoods: outcome.meanLogLikelihoods,
        iterations: outcome.iterations, converged: outcome.converged,
        seconds: seconds(since: start), events: outcome.events, regularization: epsilon,
        restartMeanLogLikelihoods: finals, bestRestart: restart)
}

/// One restart's result.
struct EMOutcome<Model: MixtureModel> {
    var model: Model
    var meanLogLikelihoods: [Double]
    var iterations: Int
    var converged: Bool
    var events: [FitEvent]
}

/// The EM iterations of one restart (see `fitEM`).
///
/// Each pass cuts every block into the same parts whatever the number of threads (at most
/// `PassLanes.count`, of at least 16 rows), and part p of every block goes to lane p, which
/// sums its parts in block order; the threads share the parts of a block (thread w takes
/// parts w, w + T, …, with its own workspace), and the lanes' sums are merged in lane order
/// after the pass. Every sum is thus taken in one order, and the fit is the same bit for
/// bit on any number of threads. OpenBLAS runs single-threaded during the whole fit
/// (`fitEM`; see `BLASThreads`).
func iterateEM<Model: MixtureModel>(
    from initial: Model, source: some SampleSource, summary: DataSummary, epsilon: Double,
    options: EMOptions, blockRows: Int, workspaces: [PassWorkspace], lanes: [PassLane<Model>], restart: Int,
    events: [FitEvent],
    start: ContinuousClock.Instant, progress: ((FitProgress) -> Void)?
) throws -> EMOutcome<Model> {
    var outcome = EMOutcome(model: initial, meanLogLikelihoods: [], iterations: 0, converged: false, events: events)
    while true {
        let t = outcome.iterations
        let model = outcome.model
        let accumulating = t < options.maxIterations
        for lane in lanes { lane.reset(statistics: model.makeStatistics(), components: model.componentCount) }
        let threads = workspaces.count
        try source.forEachBlock(maxRows: blockRows) { block in
            let parts = block.split(into: PassLanes.count)
            let used = min(threads, parts.count)
            if used == 1 {
                for p in parts.indices {
                    lanes[p].process(parts[p], model: model, workspace: workspaces[0].buffers, accumulating: accumulating)
                }
            } else {
                DispatchQueue.concurrentPerform(iterations: used) { w in
                    for p in stride(from: w, to: parts.count, by: used) {
                        lanes[p].process(parts[p], model: model, workspace: workspaces[w].buffers, accumulating: accumulating)
                    }
                }
            }
        }
        var statistics = lanes[0].statistics!
        var worst = lanes[0].worst
        var total = lanes[0].total
        var count = lanes[0].count
        for lane in lanes.dropFirst() {
            statistics.merge(lane.statistics!)
            worst.merge(lane.worst)
            total += lane.total
            count += lane.count
        }
        guard count == summary.count else {
            throw MixtureError.invalidOption(
                "the samples changed between passes (\(summary.count) rows, then \(count)); "
                    + "a stream of batches must produce the same samples every time")
        }
        let mean = total / Double(count)
        let previous = outcome.meanLogLikelihoods.last
        outcome.meanLogLikelihoods.append(mean)
        progress?(FitProgress(
            restart: restart, iteration: t, meanLogLikelihood: mean,
            change: previous.map { mean - $0 }, seconds: seconds(since: start)))
        if let previous, abs(mean - previous) < options.tolerance {
            outcome.converged = true
            return outcome
        }
        if !accumulating { return outcome }
        var context = MaximizationContext(
            iteration: t + 1, regularization: epsilon, summary: summary, worstSamples: worst.samples,
            scaleFloor: options.scaleFloor)
        outcome.model = try model.maximized(from: statistics, context: &context)
        #if DEBUG
        try outcome.model.checkInvariants()
        #endif
        outcome.events += context.events
        outcome.iterations = t + 1
    }
}

/// The number of parts of every block in a pass, and so the most threads a pass uses.
/// Fixed, so that the partition of the data, and every sum, is the same on any number of
/// threads.
enum PassLanes {
    static let count = 8
}

/// The scratch buffers of one pass thread. (`@unchecked Sendable`: during a block thread w
/// alone uses workspace w.)
final class PassWorkspace: @unchecked Sendable {
    let buffers: EMWorkspace

    init(_ buffers: EMWorkspace) {
        self.buffers = buffers
    }
}

/// One lane of a pass: the sums over part p of every block, in block order. (`@unchecked
/// Sendable`: during a block lane p is used by the one thread that processes part p.)
final class PassLane<Model: MixtureModel>: @unchecked Sendable {
    var statistics: Model.Statistics?
    var worst = WorstSamples(capacity: 0)
    var total = 0.0
    var count = 0

    func reset(statistics: Model.Statistics, components: Int) {
        self.statistics = statistics
        worst = WorstSamples(capacity: components)
        total = 0
        count = 0
    }

    /// E-step of the rows of `block` in `workspace`; with `accumulating`, their statistics too.
    func process(_ block: SampleBlock, model: Model, workspace: EMWorkspace, accumulating: Bool) {
        precondition(block.rows <= workspace.capacity, "a block of \(block.rows) rows in a workspace of \(workspace.capacity)")
        let k = model.componentCount
        model.computeLogDensities(block, workspace: workspace)
        normalizeRowsInLogSpace(workspace.logDensities, rows: block.rows, columns: k,
                                logNormalizers: workspace.logLikelihoods)
        for i in 0..<block.rows { total += workspace.logLikelihoods[i] }
        count += block.rows
        guard accumulating else { return }
        worst.offer(block, logLikelihoods: workspace.logLikelihoods)
        model.accumulate(block, workspace: workspace, into: &statistics!)
    }
}

extension SampleBlock {
    /// The block cut into at most `parts` runs of consecutive rows of nearly equal size (at
    /// least 16 rows each).
    func split(into parts: Int) -> [SampleBlock] {
        let count = max(1, min(parts, rows / 16))
        return (0..<count).map { p in
            let first = p * rows / count, last = (p + 1) * rows / count
            return SampleBlock(base: base + first * columns, rows: last - first, columns: columns,
                               firstRow: firstRow + first)
        }
    }
}

/// Seconds elapsed since `start`.
func seconds(since start: ContinuousClock.Instant) -> Double {
    let d = ContinuousClock.now - start
    return Double(d.components.seconds) + Double(d.components.attoseconds) * 1e-18
}
