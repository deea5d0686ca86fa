import Foundation
import LinearAlgebra
import Mixtures

/// The posterior of clean patches under a Gaussian-mixture prior, for all patches at once.
///
/// Prior z ~ Σₖ πₖ N(μₖ, Σₖ); observation y = W z + n, n ~ N(0, σ² I).
///
/// **The posterior is again a mixture (theory question 2).** By Bayes,
/// p(z | y) ∝ Σₖ πₖ N(z; μₖ, Σₖ) N(y; W z, σ² I). Each term is the joint of chapter 06 for
/// one component, which factorises as N(y; Wμₖ, Sₖ) · N(z; mₖ(y), Pₖ) with
///
///   Sₖ = σ² I + W Σₖ Wᵀ,   Gₖ = Σₖ Wᵀ Sₖ⁻¹,
///   mₖ(y) = μₖ + Gₖ (y − W μₖ),   Pₖ = Σₖ − Gₖ W Σₖ.
///
/// Normalising over z gives p(z | y) = Σₖ wₖ(y) N(z; mₖ(y), Pₖ) with
///
///   wₖ(y) = πₖ N(y; W μₖ, Sₖ) / Σⱼ πⱼ N(y; W μⱼ, Sⱼ):
///
/// the same per-component posteriors as chapter 06, weighted by how well each component
/// explains y. The weights are the responsibilities of y under the *evidence mixture*
/// Σₖ πₖ N(W μₖ, Sₖ), so they come from the EM engine's own E-step (log-sum-exp,
/// Cholesky-whitened, one BLAS product per component).
///
/// **Speed from the structure.** Gₖ, Pₖ and the Cholesky factor of Sₖ depend only on the
/// component, so they are computed once; then every patch of every image is a row of one
/// matrix Y and mₖ(Y) = 1 (μₖ − Gₖ W μₖ)ᵀ + Y Gₖᵀ is a single GEMM per component. No
/// matrix is inverted per patch.
///
/// Mathematical properties (tested in `Tests/RestorationTests`):
/// - each mₖ(y), Pₖ equals the single-Gaussian posterior of `LinearGaussianModel`;
/// - the weights sum to one and match brute-force integration on a grid (1-D and 2-D);
/// - the batched estimators equal a straightforward per-patch computation.
public struct GMMPatchPosterior: Sendable {
    public let prior: GaussianMixture
    /// W, p x d.
    public let observation: Matrix
    /// σ², the variance of the observation noise.
    public let noiseVariance: Double
    /// Σₖ πₖ N(W μₖ, Sₖ): its responsibilities are the posterior weights wₖ(y).
    public let evidence: GaussianMixture
    /// Gₖ = Σₖ Wᵀ Sₖ⁻¹ (d x p), one a component.
    public let gains: [Matrix]
    /// K x d: row k is μₖ − Gₖ W μₖ, so that mₖ(y) = row k + Gₖ y.
    public let gainOffsets: Matrix
    /// Pₖ = Σₖ − Gₖ W Σₖ, the posterior covariance of component k (the same for every y).
    public let posteriorCovariances: [Matrix]

    public var componentCount: Int { prior.componentCount }
    public var cleanDimension: Int { prior.dimension }
    public var observedDimension: Int { observation.rows }

    /// Precomputes everything that depends only on the components. Throws if W does not fit
    /// the prior, if σ is not positive and finite, or if an Sₖ is not positive definite.
    public init(prior: GaussianMixture, observation w: Matrix, noiseSigma sigma: Double) throws {
        guard sigma.isFinite, sigma > 0 else {
            throw RestorationError.invalidParameter("the noise standard deviation must be positive and finite, got \(sigma)")
        }
        guard w.columns == prior.dimension, w.rows >= 1 else {
            throw RestorationError.shapeMismatch(
                "the observation matrix W is \(w.rows)x\(w.columns) for patches of dimension \(prior.dimension)")
        }
        let variance = sigma * sigma
        // OpenBLAS single-threaded, so that the result does not depend on its thread count.
        let (parts, evidence) = try BLASThreads.withSingleThreaded {
            let parts = try Self.components(prior: prior, observation: w, noiseVariance: variance)
            return (parts, try GaussianMixture(
                weights: prior.weights, means: parts.evidenceMeans, covariances: .full(parts.evidenceCovariances)))
        }
        self.prior = prior
        self.observation = w
        self.noiseVariance = variance
        self.gains = parts.gains
        self.gainOffsets = parts.gainOffsets
        self.posteriorCovariances = parts.posteriorCovariances
        self.evidence = evidence
    }

