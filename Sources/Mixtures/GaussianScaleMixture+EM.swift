import CBLAS
import Foundation
import LinearAlgebra

/// Sufficient statistics of a scale mixture's M-step:
///   Nₖ = Σᵢ cᵢₖ,   Mₖ = Σᵢ cᵢₖ mᵢ (mᵢ = xᵢᵀ Σ⁻¹ xᵢ under the current Σ),
///   Sₖ = Σᵢ cᵢₖ xᵢ xᵢᵀ (lower triangles, by SYRK on rows √cᵢₖ xᵢ).
public struct GaussianScaleMixtureStatistics: MixtureStatistics {
    public internal(set) var count = 0
    public internal(set) var totals: [Double]
    public internal(set) var mahalanobisTotals: [Double]
    var scatters: [Matrix]

    public mutating func merge(_ other: GaussianScaleMixtureStatistics) {
        count += other.count
        for c in totals.indices {
            totals[c] += other.totals[c]
            mahalanobisTotals[c] += other.mahalanobisTotals[c]
            scatters[c].add(other.scatters[c])
        }
    }

    init(components k: Int, dimension d: Int) {
        totals = [Double](repeating: 0, count: k)
        mahalanobisTotals = [Double](repeating: 0, count: k)
        scatters = (0..<k).map { _ in Matrix(rows: d, columns: d) }
    }
}

/// EM for the scale mixture. The E-step needs one GEMM per block for all components
/// (Y = X U, mᵢ = ‖yᵢ‖²), since the components share Σ:
///   aᵢₖ = log πₖ − (d/2) log(2π rₖ²) + log|U| − mᵢ / (2 rₖ²).
/// The M-step is an expectation–conditional-maximisation step, each part the exact maximiser
/// of the expected complete-data log-likelihood with the others held fixed (so the
/// likelihood never decreases):
///   πₖ = Nₖ / N                                   (`WeightUpdate.closedForm`),
///   rₖ² = Mₖ / (d Nₖ)   with Σ held at its current value (`ScaleUpdate.closedForm`),
///        held at the scale floor rₖ² ≥ ρ maxⱼ rⱼ² of the context where it would
///        fall below it (`ScaleUpdate.floored`; a `scalesFloored` event), or all kept as
///        they are if that would lower the objective (a generalised EM step),
///   Σ = (1/N) Σₖ Sₖ / rₖ²   with the new scales,
/// then the scale normalisation Σₖ πₖ rₖ² = 1 (rₖ² ← rₖ²/s, Σ ← sΣ with s = Σₖ πₖ rₖ²,
/// which leaves the density unchanged), then Σ ← Σ + εI. An empty component (Nₖ below
/// the context's `emptyThreshold`) is re-seeded with weight 1/N and the scale mᵢ/d of a
/// worst-explained sample.
extension GaussianScaleMixture {
    public func computeLogDensities(_ block: SampleBlock, workspace: EMWorkspace) {
        let n = block.rows, d = dimension, k = componentCount
        let y = workspace.scratch, m = workspace.perSample, a = workspace.logDensities
        precisionCholesky.storage.withUnsafeBufferPointer { u in
            cblas_dgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, Int32(n), Int32(d), Int32(d),
                        1, block.base, Int32(d), u.baseAddress, Int32(d), 0, y, Int32(d))
        }
        for i in 0..<n {
            let row = y + i * d
            var s = 0.0
            for j in 0..<d { s += row[j] * row[j] }
            m[i] = s
            for c in 0..<k { a[i * k + c] = logNormalizers[c] - s / (2 * scales[c]) }
        }
    }

    public func makeStatistics() -> GaussianScaleMixtureStatistics {
        GaussianScaleMixtureStatistics(components: componentCount, dimension: dimension)
    }

    public func accumulate(
        _ block: SampleBlock, workspace: EMWorkspace, into statistics: inout GaussianScaleMixtureStatistics
    ) {
        let n = block.rows, d = dimension, k = componentCount
        let r = workspace.logDensities, m = workspace.perSample, scratch = workspace.scratch
        for i in 0..<n {
            for c in 0..<k {
                statistics.totals[c] += r[i * k + c]
                statistics.mahalanobisTotals[c] += r[i * k + c] * m[i]
            }
        }
        for c in 0..<k {
            var rows = 0
            for i in 0..<n {
                let weight = r[i * k + c]
                guard weight > 0 else { continue }
                let root = weight.squareRoot()
                let out = scratch + rows * d, x = block.base + i * d
                for j in 0..<d { out[j] = root * x[j] }
                rows += 1
            }
            guard rows > 0 else { continue }
            statistics.scatters[c].storage.withUnsafeMutableBufferPointer { s in
                cblas_dsyrk(CblasRowMajor, CblasLower, CblasTrans, Int32(d), Int32(rows),
                            1, scratch, Int32(d), 1, s.baseAddress, Int32(d))
            }
        }
        statistics.count += n
    }

    public func maximized(
        from s: GaussianScaleMixtureStatistics, context: inout MaximizationContext
    ) throws -> GaussianScaleMixture {
        let k = componentCount, d = dimension
        var masses = s.totals
        var newScales = [Double](repeating: 1, count: k)
        for c in 0..<k {
            if s.totals[c] >= context.emptyThreshold {
                newScales[c] = ScaleUpdate.closedForm(
                    totalResponsibility: s.totals[c], totalMahalanobis: s.mahalanobisTotals[c], dimension: d)
            } else {
                let seed = context.reseed(component: c, totalResponsibility: s.totals[c])
                let m = try mahalanobisForms(Matrix(rows: 1, columns: d, storage: seed))[0]
                masses[c] = 1
                newScales[c] = max(m / Double(d), Double.leastNormalMagnitude)
            }
        }
        newScales = flooredScales(newScales, statistics: s, context: &context)
        let newWeights = WeightUpdate.closedForm(totals: masses)
        var sigma = Matrix(rows: d, columns: d)
        for c in 0..<k where s.totals[c] >= context.emptyThreshold {
            let factor = 1 / (Double(s.count) * newScales[c])
            for i in 0..<d { for j in 0...i { sigma[i, j] += factor * s.scatters[c][i, j] } }
        }
        let normaliser = zip(newWeights, newScales).reduce(0) { $0 + $1.0 * $1.1 }
        for i in 0..<d { for j in 0...i { sigma[i, j] *= normaliser } }
        sigma.mirrorLowerToUpper()
        sigma.addToDiagonal(context.regularization)
        do {
            return try GaussianScaleMixture(
                weights: newWeights, scales: newScales.map { $0 / normaliser }, covariance: sigma)
        } catch MixtureError.singularCovariance {
            throw MixtureError.singularCovariance(
                component: 0, iteration: context.iteration, regularization: context.regularization)
        }
    }
}

