import Imaging
import LinearAlgebra
import Mixtures

/// EPLL's z-step: for every overlapping patch Pᵢ x of the current images, the estimate
///
///     zᵢ ≈ argmax_z  log p(z) − (β/2) ‖Pᵢ x − z‖²,
///
/// which is the posterior mode of z given the "observation" Pᵢ x = z + n, n ~ N(0, I/β):
/// denoising with W = I and σ = 1/√β (`GMMPatchPosterior`). The mode of a mixture posterior
/// has no closed form; the method's approximation (`.map`) takes the component with the
/// largest posterior weight wₖ(Pᵢ x) and its Wiener estimate
/// μₖ + Σₖ (Σₖ + I/β)⁻¹ (Pᵢ x − μₖ); `.mmse` takes the posterior mean instead.
///
/// A prior on mean-removed patches sees Pᵢ x − p̄ᵢ 1, p̄ᵢ the patch's own mean, and p̄ᵢ is
/// added back to the estimate (as in Zoran and Weiss's code).
struct EPLLPatchStep {
    let posterior: GMMPatchPosterior
    let patchSize: Int
    let removesPatchMean: Bool
    let estimator: PatchEstimator

    init(prior: GaussianMixture, patchSize m: Int, beta: Double, removesPatchMean: Bool, estimator: PatchEstimator) throws {
        posterior = try GMMPatchPosterior(prior: prior, observation: .identity(m * m), noiseSigma: 1 / beta.squareRoot())
        patchSize = m
        self.removesPatchMean = removesPatchMean
        self.estimator = estimator
    }

    /// x̄ₜ = D⁻¹ Σᵢ Pᵢᵀ zᵢ for every image (D the diagonal of patch coverage counts): the
    /// patch average of the zᵢ, all the x-step needs (`GMMPatchPosterior.patchAverages`, in
    /// bounded memory).
    func patchAverages(of images: [Image]) throws -> [Image] {
        try posterior.patchAverages(of: images, patchSize: patchSize, removingPatchMean: removesPatchMean,
                                    estimator: estimator)
    }
}
