import Imaging
import LinearAlgebra
import Mixtures

/// Restores whole images from a patch prior: extract every overlapping m x m patch of every
/// observed image (the images stacked, in chunks), estimate every clean patch from the
/// posterior (`GMMPatchPosterior`), and reassemble each image by averaging the overlapping
/// estimates (chapter 01).
///
/// The per-patch model y = W z + n treats the patch of the blurred image as the blur of the
/// clean patch with zeros outside it: exact in the interior, an approximation within one
/// pixel of the patch border (the protocol's model).
///
/// A prior fitted to patches with their mean removed (`removesPatchMean`) models only the
/// texture z − z̄1. Its denoiser takes the observed patch's own mean ȳ as the estimate of z̄
/// (the blur keeps a patch's mean up to its border, and the noise on ȳ has variance σ²/m²),
/// restores y − ȳ1 under the prior, and adds ȳ back.
public struct PatchDenoiser: Sendable {
    public let posterior: GMMPatchPosterior
    public let patchSize: Int
    public let removesPatchMean: Bool

    /// A denoiser for images corrupted as `corruption` describes (its blur gives W, its σ the
    /// noise), with a prior on m x m patches (dimension m²).
    public init(prior: GaussianMixture, patchSize m: Int, corruption: Corruption, removesPatchMean: Bool = false) throws {
        guard m >= 1, prior.dimension == m * m else {
            throw RestorationError.modelMismatch(
                "a prior of dimension \(prior.dimension) is not a prior on \(m) x \(m) patches (dimension \(m * m))")
        }
        let w = try corruption.observationMatrix(patchSize: m)
        posterior = try GMMPatchPosterior(prior: prior, observation: w, noiseSigma: corruption.sigma)
        patchSize = m
        self.removesPatchMean = removesPatchMean
    }

    /// A denoiser for a saved patch model (its metadata gives m and the DC handling).
    public init(model: PatchModel, corruption: Corruption) throws {
        try self.init(prior: model.prior.asGaussianMixture(), patchSize: model.metadata.patchSize,
                      corruption: corruption, removesPatchMean: model.metadata.patchMeanRemoved)
    }

    /// The restored images (not clipped: metrics clip, per the protocol), each of any size
    /// of at least m x m; memory holds a bounded chunk of patches at a time
    /// (`GMMPatchPosterior.patchAverages`); `progress` gets the patches done and the total
    /// after every chunk of them.
    public func restore(
        _ observed: [Image], estimator: PatchEstimator, progress: ((_ done: Int, _ total: Int) -> Void)? = nil
    ) throws -> [Image] {
        for (index, image) in observed.enumerated() { try image.requireFinitePixels(name: "image \(index)") }
        return try posterior.patchAverages(of: observed, patchSize: patchSize, removingPatchMean: removesPatchMean,
                                           estimator: estimator, progress: progress)
    }
}