extension GaussianScaleMixture {
    /// The scale step's result under the scale floor of `context` (see `ScaleUpdate`): the
    /// floored closed forms if their objective is at least that of the current scales,
    /// else the current scales. After a re-seeding the floored values are taken as they
    /// are (re-seeding breaks monotonicity anyway). Records a `scalesFloored` event.
    func flooredScales(
        _ closedForms: [Double], statistics s: GaussianScaleMixtureStatistics, context: inout MaximizationContext
    ) -> [Double] {
        let candidate = ScaleUpdate.floored(closedForms: closedForms, floorRatio: context.scaleFloor)
        guard candidate != closedForms else { return closedForms }
        let reseeded = s.totals.contains { !($0 >= context.emptyThreshold) }
        let q = { (scales: [Double]) in
            ScaleUpdate.expectedLogLikelihood(
                scales: scales, totalResponsibilities: s.totals, totalMahalanobis: s.mahalanobisTotals, dimension: dimension)
        }
        context.recordScalesFloored(candidate.indices.filter { candidate[$0] > closedForms[$0] })
        return reseeded || q(candidate) >= q(scales) ? candidate : scales
    }

    /// Where EM for a scale mixture starts. Σ starts at the data's second moment
    /// (1/N) Σᵢ xᵢxᵢᵀ plus εI, the weights equal; the scales (normalised so Σₖ πₖ rₖ² = 1):
    public enum Initialization: Sendable {
        /// rₖ² log-spaced from 1/√ratio to √ratio (all 1 for K = 1).
        case spreadScales(ratio: Double = 100)
        /// rₖ² = exp(u) with u uniform in [−log(ratio)/2, log(ratio)/2].
        case randomScales(ratio: Double = 100)
        /// Exactly these parameters (K and d must match the fit's).
        case parameters(GaussianScaleMixture)
    }

    /// The initial model for a fit of `components` components.
    public static func initialModel(
        _ initialization: Initialization, components k: Int, context: inout InitializationContext
    ) throws -> GaussianScaleMixture {
        var raw: [Double]
        switch initialization {
        case .parameters(let model):
            guard model.componentCount == k, model.dimension == context.summary.dimension else {
                throw MixtureError.invalidParameters(
                    "the initial scale mixture has \(model.componentCount) components in dimension "
                        + "\(model.dimension); the fit asks for \(k) in dimension \(context.summary.dimension)")
            }
            return model
        case .spreadScales(let ratio):
            guard ratio >= 1, ratio.isFinite else { throw MixtureError.invalidOption("the scale ratio \(ratio) must be at least 1") }
            raw = (0..<k).map { c in k == 1 ? 1 : pow(ratio, Double(c) / Double(k - 1) - 0.5) }
        case .randomScales(let ratio):
            guard ratio >= 1, ratio.isFinite else { throw MixtureError.invalidOption("the scale ratio \(ratio) must be at least 1") }
            raw = (0..<k).map { _ in exp((context.generator.nextUniform() - 0.5) * log(ratio)) }
        }
        let weights = [Double](repeating: 1 / Double(k), count: k)
        let normaliser = raw.reduce(0, +) / Double(k)
        raw = raw.map { $0 / normaliser }
        var sigma = context.summary.secondMoment
        sigma.addToDiagonal(context.regularization)
        do {
            return try GaussianScaleMixture(weights: weights, scales: raw, covariance: sigma)
        } catch MixtureError.singularCovariance {
            throw MixtureError.singularCovariance(component: 0, iteration: 0, regularization: context.regularization)
        }
    }

    /// Fits a K-component scale mixture to the rows of `x` by EM (see `fitEM`). The model
    /// has mean zero: remove the data's mean first (see the type's documentation).
    public static func fit(
        _ x: Matrix, components k: Int, initialization: Initialization = .spreadScales(),
        options: EMOptions = EMOptions(), progress: ((FitProgress) -> Void)? = nil
    ) throws -> FitResult<GaussianScaleMixture> {
        try fitEM(x, components: k, options: options, progress: progress) { context in
            try initialModel(initialization, components: k, context: &context)
        }
    }

    /// The streaming twin of `fit` (see `fitEMStreaming`).
    public static func fitStreaming<Batches: Sequence>(
        batches: () throws -> Batches, components k: Int, initialization: Initialization = .spreadScales(),
        options: EMOptions = EMOptions(), progress: ((FitProgress) -> Void)? = nil
    ) throws -> FitResult<GaussianScaleMixture> where Batches.Element == Matrix {
        try fitEMStreaming(batches: batches, components: k, options: options, progress: progress) { context in
            try initialModel(initialization, components: k, context: &context)
        }
    }
}
