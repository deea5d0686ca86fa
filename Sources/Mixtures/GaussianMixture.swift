import Foundation
import LinearAlgebra

/// The shape of the component covariances of a Gaussian mixture.
public enum CovarianceType: String, Sendable, CaseIterable, CustomStringConvertible {
    /// Σₖ any symmetric positive-definite d x d matrix: d(d+1)/2 parameters a component.
    case full
    /// Σₖ = diag(σ²ₖ₁, ..., σ²ₖd): d parameters a component.
    case diagonal
    /// Σₖ = σ²ₖ I, one variance a component: p(x) = Σₖ πₖ Πⱼ N(xⱼ; μₖⱼ, σ²ₖ).
    case isotropic

    public var description: String { rawValue }

    /// Covariance parameters per component.
    func parameterCount(dimension d: Int) -> Int {
        switch self {
        case .full: return d * (d + 1) / 2
        case .diagonal: return d
        case .isotropic: return 1
        }
    }
}

/// The covariances of the K components, in the layout of scikit-learn's `covariances_`.
public enum Covariances: Sendable, Equatable {
    /// K symmetric positive-definite d x d matrices.
    case full([Matrix])
    /// A K x d matrix: row k holds the variances of component k.
    case diagonal(Matrix)
    /// K variances σ²ₖ.
    case isotropic([Double])

    public var type: CovarianceType {
        switch self {
        case .full: return .full
        case .diagonal: return .diagonal
        case .isotropic: return .isotropic
        }
    }

    /// Σₖ as a full d x d matrix.
    public func matrix(_ k: Int, dimension d: Int) -> Matrix {
        switch self {
        case .full(let m): return m[k]
        case .diagonal(let v): return .diagonal(v.row(k))
        case .isotropic(let v): return .diagonal([Double](repeating: v[k], count: d))
        }
    }

    /// The number of components described.
    var count: Int {
        switch self {
        case .full(let m): return m.count
        case .diagonal(let v): return v.rows
        case .isotropic(let v): return v.count
        }
    }
}

/// A Gaussian mixture p(x) = Σₖ πₖ N(x; μₖ, Σₖ), with full, diagonal or isotropic Σₖ.
///
/// A value always holds valid parameters: the initialiser checks them and factorises every
/// covariance. What the E-step uses is the Cholesky factor of each precision,
///   Σₖ⁻¹ = Uₖ Uₖᵀ,  Uₖ = Lₖ⁻ᵀ  where Σₖ = Lₖ Lₖᵀ,
/// so that log N(x; μ, Σ) = −(d/2) log 2π + log|U| − ½ ‖(x − μ)ᵀ U‖², with the identity
/// log|Σ⁻¹|/2 = log|U| = Σⱼ log Uⱼⱼ = −Σⱼ log Lⱼⱼ used where it is computed.
///
/// Mathematical properties (tested in `LogDensityLaws`):
/// - `logLikelihood` equals a naive per-sample log Σₖ πₖ N(x; μₖ, Σₖ);
/// - diagonal and isotropic models give the log density of the full model with the same
///   (diagonal) covariances;
/// - permuting the components leaves every log density unchanged.
public struct GaussianMixture: MixtureModel, Equatable {
    /// π (K), on the simplex.
    public let weights: [Double]
    /// K x d: row k is μₖ.
    public let means: Matrix
    /// Σ₁, ..., Σ_K.
    public let covariances: Covariances

    /// The factors the E-step uses.
    let factors: PrecisionFactors
    /// c = Σₖ πₖ μₖ (the mean of the mixture): the E-step of diagonal and isotropic models
    /// works on x − c, so that its sums are at the scale of the data's spread, not of its
    /// mean; the full model's statistics are taken about c = 0 (its rows xᵢ − μₖ are exact).
    let centre: [Double]
    /// log πₖ − (d/2) log 2π + log|Uₖ|.
    let logNormalizers: [Double]

    public var dimension: Int { means.columns }
    public var componentCount: Int { weights.count }
    public var covarianceType: CovarianceType { covariances.type }

    /// (K − 1) weights, K d means, and K d(d+1)/2 (full), K d (diagonal) or K (isotropic)
    /// covariance parameters.
    public var freeParameterCount: Int {
        let k = componentCount, d = dimension
        return (k - 1) + k * d + k * covarianceType.parameterCount(dimension: d)
    }

