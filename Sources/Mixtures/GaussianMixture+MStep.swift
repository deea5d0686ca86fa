import CBLAS
import Foundation
import LinearAlgebra

/// The sufficient statistics of a Gaussian mixture's M-step, summed over blocks (or batches).
///
/// With z = x − c (c the centre of the diagonal model that computed the responsibilities;
/// c = 0 for full models) and aₖ the previous means (full models):
///   Nₖ = Σᵢ cᵢₖ,   Fₖ = Σᵢ cᵢₖ zᵢ                        (GEMM Cᵀ Z),
///   full:                Sₖ = Σᵢ cᵢₖ (xᵢ − aₖ)(xᵢ − aₖ)ᵀ   (SYRK on rows √cᵢₖ (xᵢ − aₖ)),
///   diagonal, isotropic: Qₖⱼ = Σᵢ cᵢₖ zᵢⱼ²               (GEMM Cᵀ (Z∘Z)).
/// The shift aₖ keeps Sₖ at the scale of the component's spread (no cancellation when the
/// new mean is subtracted, since it is close to aₖ).
public struct GaussianMixtureStatistics: MixtureStatistics {
    public let covarianceType: CovarianceType
    let centre: [Double]
    /// K x d: aₖ, the shift of Sₖ (full models).
    let shifts: Matrix
    /// N, the number of samples added.
    public internal(set) var count = 0
    /// Nₖ.
    public internal(set) var totals: [Double]
    /// K x d: Fₖ.
    var firstMoments: Matrix
    /// Sₖ (lower triangles), full covariances only.
    var scatters: [Matrix]
    /// K x d: Qₖ, diagonal and isotropic covariances only.
    var squares: Matrix

    init(type: CovarianceType, components k: Int, centre: [Double], shifts: Matrix) {
        let d = centre.count
        covarianceType = type
        self.centre = centre
        self.shifts = shifts
        totals = [Double](repeating: 0, count: k)
        firstMoments = Matrix(rows: k, columns: d)
        scatters = type == .full ? (0..<k).map { _ in Matrix(rows: d, columns: d) } : []
        squares = type == .full ? Matrix(rows: 0, columns: 0) : Matrix(rows: k, columns: d)
    }

    public mutating func merge(_ other: GaussianMixtureStatistics) {
        count += other.count
        for c in totals.indices { totals[c] += other.totals[c] }
        firstMoments.add(other.firstMoments)
        for c in scatters.indices { scatters[c].add(other.scatters[c]) }
        squares.add(other.squares)
    }

    /// Puts what `add` reads in the workspace for diagonal models: z = x − c and z∘z (the
    /// E-step of the model with this centre leaves the same there).
    func prepare(_ block: SampleBlock, workspace: EMWorkspace) {
        guard covarianceType != .full else { return }
        fillCentred(block, centre: centre, workspace: workspace)
        fillSquares(rows: block.rows, workspace: workspace)
    }

    /// Adds the block, with responsibilities in `workspace.logDensities` (and, for diagonal
    /// models, z in `workspace.centred`, z∘z in `workspace.scratch`).
    mutating func add(_ block: SampleBlock, workspace: EMWorkspace) {
        let n = block.rows, k = totals.count, d = centre.count
        let r = workspace.logDensities, scratch = workspace.scratch
        let z = covarianceType == .full ? block.base : UnsafePointer(workspace.centred)
        for i in 0..<n { for c in 0..<k { totals[c] += r[i * k + c] } }
        firstMoments.storage.withUnsafeMutableBufferPointer { f in
            cblas_dgemm(CblasRowMajor, CblasTrans, CblasNoTrans, Int32(k), Int32(d), Int32(n),
                        1, r, Int32(k), z, Int32(d), 1, f.baseAddress, Int32(d))
        }
        if covarianceType == .full {
            for c in 0..<k {
                // Rows √cᵢₖ (xᵢ − aₖ) of the samples with cᵢₖ > 0 (the others add nothing).
                var m = 0
                shifts.storage.withUnsafeBufferPointer { sh in
                    let a = sh.baseAddress! + c * d
                    for i in 0..<n {
                        let weight = r[i * k + c]
                        guard weight > 0 else { continue }
                        let root = weight.squareRoot()
                        let row = scratch + m * d, zi = z + i * d
                        for j in 0..<d { row[j] = root * (zi[j] - a[j]) }
                        m += 1
                    }
                }
                guard m > 0 else { continue }
                scatters[c].storage.withUnsafeMutableBufferPointer { s in
                    cblas_dsyrk(CblasRowMajor, CblasLower, CblasTrans, Int32(d), Int32(m),
                                1, scratch, Int32(d), 1, s.baseAddress, Int32(d))
                }
            }
        } else {
            squares.storage.withUnsafeMutableBufferPointer { q in
                cblas_dgemm(CblasRowMajor, CblasTrans, CblasNoTrans, Int32(k), Int32(d), Int32(n),
                            1, r, Int32(k), scratch, Int32(d), 1, q.baseAddress, Int32(d))
            }
        }
        count += n
    }
}

