import LinearAlgebra
import Randomness

/// A multivariate normal N(x; μ, Σ): the mixture with K = 1.
///
/// Its maximum-likelihood fit is in closed form, μ = (1/N) Σᵢ xᵢ and
/// Σ = (1/N) Σᵢ (xᵢ − μ)(xᵢ − μ)ᵀ (+ εI): `fit`. Through the shared EM loop (`fitByEM`) the
/// responsibilities are all 1, so the first M-step lands on that closed form and the second
/// iteration changes nothing.
///
/// Mathematical properties (tested in `MultivariateNormalLaws`):
/// - EM from any start reaches the closed form after one M-step, and stops;
/// - the log density is −(d/2) log 2π − ½ log|Σ| − ½ (x − μ)ᵀ Σ⁻¹ (x − μ).
public struct MultivariateNormal: MixtureModel, Equatable {
    /// μ.
    public let mean: [Double]
    /// Σ, symmetric positive definite.
    public let covariance: Matrix
    /// The same density as a one-component full Gaussian mixture, whose E- and M-steps it uses.
    public let mixture: GaussianMixture

    public var dimension: Int { mean.count }
    public var componentCount: Int { 1 }
    public var weights: [Double] { [1] }
    /// d means and d(d+1)/2 covariance entries.
    public var freeParameterCount: Int { mixture.freeParameterCount }

    /// N(μ, Σ). Throws like `GaussianMixture.init` (`singularCovariance` when Σ is not
    /// positive definite).
    public init(mean: [Double], covariance: Matrix) throws {
        let means = try Matrix(rows: 1, columns: mean.count, storage: mean)
        try self.init(mixture: GaussianMixture(weights: [1], means: means, covariances: .full([covariance])))
    }

    init(mixture: GaussianMixture) {
        self.mixture = mixture
        mean = mixture.means.row(0)
        covariance = mixture.covariance(0)
    }

    /// The closed-form maximum-likelihood fit: the data's mean and covariance, plus εI.
    public static func fit(_ x: Matrix, regularization: Regularization = .relative(1e-6)) throws -> MultivariateNormal {
        try fit(summary: DataSummary(x), regularization: regularization)
    }

    /// The closed-form fit over batches (one pass; see `fitEMStreaming` for the contract).
    public static func fitStreaming<Batches: Sequence>(
        batches: () throws -> Batches, regularization: Regularization = .relative(1e-6)
    ) throws -> MultivariateNormal where Batches.Element == Matrix {
        let summary = try withoutActuallyEscaping(batches) { batches in
            try DataSummary.compute(BatchedSamples(makeBatches: batches, dimension: nil), blockRows: 0)
        }
        return try fit(summary: summary, regularization: regularization)
    }

    static func fit(summary: DataSummary, regularization: Regularization) throws -> MultivariateNormal {
        let epsilon = regularization.value(for: summary)
        var sigma = summary.covariance
        sigma.addToDiagonal(epsilon)
        do {
            return try MultivariateNormal(mean: summary.mean, covariance: sigma)
        } catch MixtureError.singularCovariance {
            throw MixtureError.singularCovariance(component: 0, iteration: nil, regularization: epsilon)
        }
    }

    /// The fit through the shared EM loop, from N(0, v I) with v the data's mean
    /// per-coordinate variance (plus ε).
    public static func fitByEM(
        _ x: Matrix, options: EMOptions = EMOptions(), progress: ((FitProgress) -> Void)? = nil
    ) throws -> FitResult<MultivariateNormal> {
        try fitEM(x, components: 1, options: options, progress: progress) { context in
            let d = context.summary.dimension
            let v = context.summary.meanVariance + context.regularization
            do {
                return try MultivariateNormal(
                    mean: [Double](repeating: 0, count: d),
                    covariance: .diagonal([Double](repeating: v, count: d)))
            } catch MixtureError.singularCovariance {
                throw MixtureError.singularCovariance(component: 0, iteration: 0, regularization: context.regularization)
            }
        }
    }

    public func computeLogDensities(_ block: SampleBlock, workspace: EMWorkspace) {
        mixture.computeLogDensities(block, workspace: workspace)
    }

    public func makeStatistics() -> GaussianMixtureStatistics { mixture.makeStatistics() }

    public func accumulate(_ block: SampleBlock, workspace: EMWorkspace, into statistics: inout GaussianMixtureStatistics) {
        mixture.accumulate(block, workspace: workspace, into: &statistics)
    }

    public func maximized(
        from statistics: GaussianMixtureStatistics, context: inout MaximizationContext
    ) throws -> MultivariateNormal {
        MultivariateNormal(mixture: try mixture.maximized(from: statistics, context: &context))
    }

    public func checkInvariants() throws { try mixture.checkInvariants() }

    public func sample(count: Int, using generator: inout SeededGenerator) -> Matrix {
        mixture.sample(count: count, using: &generator)
    }

    public static func == (a: MultivariateNormal, b: MultivariateNormal) -> Bool {
        a.mixture == b.mixture
    }
}
