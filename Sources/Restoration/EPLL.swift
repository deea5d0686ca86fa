import Foundation
import Imaging
import Mixtures

/// Whole-image restoration by the expected patch log-likelihood (EPLL; Zoran and Weiss,
/// ICCV 2011). For an observation y = A x + n, n ~ N(0, σ² I), and a patch prior p, EPLL
/// finds the image
///
///     x̂ = argmax_x  −(λ/2) ‖A x − y‖² + Σᵢ log p(Pᵢ x),
///
/// every overlapping m x m patch Pᵢ x of x being likely under p at once (patch averaging, in
/// contrast, restores each patch alone and averages the answers, which no prior has judged).
///
/// **Half-quadratic splitting.** An auxiliary patch zᵢ per patch and a penalty weight β turn
/// the coupled problem into
///
///     min_{x, z}  λ ‖A x − y‖² + β Σᵢ ‖Pᵢ x − zᵢ‖² − 2 Σᵢ log p(zᵢ),
///
/// solved by alternating
///
/// 1. z-step, x fixed: each zᵢ separately maximises log p(z) − (β/2)‖Pᵢ x − z‖², patch
///    denoising at noise variance 1/β (`EPLLPatchStep`: the largest-weight component's Wiener
///    estimate);
/// 2. x-step, z fixed: (λ AᵀA + β Σᵢ PᵢᵀPᵢ) x = λ Aᵀ y + β Σᵢ Pᵢᵀ zᵢ (`EPLLImageStep`: per
///    pixel for A = I, conjugate gradients for the blur).
///
/// The sum over overlapping patches counts every pixel up to m² times (Σᵢ PᵢᵀPᵢ = D, the
/// coverage), so the data weigh λ = m²/σ² against it, and by default (as in Zoran and
/// Weiss's code) the penalty of a pixel is divided by its coverage and multiplied by m²:
/// the x-step becomes (AᵀA/σ² + β I) x = Aᵀy/σ² + β x̄, x̄ the patch average of the zᵢ
/// (`EPLLOptions.Weighting`).
///
/// As β → ∞ the penalty forces Pᵢ x = zᵢ and the split problem becomes the original one; a
/// small β first lets the z-step see the patches as noisy at the true noise level
/// (β = 1/σ²), and each larger β trusts the current image more. The default schedule is
/// β = (1/σ²) · {1, 4, 8, 16, 32}, one alternation each.
///
/// All images of a call are restored together: the z-step of every patch of every image is
/// one batched posterior computation (in chunks of bounded size, reduced at once to each
/// image's patch average x̄, all the x-step needs), the x-step runs per image.
public struct EPLL: Sendable {
    public let prior: GaussianMixture
    public let patchSize: Int
    public let degradation: any LinearImageOperator
    /// σ, the standard deviation of the observation noise.
    public let noiseSigma: Double
    public let options: EPLLOptions

    /// - Throws: `RestorationError` if σ is not positive and finite, the prior is not a
    ///   prior on m x m patches, or the options are invalid.
    public init(
        prior: GaussianMixture, patchSize m: Int, degradation: any LinearImageOperator, noiseSigma sigma: Double,
        options: EPLLOptions = EPLLOptions()
    ) throws {
        guard sigma.isFinite, sigma > 0 else {
            throw RestorationError.invalidParameter("EPLL needs a positive, finite noise standard deviation σ, got \(sigma)")
        }
        guard m >= 1, prior.dimension == m * m else {
            throw RestorationError.modelMismatch(
                "a prior of dimension \(prior.dimension) is not a prior on \(m) x \(m) patches (dimension \(m * m))")
        }
        try options.validate()
        self.prior = prior
        self.patchSize = m
        self.degradation = degradation
        self.noiseSigma = sigma
        self.options = options
    }

    /// EPLL for images corrupted as `corruption` says, with a saved patch model (its metadata
    /// gives m and whether patches are mean-removed; that overrides `options`).
    public init(model: PatchModel, corruption: Corruption, options: EPLLOptions = EPLLOptions()) throws {
        var options = options
        options.removesPatchMean = model.metadata.patchMeanRemoved
        try self.init(prior: model.prior.asGaussianMixture(), patchSize: model.metadata.patchSize,
                      degradation: corruption.degradation, noiseSigma: corruption.sigma, options: options)
    }

    /// β of each step of the schedule: betaSchedule[t] / σ².
    public var betas: [Double] { options.betaSchedule.map { $0 / (noiseSigma * noiseSigma) } }