/// The M-step of a Gaussian mixture from its statistics, with ε = the regularisation:
///   πₖ = Nₖ / N                          (`WeightUpdate.closedForm`),
///   μₖ = c + Fₖ / Nₖ,
///   full:      Σₖ = Sₖ / Nₖ − δₖ δₖᵀ + εI,  δₖ = Fₖ / Nₖ − aₖ  (Sₖ is about the previous
///              mean aₖ; Σᵢ cᵢₖ (zᵢ − a)(zᵢ − a)ᵀ = Σᵢ cᵢₖ (zᵢ − m)(zᵢ − m)ᵀ + Nₖ (m − a)(m − a)ᵀ
///              for the weighted mean m),
///   diagonal:  σ²ₖⱼ = Qₖⱼ / Nₖ − (Fₖⱼ / Nₖ)² + ε  (a difference below the rounding error of
///              its terms, 100 ε_machine Qₖⱼ / Nₖ, counts as a zero variance),
///   isotropic: σ²ₖ = (1/d) Σⱼ (Qₖⱼ / Nₖ − (Fₖⱼ / Nₖ)²) + ε.
/// A component with Nₖ below the context's `emptyThreshold` is re-seeded instead: its mean
/// a worst-explained sample, its covariance the data's (in the model's family) plus εI, its
/// weight that of one sample, 1/N (the weights are then renormalised).
///
/// Mathematical properties (tested in `MStepMatchesNaiveFormulas`, `MStepInvariants`,
/// `FitBehaviour`):
/// - one EM iteration equals πₖ = (1/N) Σᵢ cᵢₖ, μₖ = Σᵢ cᵢₖ xᵢ / Nₖ and
///   Σₖ = Σᵢ cᵢₖ (xᵢ − μₖ)(xᵢ − μₖ)ᵀ / Nₖ + εI (its diagonal, or its mean diagonal) computed
///   naively from the previous model's responsibilities;
/// - the weights lie on the simplex and every covariance is symmetric positive definite;
/// - an empty component is re-seeded at the worst-explained sample, with no NaN.
extension GaussianMixture {
    public func makeStatistics() -> GaussianMixtureStatistics {
        if covarianceType == .full {
            return GaussianMixtureStatistics(
                type: .full, components: componentCount, centre: [Double](repeating: 0, count: dimension),
                shifts: means)
        }
        return GaussianMixtureStatistics(
            type: covarianceType, components: componentCount, centre: centre,
            shifts: Matrix(rows: 0, columns: dimension))
    }

    public func accumulate(
        _ block: SampleBlock, workspace: EMWorkspace, into statistics: inout GaussianMixtureStatistics
    ) {
        // The E-step of this model left z and z∘z of this block in the workspace (diagonal).
        statistics.add(block, workspace: workspace)
    }

    public func maximized(
        from statistics: GaussianMixtureStatistics, context: inout MaximizationContext
    ) throws -> GaussianMixture {
        try GaussianMixture.maximizing(statistics, context: &context)
    }

    /// The M-step (see above).
    static func maximizing(
        _ s: GaussianMixtureStatistics, context: inout MaximizationContext
    ) throws -> GaussianMixture {
        let k = s.totals.count, d = s.centre.count
        let epsilon = context.regularization
        let summary = context.summary
        var masses = s.totals
        var means = Matrix(rows: k, columns: d)
        var full: [Matrix] = []
        var diagonal = Matrix(rows: s.covarianceType == .diagonal ? k : 0, columns: d)
        var isotropic: [Double] = []
        for c in 0..<k {
            let nk = s.totals[c]
            if !(nk >= context.emptyThreshold) {
                let seed = context.reseed(component: c, totalResponsibility: nk)
                masses[c] = 1
                means.setRow(c, to: seed)
                switch s.covarianceType {
                case .full:
                    var sigma = summary.covariance
                    sigma.addToDiagonal(epsilon)
                    full.append(sigma)
                case .diagonal:
                    for j in 0..<d { diagonal[c, j] = summary.covariance[j, j] + epsilon }
                case .isotropic:
                    isotropic.append(summary.meanVariance + epsilon)
                }
                continue
            }
            let mean = (0..<d).map { s.firstMoments[c, $0] / nk }
            means.setRow(c, to: (0..<d).map { s.centre[$0] + mean[$0] })
            switch s.covarianceType {
            case .full:
                let delta = (0..<d).map { mean[$0] - s.shifts[c, $0] }
                var sigma = s.scatters[c]
                for i in 0..<d {
                    for j in 0...i { sigma[i, j] = sigma[i, j] / nk - delta[i] * delta[j] }
                }
                sigma.mirrorLowerToUpper()
                sigma.addToDiagonal(epsilon)
                full.append(sigma)
            case .diagonal:
                for j in 0..<d { diagonal[c, j] = variance(s.squares[c, j] / nk, mean[j]) + epsilon }
            case .isotropic:
                var v = 0.0
                for j in 0..<d { v += variance(s.squares[c, j] / nk, mean[j]) }
                isotropic.append(v / Double(d) + epsilon)
            }
        }
        let covariances: Covariances
        switch s.covarianceType {
        case .full: covariances = .full(full)
        case .diagonal: covariances = .diagonal(diagonal)
        case .isotropic: covariances = .isotropic(isotropic)
        }
        do {
            return try GaussianMixture(
                weights: WeightUpdate.closedForm(totals: masses), means: means, covariances: covariances)
        } catch MixtureError.singularCovariance(let component, _, _) {
            throw MixtureError.singularCovariance(
                component: component, iteration: context.iteration, regularization: epsilon)
        }
    }
}

/// E[z²] − E[z]², or 0 when the difference is below the rounding error of its terms
/// (100 ε_machine E[z²]): the variance of a coordinate that is constant up to rounding.
func variance(_ secondMoment: Double, _ mean: Double) -> Double {
    let v = secondMoment - mean * mean
    return v > 100 * Double.ulpOfOne * secondMoment ? v : 0
}

extension Matrix {
    /// self += other, entry by entry (same shapes).
    mutating func add(_ other: Matrix) {
        for t in storage.indices { storage[t] += other.storage[t] }
    }
}