    /// Gₖ, μₖ − Gₖ W μₖ, Pₖ, W μₖ and Sₖ of every component (see the properties).
    private static func components(prior: GaussianMixture, observation w: Matrix, noiseVariance variance: Double) throws
        -> (gains: [Matrix], gainOffsets: Matrix, posteriorCovariances: [Matrix], evidenceMeans: Matrix,
            evidenceCovariances: [Matrix])
    {
        let k = prior.componentCount, d = prior.dimension, p = w.rows
        var gains: [Matrix] = [], posteriorCovariances: [Matrix] = [], evidenceCovariances: [Matrix] = []
        var evidenceMeans = Matrix(rows: k, columns: p)
        var gainOffsets = Matrix(rows: k, columns: d)
        for c in 0..<k {
            let sigmaK = prior.covariance(c)
            let mu = prior.means.row(c)
            let wSigma = try w.multiplied(by: sigmaK)                        // W Σₖ, p x d
            var s = try wSigma.multiplied(by: w, transposeOther: true)       // W Σₖ Wᵀ
            s.addToDiagonal(variance)
            s = s.symmetrized()
            let gainTransposed = try s.cholesky().solve(wSigma)              // Sₖ⁻¹ W Σₖ = Gₖᵀ
            let gain = gainTransposed.transposed
            let wMu = try w.multiplied(byVector: mu)
            let correction = try gain.multiplied(byVector: wMu)
            gainOffsets.setRow(c, to: zip(mu, correction).map { $0 - $1 })
            evidenceMeans.setRow(c, to: wMu)
            posteriorCovariances.append(try sigmaK.subtracting(gain.multiplied(by: wSigma)).symmetrized())
            gains.append(gain)
            evidenceCovariances.append(s)
        }
        return (gains, gainOffsets, posteriorCovariances, evidenceMeans, evidenceCovariances)
    }

    /// wₖ(yᵢ) for every row of Y: an N x K matrix whose rows sum to one.
    public func posteriorWeights(_ y: Matrix) throws -> Matrix {
        try evidence.responsibilities(y)
    }

    /// mₖ(yᵢ) = μₖ + Gₖ (yᵢ − W μₖ) for every row of Y, as an N x d matrix.
    public func componentMeans(_ y: Matrix, component c: Int) throws -> Matrix {
        var out = Matrix(rows: y.rows, columns: cleanDimension)
        try componentMeans(y, component: c, into: &out)
        return out
    }

    /// `out` ← 1 (μₖ − Gₖ W μₖ)ᵀ + Y Gₖᵀ (one GEMM).
    func componentMeans(_ y: Matrix, component c: Int, into out: inout Matrix) throws {
        guard y.columns == observedDimension else {
            throw RestorationError.shapeMismatch(
                "observed patches have \(y.columns) values, the model expects \(observedDimension)")
        }
        let d = cleanDimension
        let offset = gainOffsets.row(c)
        out.storage.withUnsafeMutableBufferPointer { o in
            for i in 0..<y.rows { for j in 0..<d { o[i * d + j] = offset[j] } }
        }
        try Matrix.gemm(y, gains[c], transposeB: true, beta: 1, into: &out)
    }
}

/// Errors of the restoration layer.
public enum RestorationError: Error, CustomStringConvertible, Equatable {
    case invalidParameter(String)
    case shapeMismatch(String)
    case modelMismatch(String)

    public var description: String {
        switch self {
        case .invalidParameter(let what): return "invalid parameter: \(what)"
        case .shapeMismatch(let what): return "shape mismatch: \(what)"
        case .modelMismatch(let what): return "the model does not fit the images: \(what)"
        }
    }
}
