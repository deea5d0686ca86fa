import LinearAlgebra

extension LinearGaussianModel {
    /// The likelihood p(y | z) read as a function of the clean patch z, as a normalised
    /// Gaussian. For W of full column rank,
    ///
    ///   N(y; W z + b, Σ_y) ∝ N(z; m, C),   C = (Wᵀ Σ_y⁻¹ W)⁻¹,   m = C Wᵀ Σ_y⁻¹ (y − b),
    ///
    /// because the exponent −½ (y − b − W z)ᵀ Σ_y⁻¹ (y − b − W z) equals
    /// −½ zᵀ C⁻¹ z + zᵀ Wᵀ Σ_y⁻¹ (y − b) + (terms free of z), the exponent of N(z; m, C) up
    /// to a constant. For a square invertible W this is m = W⁻¹ (y − b), C = W⁻¹ Σ_y W⁻ᵀ.
    ///
    /// The posterior is the normalised product of the prior and this Gaussian, so precisions
    /// and precision-weighted means add: Σ_post⁻¹ = Σ⁻¹ + C⁻¹ and
    /// Σ_post⁻¹ μ_post = Σ⁻¹ μ + C⁻¹ m, which is the information form.
    ///
    /// Mathematical properties (tested in `LikelihoodInCleanSpace`):
    /// - W m = y − b for a square invertible W;
    /// - log N(y; W z + b, Σ_y) − log N(z; m, C) takes the same value at every z;
    /// - adding the prior's precision to C⁻¹ reproduces `posteriorByInformationForm`.
    ///
    /// - Throws: `notPositiveDefinite` when Wᵀ Σ_y⁻¹ W is singular (W has a null space: y
    ///   says nothing about some direction of z, and the likelihood is no density of z);
    ///   `shapeMismatch` for an observation of the wrong length.
    public func likelihoodOfCleanPatch(observed y: [Double]) throws(LinearAlgebraError) -> Gaussian {
        guard y.count == operatorMatrix.rows else {
            throw .shapeMismatch("observation of length \(y.count), expected \(operatorMatrix.rows)")
        }
        let w = operatorMatrix
        let noiseInverseW = try noiseCovariance.cholesky().solve(w)              // Σ_y⁻¹ W
        let precision = try w.multiplied(by: noiseInverseW, transposeSelf: true).symmetrized()  // C⁻¹
        let residual = zip(y, offset).map { $0 - $1 }
        let information = try noiseInverseW.multiplied(byVector: residual, transpose: true)    // Wᵀ Σ_y⁻¹ (y − b)
        let factor = try precision.cholesky()
        return try Gaussian(mean: try factor.solve(vector: information), covariance: factor.inverse())
    }
}