    /// Restores `observed` (gray images, each at least m x m, any sizes). x starts as
    /// `options.start` says, or at `start` (one image per observed image, e.g. a patch-averaged
    /// restoration). With `clean` (the same count and sizes) every iteration records the mean
    /// PSNR with peak `peak`. `progress` is called after every iteration.
    public func restore(
        _ observed: [Image], from start: [Image]? = nil, clean: [Image]? = nil, peak: Double = 1,
        progress: ((EPLLIteration) -> Void)? = nil
    ) throws -> EPLLResult {
        try check(observed, clean: clean, peak: peak)
        if let start {
            guard start.count == observed.count, zip(start, observed).allSatisfy({ $0.hasSameShape(as: $1) }),
                  start.allSatisfy(\.hasOnlyFinitePixels) else {
                throw RestorationError.shapeMismatch("the start images must match the observed ones in number and size, with finite pixels")
            }
        }
        var x = try start ?? observed.map { options.start == .observed ? $0 : try degradation.adjoint($0) }
        let initialPSNR = try clean.map { try meanPSNR(x, $0, peak: peak) }
        var iterations: [EPLLIteration] = []
        for (betaIndex, beta) in betas.enumerated() {
            let patchStep = try EPLLPatchStep(prior: prior, patchSize: patchSize, beta: beta,
                                              removesPatchMean: options.removesPatchMean, estimator: options.estimator)
            for _ in 0..<options.iterationsPerBeta {
                let start = Date()
                let averages = try patchStep.patchAverages(of: x)
                var cgIterations = 0, residual = 0.0
                for t in observed.indices {
                    let step = try EPLLImageStep(observed: observed[t], degradation: degradation, noiseSigma: noiseSigma,
                                                 beta: beta, weighting: options.weighting, patchSize: patchSize,
                                                 patchAverage: averages[t])
                    let solution = try step.solve(start: x[t], tolerance: options.conjugateGradientTolerance,
                                                  maxIterations: options.conjugateGradientMaxIterations)
                    x[t] = solution.image
                    cgIterations = max(cgIterations, solution.conjugateGradientIterations)
                    residual = max(residual, solution.relativeResidual)
                }
                let psnr = try clean.map { try meanPSNR(x, $0, peak: peak) }
                let record = EPLLIteration(number: iterations.count + 1, betaIndex: betaIndex, beta: beta, psnr: psnr,
                                           seconds: Date().timeIntervalSince(start),
                                           conjugateGradientIterations: cgIterations, relativeResidual: residual)
                iterations.append(record)
                progress?(record)
            }
        }
        return EPLLResult(restored: x, initialPSNR: initialPSNR, iterations: iterations)
    }

    private func check(_ observed: [Image], clean: [Image]?, peak: Double) throws {
        guard !observed.isEmpty else { throw RestorationError.invalidParameter("EPLL was given no images to restore") }
        for (index, image) in observed.enumerated() {
            guard image.isGray else {
                throw RestorationError.shapeMismatch("EPLL restores gray images; image \(index) has \(image.channels) channels")
            }
            guard image.width >= patchSize, image.height >= patchSize else {
                throw RestorationError.shapeMismatch(
                    "image \(index) (\(image.shapeDescription)) is smaller than the \(patchSize) x \(patchSize) patches of the prior")
            }
            guard image.hasOnlyFinitePixels else {
                throw RestorationError.invalidParameter("image \(index) to restore has NaN or infinite pixels")
            }
        }
        guard let clean else { return }
        guard peak.isFinite, peak > 0 else {
            throw RestorationError.invalidParameter("the peak pixel value must be positive and finite, got \(peak)")
        }
        guard clean.count == observed.count, zip(clean, observed).allSatisfy({ $0.hasSameShape(as: $1) }) else {
            throw RestorationError.shapeMismatch("the clean images must match the observed ones in number and size")
        }
        guard clean.allSatisfy(\.hasOnlyFinitePixels) else {
            throw RestorationError.invalidParameter("a clean reference image has NaN or infinite pixels")
        }
    }

    /// The protocol's score: PSNR of each image (clipped to [0, peak]) averaged over images.
    private func meanPSNR(_ estimates: [Image], _ clean: [Image], peak: Double) throws -> Double {
        try zip(estimates, clean).reduce(0.0) {
            $0 + (try peakSignalToNoiseRatio(estimate: $1.0, reference: $1.1, peak: peak))
        } / Double(clean.count)
    }
}