    /// A mixture with these parameters. Throws `invalidParameters` unless there is at least
    /// one component, the weights are non-negative and sum to one (within 10⁻⁹), every value
    /// is finite, the shapes agree and full covariances are symmetric; throws
    /// `singularCovariance` when a covariance is not positive definite.
    public init(weights: [Double], means: Matrix, covariances: Covariances) throws {
        let k = weights.count, d = means.columns
        func invalid(_ what: String) -> MixtureError { .invalidParameters(what) }
        guard k >= 1 else { throw invalid("a mixture needs at least one component") }
        guard means.rows == k, d >= 1 else {
            throw invalid("\(k) weights but means of shape \(means.rows)x\(d)")
        }
        guard covariances.count == k else {
            throw invalid("\(k) weights but \(covariances.count) covariances")
        }
        guard weights.allSatisfy({ $0.isFinite && $0 >= 0 }) else {
            throw invalid("the weights must be finite and non-negative, got \(weights)")
        }
        let total = weights.reduce(0, +)
        guard abs(total - 1) <= 1e-9 else { throw invalid("the weights sum to \(total), not 1") }
        guard means.storage.allSatisfy(\.isFinite) else { throw invalid("a mean has a non-finite entry") }
        try Self.validate(covariances, components: k, dimension: d)

        self.weights = weights
        self.means = means
        self.covariances = covariances
        var centre = [Double](repeating: 0, count: d)
        for c in 0..<k { for j in 0..<d { centre[j] += weights[c] * means[c, j] } }
        self.centre = centre
        let factors = try PrecisionFactors(covariances, means: means, centre: centre)
        self.factors = factors
        let constant = -0.5 * Double(d) * log(2 * Double.pi)
        self.logNormalizers = (0..<k).map { log(weights[$0]) + constant + factors.logDeterminants[$0] }
    }

    /// Σₖ as a full d x d matrix.
    public func covariance(_ k: Int) -> Matrix {
        covariances.matrix(k, dimension: dimension)
    }

    /// Uₖ = Lₖ⁻ᵀ, the upper-triangular factor of the precision Σₖ⁻¹ = Uₖ Uₖᵀ, as a full
    /// d x d matrix (diagonal for diagonal and isotropic models).
    public func precisionCholesky(_ k: Int) -> Matrix {
        switch factors {
        case .full(let upper, _): return upper[k]
        case .diagonal(let precisions, _, _, _):
            return .diagonal(precisions.row(k).map { $0.squareRoot() })
        }
    }

    /// The parameters with the components in the order `permutation` (component i of the
    /// result is component permutation[i] of this one).
    public func permuted(_ permutation: [Int]) throws -> GaussianMixture {
        guard permutation.sorted() == Array(0..<componentCount) else {
            throw MixtureError.invalidParameters("\(permutation) is not a permutation of 0..<\(componentCount)")
        }
        let covariances: Covariances
        switch self.covariances {
        case .full(let m): covariances = .full(permutation.map { m[$0] })
        case .diagonal(let v): covariances = .diagonal(v.rows(permutation))
        case .isotropic(let v): covariances = .isotropic(permutation.map { v[$0] })
        }
        return try GaussianMixture(
            weights: permutation.map { weights[$0] }, means: means.rows(permutation), covariances: covariances)
    }

    public func checkInvariants() throws {
        func fail(_ what: String) -> MixtureError { .invariantViolated(what) }
        let total = weights.reduce(0, +)
        guard abs(total - 1) <= 1e-9, weights.allSatisfy({ $0 >= 0 && $0.isFinite }) else {
            throw fail("the weights \(weights) are not on the simplex (sum \(total))")
        }
        guard means.storage.allSatisfy(\.isFinite) else { throw fail("a mean has a non-finite entry") }
        switch covariances {
        case .full(let m):
            for (k, s) in m.enumerated() {
                for i in 0..<dimension {
                    for j in 0..<i where s[i, j] != s[j, i] {
                        throw fail("covariance \(k) is not symmetric at (\(i), \(j))")
                    }
                }
            }
        case .diagonal(let v):
            guard v.storage.allSatisfy({ $0 > 0 && $0.isFinite }) else { throw fail("a variance is not positive") }
        case .isotropic(let v):
            guard v.allSatisfy({ $0 > 0 && $0.isFinite }) else { throw fail("a variance is not positive") }
        }
        // Each Cholesky factor with a positive finite diagonal certifies its covariance SPD.
        for k in 0..<componentCount {
            guard precisionCholesky(k).diagonalEntries.allSatisfy({ $0 > 0 && $0.isFinite }) else {
                throw fail("the precision Cholesky factor of component \(k) has a non-positive diagonal")
            }
        }
    }

