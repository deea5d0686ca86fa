import Foundation
import LinearAlgebra
import Randomness

/// A model p(x) = Σₖ πₖ pₖ(x) that the EM loop (`fitEM`) can fit: it supplies its own
/// E-step on a block of samples, its sufficient statistics, and its M-step; the loop does the
/// rest (log-sum-exp, responsibilities, convergence, restarts, progress).
///
/// The contract for one pass over the data, block by block:
/// 1. `computeLogDensities(block, workspace)` writes aᵢₖ = log πₖ + log pₖ(xᵢ) to
///    `workspace.logDensities` (row-major, rows x K), and may leave per-block intermediates
///    in the workspace;
/// 2. the loop turns each row into responsibilities cᵢₖ = exp(aᵢₖ − log Σⱼ exp aᵢⱼ) in place;
/// 3. `accumulate(block, workspace, into:)` adds the block's contribution to the statistics,
///    and may use what step 1 left in the workspace for the same block.
/// After the pass, `maximized(from:context:)` returns the model of the M-step.
public protocol MixtureModel: Sendable {
    /// Sufficient statistics of one pass (sums over samples weighted by responsibilities).
    associatedtype Statistics: MixtureStatistics

    /// d.
    var dimension: Int { get }
    /// K.
    var componentCount: Int { get }
    /// π, on the simplex.
    var weights: [Double] { get }
    /// The number of free parameters (for BIC).
    var freeParameterCount: Int { get }

    /// Step 1 of a pass: aᵢₖ = log πₖ + log pₖ(xᵢ) into `workspace.logDensities`.
    func computeLogDensities(_ block: SampleBlock, workspace: EMWorkspace)
    /// Empty statistics for a pass under this model.
    func makeStatistics() -> Statistics
    /// Step 3 of a pass: adds the block, with the responsibilities in
    /// `workspace.logDensities`, to `statistics`.
    func accumulate(_ block: SampleBlock, workspace: EMWorkspace, into statistics: inout Statistics)
    /// The M-step: the parameters that maximise the expected complete-data log-likelihood
    /// given the statistics (plus the regularisation of the context). Throws
    /// `singularCovariance` when a covariance is not positive definite.
    func maximized(from statistics: Statistics, context: inout MaximizationContext) throws -> Self
    /// Throws `invariantViolated` unless the weights are on the simplex and every
    /// covariance is symmetric positive definite (its Cholesky factor has a positive diagonal).
    func checkInvariants() throws
    /// `count` samples drawn from the model, one a row.
    func sample(count: Int, using generator: inout SeededGenerator) -> Matrix
}

/// Sufficient statistics: sums over samples, so that the statistics of two parts of the
/// data add up to those of the whole (which lets a pass run on several threads).
public protocol MixtureStatistics {
    /// Adds the sums of `other` (statistics of other samples under the same model).
    mutating func merge(_ other: Self)
}

/// Something that happened during a fit that the caller should know of but that is not an
/// error.
public enum FitEvent: Sendable, Equatable, CustomStringConvertible {
    /// Component `component` had a total responsibility Σᵢ cᵢₖ = `totalResponsibility`
    /// below `MaximizationContext.emptyThreshold` in the M-step of `iteration` (0 for the
    /// initialisation), so it was re-seeded at a worst-explained sample.
    case componentReseeded(iteration: Int, component: Int, totalResponsibility: Double)
    /// In the M-step of `iteration`, the scale update of a Gaussian scale mixture would have
    /// put these components' scales below the scale floor (`EMOptions.scaleFloor`), so
    /// they were held at the floor instead.
    case scalesFloored(iteration: Int, components: [Int])

    public var description: String {
        switch self {
        case .componentReseeded(let iteration, let component, let total):
            return "iteration \(iteration): component \(component) was empty "
                + "(total responsibility \(total)); re-seeded at a worst-explained sample"
        case .scalesFloored(let iteration, let components):
            return "iteration \(iteration): the scale of component"
                + (components.count == 1 ? " \(components[0])" : "s \(components.map(String.init).joined(separator: ", "))")
                + " held at the scale floor (the likelihood would rise without bound as it shrinks)"
        }
    }
}

