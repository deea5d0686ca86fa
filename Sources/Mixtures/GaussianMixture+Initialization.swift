import LinearAlgebra
import Randomness

extension GaussianMixture {
    /// Where EM starts.
    ///
    /// Mathematical properties (tested in `IdenticalInitialization`, `FitBehaviour`):
    /// - from `identical`, the components stay equal to each other and to the data's mean
    ///   and covariance (+ εI) for any number of iterations, and ℓ does not move;
    /// - every initialisation gives a valid model; `randomSamples` means are samples.
    public enum Initialization: Sendable {
        /// k-means++ seeding and `lloydIterations` Lloyd iterations; then one M-step with the
        /// hard responsibilities cᵢₖ = [labelᵢ = k] (weights: cluster fractions; means: cluster
        /// means; covariances: within-cluster covariances + εI).
        case kMeansPlusPlus(lloydIterations: Int = 5)
        /// One M-step with responsibilities drawn uniformly and normalised per sample.
        case randomResponsibilities
        /// K distinct random samples as means, every covariance the data's (+ εI), equal weights.
        case randomSamples
        /// Every component the data's mean and covariance (+ εI), equal weights: the
        /// degenerate start. Then every component gets the same responsibility 1/K from every
        /// sample, so EM keeps the components identical (to rounding), equal to the global
        /// mean and covariance after the first M-step, and stops there.
        case identical
        /// Exactly these parameters (their covariance type, K and d must match the fit's).
        case parameters(GaussianMixture)
    }

    /// The initial model for a fit of `components` components of `covariance` type.
    public static func initialModel(
        _ initialization: Initialization, components k: Int, covariance type: CovarianceType,
        context: inout InitializationContext
    ) throws -> GaussianMixture {
        let sample = context.sample
        switch initialization {
        case .identical:
            return try identical(components: k, covariance: type, summary: context.summary,
                                 regularization: context.regularization)
        case .parameters(let model):
            guard model.covarianceType == type, model.componentCount == k,
                  model.dimension == context.summary.dimension else {
                throw MixtureError.invalidParameters(
                    "the initial parameters are a \(model.covarianceType) mixture of \(model.componentCount) "
                        + "components in dimension \(model.dimension); the fit asks for \(type), \(k), "
                        + "\(context.summary.dimension)")
            }
            return model
        case .randomSamples:
            let indices = context.generator.sampleIndices(k, from: sample.rows)
            let global = try identical(components: k, covariance: type, summary: context.summary,
                                       regularization: context.regularization)
            return try GaussianMixture(weights: global.weights, means: sample.rows(indices),
                                       covariances: global.covariances)
        case .randomResponsibilities:
            var r = Matrix(rows: sample.rows, columns: k)
            for i in 0..<sample.rows {
                let row = (0..<k).map { _ in context.generator.nextUniform() + Double.leastNormalMagnitude }
                let total = row.reduce(0, +)
                for c in 0..<k { r[i, c] = row[c] / total }
            }
            let candidates = context.generator.sampleIndices(k, from: sample.rows).map { sample.row($0) }
            return try fromResponsibilities(r, covariance: type, reseedCandidates: candidates, context: &context)
        case .kMeansPlusPlus(let lloydIterations):
            let clusters = try kMeansPlusPlus(sample, clusters: k, lloydIterations: lloydIterations,
                                              using: &context.generator)
            var r = Matrix(rows: sample.rows, columns: k)
            for (i, label) in clusters.labels.enumerated() { r[i, label] = 1 }
            // An empty cluster is re-seeded at the samples k-means explains worst.
            let farthest = clusters.squaredDistances.indices
                .sorted { clusters.squaredDistances[$0] > clusters.squaredDistances[$1] }
                .prefix(k).map { sample.row($0) }
            return try fromResponsibilities(r, covariance: type, reseedCandidates: Array(farthest), context: &context)
        }
    }

    /// K copies of the data's mean and covariance (in the family of `type`) plus εI, with
    /// weights 1/K.
    public static func identical(
        components k: Int, covariance type: CovarianceType, summary: DataSummary, regularization epsilon: Double
    ) throws -> GaussianMixture {
        let d = summary.dimension
        var means = Matrix(rows: k, columns: d)
        for c in 0..<k { means.setRow(c, to: summary.mean) }
        let covariances: Covariances
        switch type {
        case .full:
            var sigma = summary.covariance
            sigma.addToDiagonal(epsilon)
            covariances = .full([Matrix](repeating: sigma, count: k))
        case .diagonal:
            var v = Matrix(rows: k, columns: d)
            for c in 0..<k { for j in 0..<d { v[c, j] = summary.covariance[j, j] + epsilon } }
            covariances = .diagonal(v)
        case .isotropic:
            covariances = .isotropic([Double](repeating: summary.meanVariance + epsilon, count: k))
        }
        do {
            return try GaussianMixture(
                weights: [Double](repeating: 1 / Double(k), count: k), means: means, covariances: covariances)
        } catch MixtureError.singularCovariance {
            throw MixtureError.singularCovariance(component: 0, iteration: 0, regularization: epsilon)
        }
    }

    /// One M-step (iteration 0) from given responsibilities of the context's samples.
    static func fromResponsibilities(
        _ r: Matrix, covariance type: CovarianceType, reseedCandidates: [[Double]],
        context: inout InitializationContext
    ) throws -> GaussianMixture {
        let sample = context.sample
        let k = r.columns, d = sample.columns
        // Full: statistics about c = 0 with shifts at the data mean; diagonal: about the data mean.
        var shifts = Matrix(rows: type == .full ? k : 0, columns: d)
        for c in 0..<shifts.rows { shifts.setRow(c, to: context.summary.mean) }
        let centre = type == .full ? [Double](repeating: 0, count: d) : context.summary.mean
        var statistics = GaussianMixtureStatistics(type: type, components: k, centre: centre, shifts: shifts)
        let workspace = EMWorkspace(capacity: min(context.blockRows, sample.rows), dimension: d, components: k)
        try forEachRowBlock(of: sample, startingAt: 0, maxRows: workspace.capacity) { block in
            statistics.prepare(block, workspace: workspace)
            r.storage.withUnsafeBufferPointer { p in
                workspace.logDensities.update(from: p.baseAddress! + block.firstRow * k, count: block.rows * k)
            }
            statistics.add(block, workspace: workspace)
        }
        var maximization = MaximizationContext(
            iteration: 0, regularization: context.regularization, summary: context.summary,
            worstSamples: reseedCandidates)
        let model = try maximizing(statistics, context: &maximization)
        context.events += maximization.events
        return model
    }
}
