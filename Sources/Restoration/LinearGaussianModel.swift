import LinearAlgebra

/// A Gaussian prior on a clean patch and a linear-Gaussian observation of it:
///
///   z ~ N(μ, Σ),   y | z ~ N(W z + b, Σ_y).
///
/// **The joint (theory question 1).** Write y = W z + b + n with n ~ N(0, Σ_y) independent
/// of z. Then (z, y) is an affine image of the Gaussian (z, n), hence Gaussian, with
///
///   E[y] = W μ + b,   Cov(z, y) = E[(z − μ)(W(z − μ) + n)ᵀ] = Σ Wᵀ,
///   Cov(y) = W Σ Wᵀ + Σ_y,
///
/// so (z, y) ~ N([μ; Wμ + b], [[Σ, Σ Wᵀ], [W Σ, Σ_y + W Σ Wᵀ]]).
///
/// **The posterior, two ways.** Block conditioning of that joint (Lemma 1) gives
/// z | y ~ N(μ + Σ Wᵀ S⁻¹ (y − Wμ − b), Σ − Σ Wᵀ S⁻¹ W Σ) with S = Σ_y + W Σ Wᵀ. Completing
/// the square in log p(z) + log p(y | z) instead gives the information form
///
///   Σ_post⁻¹ = Σ⁻¹ + Wᵀ Σ_y⁻¹ W,   μ_post = Σ_post (Wᵀ Σ_y⁻¹ (y − b) + Σ⁻¹ μ).
///
/// The two agree by the Woodbury identity; `Tests/RestorationTests` checks it on random SPD
/// matrices and random W.
///
/// Mathematical properties (each tested):
/// - block conditioning = information form;
/// - W = I, Σ_y → 0: the posterior mean tends to y − b;
/// - Σ_y → ∞: the posterior tends to the prior;
/// - Monte Carlo draws of (z, y) whose y falls near a value have the posterior's moments.
public struct LinearGaussianModel: Sendable {
    public let prior: Gaussian
    /// W, of shape (observed dimension) x (clean dimension).
    public let operatorMatrix: Matrix
    /// b, the observation offset.
    public let offset: [Double]
    /// Σ_y, the noise covariance.
    public let noiseCovariance: Matrix

    public init(
        prior: Gaussian, operatorMatrix w: Matrix, offset b: [Double]? = nil, noiseCovariance: Matrix
    ) throws(LinearAlgebraError) {
        guard w.columns == prior.dimension else {
            throw .shapeMismatch("W has \(w.columns) columns for a prior of dimension \(prior.dimension)")
        }
        guard noiseCovariance.isSquare, noiseCovariance.rows == w.rows else {
            throw .shapeMismatch("Σ_y must be \(w.rows)x\(w.rows), got \(noiseCovariance.rows)x\(noiseCovariance.columns)")
        }
        let offset = b ?? Array(repeating: 0, count: w.rows)
        guard offset.count == w.rows else {
            throw .shapeMismatch("offset b has \(offset.count) entries for \(w.rows) observations")
        }
        self.prior = prior
        self.operatorMatrix = w
        self.offset = offset
        self.noiseCovariance = noiseCovariance
    }

    /// The marginal of y (the evidence): N(W μ + b, Σ_y + W Σ Wᵀ).
    public func evidence() throws(LinearAlgebraError) -> Gaussian {
        let w = operatorMatrix
        let wMu = try w.multiplied(byVector: prior.mean)
        let mean = zip(wMu, offset).map { $0 + $1 }
        let wSigmaWt = try w.multiplied(by: prior.covariance).multiplied(by: w, transposeOther: true)
        return try Gaussian(mean: mean, covariance: try noiseCovariance.adding(wSigmaWt).symmetrized())
    }

    /// The joint of (z, y): mean [μ; Wμ + b], covariance [[Σ, Σ Wᵀ], [W Σ, Σ_y + W Σ Wᵀ]].
    public func joint() throws(LinearAlgebraError) -> Gaussian {
        let d = prior.dimension
        let e = try evidence()
        let p = e.dimension
        let sigmaWt = try prior.covariance.multiplied(by: operatorMatrix, transposeOther: true)
        var covariance = Matrix(rows: d + p, columns: d + p)
        for i in 0..<d {
            for j in 0..<d { covariance[i, j] = prior.covariance[i, j] }
            for j in 0..<p {
                covariance[i, d + j] = sigmaWt[i, j]
                covariance[d + j, i] = sigmaWt[i, j]
            }
        }
        for i in 0..<p { for j in 0..<p { covariance[d + i, d + j] = e.covariance[i, j] } }
        return try Gaussian(mean: prior.mean + e.mean, covariance: covariance)
    }

    /// p(z | y) by conditioning the joint on its y block.
    public func posteriorByBlockConditioning(observed y: [Double]) throws(LinearAlgebraError) -> Gaussian {
        try joint().conditionedOnSecondBlock(firstBlockSize: prior.dimension, observed: y)
    }

    /// p(z | y) in information form: Σ_post⁻¹ = Σ⁻¹ + Wᵀ Σ_y⁻¹ W,
    /// μ_post = Σ_post (Wᵀ Σ_y⁻¹ (y − b) + Σ⁻¹ μ). The form adds precisions, so Σ⁻¹ is formed,
    /// from Σ's Cholesky factor (DPOTRI), and so is Σ_post, the answer, from Σ_post⁻¹'s; every
    /// other inverse is a Cholesky solve.
    public func posteriorByInformationForm(observed y: [Double]) throws(LinearAlgebraError) -> Gaussian {
        guard y.count == operatorMatrix.rows else {
            throw .shapeMismatch("observation of length \(y.count), expected \(operatorMatrix.rows)")
        }
        let priorFactor = try prior.covariance.cholesky()
        let noiseFactor = try noiseCovariance.cholesky()
        let w = operatorMatrix
        // Wᵀ Σ_y⁻¹ W and Wᵀ Σ_y⁻¹ (y − b).
        let noiseInverseW = try noiseFactor.solve(w)
        let dataPrecision = try w.multiplied(by: noiseInverseW, transposeSelf: true)
        let residual = zip(y, offset).map { $0 - $1 }
        let dataTerm = try noiseInverseW.multiplied(byVector: residual, transpose: true)
        let priorTerm = try priorFactor.solve(vector: prior.mean)
        let posteriorPrecision = try priorFactor.inverse().adding(dataPrecision).symmetrized()
        let posteriorFactor = try posteriorPrecision.cholesky()
        let mean = try posteriorFactor.solve(vector: zip(dataTerm, priorTerm).map { $0 + $1 })
        return try Gaussian(mean: mean, covariance: posteriorFactor.inverse())
    }
}