    public static func == (a: GaussianMixture, b: GaussianMixture) -> Bool {
        a.weights == b.weights && a.means == b.means && a.covariances == b.covariances
    }

    private static func validate(_ covariances: Covariances, components k: Int, dimension d: Int) throws {
        func invalid(_ what: String) -> MixtureError { .invalidParameters(what) }
        switch covariances {
        case .full(let m):
            for (c, s) in m.enumerated() {
                guard s.rows == d, s.columns == d else {
                    throw invalid("covariance \(c) is \(s.rows)x\(s.columns), expected \(d)x\(d)")
                }
                guard s.storage.allSatisfy(\.isFinite) else { throw invalid("covariance \(c) has a non-finite entry") }
                let tolerance = 1e-10 * max(s.maxAbs, Double.leastNormalMagnitude)
                for i in 0..<d {
                    for j in 0..<i where abs(s[i, j] - s[j, i]) > tolerance {
                        throw invalid("covariance \(c) is not symmetric at (\(i), \(j))")
                    }
                }
            }
        case .diagonal(let v):
            guard v.rows == k, v.columns == d else {
                throw invalid("diagonal covariances of shape \(v.rows)x\(v.columns), expected \(k)x\(d)")
            }
            guard v.storage.allSatisfy(\.isFinite) else { throw invalid("a variance is not finite") }
        case .isotropic(let v):
            guard v.allSatisfy(\.isFinite) else { throw invalid("a variance is not finite") }
        }
    }
}

/// What the E-step of a Gaussian mixture multiplies by, computed once per model.
enum PrecisionFactors: Sendable {
    /// Uₖ = Lₖ⁻ᵀ (upper triangular), so that (x − μₖ)ᵀ Σₖ⁻¹ (x − μₖ) = ‖(x − μₖ)ᵀ Uₖ‖².
    case full(upper: [Matrix], logDeterminants: [Double])
    /// λₖⱼ = 1/σ²ₖⱼ (K x d), wₖⱼ = λₖⱼ (μₖⱼ − cⱼ) (K x d) and oₖ = Σⱼ λₖⱼ (μₖⱼ − cⱼ)², so that
    /// Σⱼ λₖⱼ (xⱼ − μₖⱼ)² = Σⱼ λₖⱼ zⱼ² − 2 Σⱼ wₖⱼ zⱼ + oₖ with z = x − c.
    case diagonal(precisions: Matrix, weightedMeans: Matrix, offsets: [Double], logDeterminants: [Double])

    /// log|Uₖ| = ½ log|Σₖ⁻¹|.
    var logDeterminants: [Double] {
        switch self {
        case .full(_, let l), .diagonal(_, _, _, let l): return l
        }
    }

    init(_ covariances: Covariances, means: Matrix, centre: [Double]) throws {
        let k = means.rows, d = means.columns
        switch covariances {
        case .full(let m):
            var upper: [Matrix] = []
            var logDeterminants: [Double] = []
            for c in 0..<k {
                guard let factor = covarianceCholesky(m[c]) else {
                    throw MixtureError.singularCovariance(component: c, iteration: nil, regularization: nil)
                }
                upper.append(factor.inverseTransposed())
                // log|Uₖ| = −log|Lₖ| = −½ log|Σₖ|.
                logDeterminants.append(-0.5 * factor.logDeterminant)
            }
            self = .full(upper: upper, logDeterminants: logDeterminants)
        case .diagonal, .isotropic:
            var precisions = Matrix(rows: k, columns: d)
            for c in 0..<k {
                for j in 0..<d {
                    let variance: Double
                    switch covariances {
                    case .diagonal(let v): variance = v[c, j]
                    case .isotropic(let v): variance = v[c]
                    case .full: variance = 1
                    }
                    guard variance > 0 else {
                        throw MixtureError.singularCovariance(component: c, iteration: nil, regularization: nil)
                    }
                    precisions[c, j] = 1 / variance
                }
            }
            var weighted = Matrix(rows: k, columns: d)
            var offsets = [Double](repeating: 0, count: k)
            var logDeterminants = [Double](repeating: 0, count: k)
            for c in 0..<k {
                for j in 0..<d {
                    let lambda = precisions[c, j], shifted = means[c, j] - centre[j]
                    weighted[c, j] = lambda * shifted
                    offsets[c] += lambda * shifted * shifted
                    logDeterminants[c] += 0.5 * log(lambda)
                }
            }
            self = .diagonal(precisions: precisions, weightedMeans: weighted, offsets: offsets,
                             logDeterminants: logDeterminants)
        }
    }
}