/// What an M-step needs besides the statistics, and where it reports events.
public struct MaximizationContext {
    /// The number of the M-step (1, 2, ...), or 0 for the M-step of an initialisation.
    public let iteration: Int
    /// ε, the absolute value added to every covariance diagonal.
    public let regularization: Double
    /// The whole data's count, mean and covariance.
    public let summary: DataSummary
    /// The samples with the lowest log-likelihood under the previous model, worst first
    /// (at most K), to re-seed empty components at.
    public let worstSamples: [[Double]]
    /// ρ, the scale floor of a Gaussian scale mixture (`EMOptions.scaleFloor`).
    public let scaleFloor: Double
    /// Events of this M-step (appended to by the model).
    public internal(set) var events: [FitEvent] = []
    private var reseeded = 0

    public init(
        iteration: Int, regularization: Double, summary: DataSummary, worstSamples: [[Double]], scaleFloor: Double = 0
    ) {
        self.iteration = iteration
        self.regularization = regularization
        self.summary = summary
        self.worstSamples = worstSamples
        self.scaleFloor = scaleFloor
    }

    /// Records that the scales of `components` were held at the floor.
    public mutating func recordScalesFloored(_ components: [Int]) {
        events.append(.scalesFloored(iteration: iteration, components: components))
    }

    /// A component is empty when Σᵢ cᵢₖ < 10⁻¹⁰ N: its mean and covariance would be
    /// ratios of numbers that are zero to rounding.
    public var emptyThreshold: Double { 1e-10 * Double(summary.count) }

    /// Records that `component` is re-seeded and returns the sample to centre it at: the
    /// worst-explained sample not yet used in this M-step (the data mean if none is left).
    public mutating func reseed(component: Int, totalResponsibility: Double) -> [Double] {
        events.append(.componentReseeded(
            iteration: iteration, component: component, totalResponsibility: totalResponsibility))
        defer { reseeded += 1 }
        return reseeded < worstSamples.count ? worstSamples[reseeded] : summary.mean
    }
}

extension MixtureModel {
    /// log p(xᵢ) = log Σₖ πₖ pₖ(xᵢ) for every row of `x`.
    public func logLikelihood(_ x: Matrix) throws -> [Double] {
        var out = [Double](repeating: 0, count: x.rows)
        try evaluate(x) { block, workspace in
            for i in 0..<block.rows { out[block.firstRow + i] = workspace.logLikelihoods[i] }
        }
        return out
    }

    /// The responsibilities cᵢₖ = πₖ pₖ(xᵢ) / p(xᵢ), an N x K matrix whose rows sum to one.
    public func responsibilities(_ x: Matrix) throws -> Matrix {
        let k = componentCount
        var out = Matrix(rows: x.rows, columns: k)
        try evaluate(x) { block, workspace in
            out.storage.withUnsafeMutableBufferPointer { o in
                (o.baseAddress! + block.firstRow * k).update(from: workspace.logDensities, count: block.rows * k)
            }
        }
        return out
    }

    /// (1/N) Σᵢ log p(xᵢ), the quantity EM increases.
    public func meanLogLikelihood(_ x: Matrix) throws -> Double {
        guard x.rows > 0 else { throw MixtureError.noSamples("the data has no rows") }
        return try logLikelihood(x).reduce(0, +) / Double(x.rows)
    }

    /// The Bayesian information criterion −2 Σᵢ log p(xᵢ) + p log N, with p the number of
    /// free parameters (`freeParameterCount`). Lower is better.
    public func bayesianInformationCriterion(_ x: Matrix) throws -> Double {
        let n = Double(x.rows)
        return -2 * n * (try meanLogLikelihood(x)) + Double(freeParameterCount) * log(n)
    }

    /// Runs the E-step over `x` block by block; `body` sees each block with the
    /// responsibilities and log p(xᵢ) in the workspace.
    func evaluate(_ x: Matrix, _ body: (SampleBlock, EMWorkspace) -> Void) throws {
        guard x.rows > 0 else { return }
        guard x.columns == dimension else {
            throw MixtureError.dimensionMismatch(expected: dimension, found: x.columns, context: "the samples")
        }
        let blockRows = min(defaultBlockRows(dimension: dimension), x.rows)
        let workspace = EMWorkspace(capacity: blockRows, dimension: dimension, components: componentCount)
        try forEachRowBlock(of: x, startingAt: 0, maxRows: blockRows) { block in
            try checkFinite(block)
            computeLogDensities(block, workspace: workspace)
            normalizeRowsInLogSpace(workspace.logDensities, rows: block.rows, columns: componentCount,
                                    logNormalizers: workspace.logLikelihoods)
            body(block, workspace)
        }
    }
}
