/// # 09 · Denoising digits with a GMM patch prior
///
/// *Simulation question 3 of the MNIST denoising study (seeds 000–002): restore blurred, noisy
/// digits patch by patch with the "MAP approximation" under the GMM prior of chapter 02, and
/// reassemble the patches into images.*
///
/// **Result.** On 200 held-out digits with the study's settings (m = 16, K = 11, σ = 20, the
/// prior fitted to all 169,000 patches of 1,000 training digits, EM capped at 50 iterations):
///
/// | restoration                         | PSNR (dB) | MSE   | reference (numpy / scikit-learn) |
/// |-------------------------------------|-----------|-------|----------------------------------|
/// | corrupted input                     | 19.52     | 736.1 | 19.5                             |
/// | the seed's rule                     | 17.09     | 1351  | 16.6                             |
/// | evidence MAP                        | 23.32     | 311.2 | 23.3                             |
/// | MMSE                                | 23.32     | 311.2 | 23.3                             |
/// | whole-digit Wiener filter           | 22.51     | 378.1 | 22.6                             |
/// | Gaussian patch prior (m = 16, MMSE) | 21.95     | 422.6 | –                                |
///
/// The evidence MAP and the MMSE estimate reach the issue's target of 23.0 dB and agree to the
/// last digit shown: 84 % of the test patches have one posterior weight above 0.99. The seed's
/// rule is worse than doing nothing. It restores every patch of every digit with component 9,
/// the heaviest (π = 0.19), whose windows hold a stroke on the right and four empty columns on
/// the left (the fifth nearly so): 83 of its 256 pixels have a prior variance below 1 gray level². Its posterior has
/// the smallest volume, so it wins a score that never looks at the patch; it forces the left
/// five columns of every window to black, and after overlap averaging the strokes keep 67 %
/// of their brightness (94 % for the evidence MAP). Restoring takes about 5.3 ms per digit for
/// the MMSE estimate (all K component means of every patch) and 2.9 ms for the evidence MAP
/// (one mean per patch), in a release build on 2 shared cores with OpenBLAS.
///
/// **One component.** For a clean patch z ∈ ℝᵈ (d = m²) with prior N(μ, Σ) and the observation
/// y = W z + n, n ~ N(0, σ² I), the posterior is Gaussian (chapter 06):
///
/// $$P = \left(\Sigma^{-1} + \tfrac{1}{\sigma^2} W^\top W\right)^{-1}, \qquad
///   m(y) = P\left(\Sigma^{-1}\mu + \tfrac{1}{\sigma^2} W^\top y\right)
///        = \mu + \Sigma W^\top S^{-1}(y - W\mu), \qquad S = \sigma^2 I + W \Sigma W^\top .$$
///
/// **A mixture.** With the prior Σₖ πₖ N(μₖ, Σₖ) the posterior is the mixture of the K
/// single-component posteriors (chapter 07),
///
/// $$p(z \mid y) = \sum_k w_k(y)\, \mathcal N(z;\, m_k(y), P_k), \qquad
///   w_k(y) = \frac{\pi_k\, \mathcal N(y;\, W\mu_k, S_k)}{\sum_j \pi_j\, \mathcal N(y;\, W\mu_j, S_j)} .$$
///
/// The weight wₖ(y) is the probability that component k produced the patch, judged by how
/// well its *predicted observation* N(Wμₖ, Sₖ) explains y: the evidence.
///
/// **Three estimators.** The posterior mode of a mixture has no closed form, so the study
/// (001) approximates it: pick the most probable component and take its mean. Read with the
/// component's probability given y, that is the *evidence MAP*
/// ẑ = m_k̂(y), k̂ = argmaxₖ wₖ(y). The *MMSE* estimate ẑ = Σₖ wₖ(y) mₖ(y) is the posterior
/// mean, which minimises E[‖z − ẑ‖² | y]; it blends components where the evidence is split
/// and equals the evidence MAP where one weight is ≈ 1.
///
/// **The seed's rule does not look at y.** Study 002's `denoise` scores component k by
/// πₖ N(m̃ₖ; m̃ₖ, P̃ₖ), the height of the component's own posterior at its own mean, with
/// P̃ₖ = Pₖ + εI (ε = 0.01) and m̃ₖ = P̃ₖ(Σₖ⁻¹μₖ + Wᵀy/σ²). A Gaussian density at its mean is
/// its peak, N(x; x, C) = (2π)^(−d/2) |C|^(−1/2) for every x, so the score is
///
/// $$\operatorname{score}_k = \pi_k\, (2\pi)^{-d/2}\, \lvert P_k + \varepsilon I\rvert^{-1/2}:$$
///
/// y has cancelled. One component k* wins for every patch of every digit, and each patch is
/// replaced by m̃_k*(y). Which one? log|Pₖ + εI| = Σᵢ log(λᵢ(Pₖ) + ε) sums d = 256 terms, while
/// log πₖ spans a few nats, so the volume term decides: k* is the component with the smallest
/// posterior volume. Since Pₖ ⪯ Σₖ (observing never adds uncertainty), the smallest volumes
/// belong to the components whose prior is nearly degenerate, with many pixels that never
/// vary: with 8 × 8 windows the empty background, with 16 × 16 windows (which rarely miss the
/// digit entirely) the windows whose first columns always fall left of the digit. Along such a
/// pinned direction, with prior variance λ ≈ 0, the data enter m̃ with the gain
/// (λ + ε)/σ² ≈ 0, so the estimate keeps μ_k* there (black) whatever y shows; along the free
/// directions it follows y. Every stroke that falls into the pinned part of a window is erased
/// from that window's estimate, and overlap averaging dims every stroke. This is a bug in the
/// study (the intended score is surely the evidence wₖ(y)); the chapter reproduces it to
/// measure its cost. The study also clips: values above 255 become 255, values below 1 become 0.
///
/// **Reassembly and score.** Every pixel is the mean of the estimates of all patches covering
/// it (chapter 01); PSNR = 10 log₁₀(255² / MSE) over the 28 × 28 digit after clipping to
/// [0, 255], averaged over the test digits (the protocol).
///
/// **Gaussian baselines.** With one Gaussian N(μ, Σ) fitted to whole 28 × 28 training digits
/// (d = 784: 1,000 digits estimate its 307,720 covariance entries only with the help of the
/// regularisation), the posterior mean under the exact image blur is the whole-image Wiener
/// filter: it is the patch machinery with m = 28 and K = 1 (one patch covers the digit, and
/// zero padding is exactly the protocol's blur). The same Gaussian on m × m patches with
/// overlap averaging is the "Gaussian patch prior" baseline.
import Figures
import Foundation
import Imaging
import LinearAlgebra
import Mixtures
import Restoration
import Workbook

let chapter = Chapter("09-denoise", title: "Denoising digits with a GMM patch prior", question: "Simulation question 3")
let corruption = Corruption.mnistProtocol
let referencePSNR: [String: Double] = ["corrupted": 19.5, "wiener": 22.6, "seed-map": 16.6, "map": 23.3, "mmse": 23.3]
let targetPSNR = 23.0

var patchSize = 16
var componentCount = 11
var training: [Image] = []
var trainingPatches = Matrix(rows: 0, columns: 0)
var experiment: DenoisingExperiment!
var prior: GaussianMixture!
var denoiser: PatchDenoiser!
var results: [PatchEstimator: DenoisingResult] = [:]
var baselines: [(name: String, result: DenoisingResult)] = []
var seedComponent = 0
var exampleClean: [Double] = []
var exampleObserved: [Double] = []
var exampleWeights: [Double] = []
var exampleLogEvidence: [Double] = []
var exampleMeans: [[Double]] = []
var exampleEstimates: [PatchEstimator: [Double]] = [:]

func decibels(_ x: Double) -> String { String(format: "%.2f", x) }

chapter.step("Load the digits and corrupt the held-out ones") { ctx in
    /// Training digits come from the first 1,000 of the file, test digits only from after them
    /// (the protocol's split). Each test digit is blurred with the binomial kernel and gets
    /// σ = 20 noise from one seeded stream, so every estimator sees the same noisy digits.
    patchSize = ctx.choose(full: 16, quick: 8)
    componentCount = ctx.choose(full: 11, quick: 4)
    training = try Datasets.mnistTraining(in: ctx.dataDirectory, count: 1000)
    let test = try Datasets.mnistTest(in: ctx.dataDirectory, count: ctx.choose(full: 200, quick: 8))
    experiment = try DenoisingExperiment(clean: test.images, corruption: corruption, seed: ctx.seed(for: "noise"), peak: 255)
    ctx.report("training digits", training.count)
    ctx.report("test digits", test.images.count, unit: "(file indices \(Datasets.mnistTestStart)…\(Datasets.mnistTestStart + test.images.count - 1))")
    ctx.report("corruption", corruption.description)
    let score = try experiment.corruptedScore()
    ctx.report("corrupted: PSNR", score.psnr, unit: "dB", digits: 4)
    ctx.report("corrupted: MSE", score.mse, digits: 4)
    /// Without clipping, the error of y = Bx + n splits into the blur's error and the noise:
    /// E‖y − x‖²/n = ‖Bx − x‖²/n + σ², up to the sampling error of the noise, whose relative
    /// size is about √(2/(n · digits)) of σ².
    let blurOnly = try Corruption(blur: .binomial3, sigma: 0)
    var measured = 0.0, predicted = 0.0
    for (clean, noisy) in zip(experiment.clean, experiment.corrupted) {
        measured += try meanSquaredError(noisy, clean)
        predicted += try meanSquaredError(blurOnly.apply(to: clean, seed: 0), clean) + corruption.sigma * corruption.sigma
    }
    let samples = Double(experiment.clean.count * 784)
    ctx.report("unclipped MSE: measured / blur error + σ²", "\(Format.significant(measured / Double(experiment.clean.count), digits: 5)) / \(Format.significant(predicted / Double(experiment.clean.count), digits: 5))")
    ctx.check("unclipped MSE = blur error + σ² (relative difference, 5 noise standard errors)",
              value: abs(measured - predicted) / predicted, below: 5 * (2 / samples).squareRoot())
}

chapter.step("Fit the GMM patch prior (or reuse the cached fit)") { ctx in
    /// The study's prior: K = 11 full-covariance components on all 16 × 16 patches of the
    /// 1,000 training digits (169,000 patches in ℝ²⁵⁶). EM starts from k-means++ and stops at
    /// a change of the mean log-likelihood below 10⁻³ or after 50 iterations, whichever comes
    /// first (3.5–4 s per iteration in release on a 2-core machine, so the first run
    /// spends a few minutes here; the cap is reached while the mean log-likelihood still
    /// creeps up by about 0.4 nats per iteration, far from the 10⁻³ tolerance). The fit is saved as
    /// `gmm-m16-k11-n1000.npz` in the figures folder and reused when its metadata (patch size,
    /// seed, data and EM settings) match, so a second run skips it. --quick: K = 4, m = 8,
    /// 3,000 random patches of the 1,000 digits, 8 iterations.
    let m = patchSize, k = componentCount
    let maxIterations = ctx.choose(full: 50, quick: 8)
    let patchLimit = ctx.choose(full: Int.max, quick: 3000)
    let options = EMOptions(maxIterations: maxIterations, seed: ctx.seed(for: "fit"))
    var patches = try extractPatches(from: training, size: m)
    if patches.rows > patchLimit {
        var g = ctx.generator("subsample")
        patches = patches.rows(g.sampleIndices(patchLimit, from: patches.rows).sorted())
    }
    let metadata = PatchModelMetadata(
        patchSize: m, pixelScale: 255, seed: options.seed,
        data: "MNIST training digits 0..<\(training.count), \(patches.rows) patches; GMM K = \(k), full covariances; "
            + "EM from k-means++, at most \(maxIterations) iterations, tolerance \(options.tolerance), regularisation \(options.regularization)")
    let cache = ctx.figuresDirectory.appendingPathComponent("gmm-m\(m)-k\(k)-n\(training.count).npz")
    trainingPatches = patches
    ctx.report("training patches", patches.rows, unit: "(d = \(m * m))")
    let (model, outcome) = try PatchModel.loadOrFit(at: cache, metadata: metadata) {
        ctx.narrate("No cached model with these settings: fitting (progress every iteration).")
        let fit = try GaussianMixture.fit(patches, components: k, covariance: .full, options: options) { ctx.progress("\($0)") }
        ctx.report("EM iterations", fit.iterations, unit: fit.converged ? "(converged)" : "(stopped at the cap)")
        ctx.report("fit time", Format.seconds(fit.seconds))
        let drops = zip(fit.meanLogLikelihoods, fit.meanLogLikelihoods.dropFirst()).map { $0 - $1 }
        ctx.check("EM never lowers the mean log-likelihood (largest drop, nats)", value: max(0, drops.max() ?? 0), below: 1e-6)
        return .gmm(fit.model)
    }
    prior = try model.prior.asGaussianMixture()
    ctx.report("model", outcome == .reused ? "reused \(cache.lastPathComponent) (metadata match)"
                                           : "fitted and saved as \(cache.lastPathComponent)")
    ctx.report("mean log-likelihood of the training patches", try prior.meanLogLikelihood(patches), unit: "nats")
    ctx.report("weights π", prior.weights.map { Format.significant($0, digits: 3) }.joined(separator: " "))
    ctx.check("the prior is a valid mixture (weights sum to 1, covariances positive definite)",
              holds: (try? prior.checkInvariants()) != nil)
    denoiser = try PatchDenoiser(prior: prior, patchSize: m, corruption: corruption)
}

chapter.step("The posterior of one corrupted patch, step by step") { ctx in
    /// The central patch of the first test digit. For every component: the log evidence
    /// log πₖ N(y; Wμₖ, Sₖ), computed here from scratch as a plain Gaussian density, its
    /// normalised weight wₖ(y), and the error of the component's posterior mean mₖ(y) against
    /// the clean patch. The library's batched posterior must agree with these formulas.
    let m = patchSize, d = m * m, side = 29 - m, corner = (28 - m) / 2
    let index = corner * side + corner
    let posterior = denoiser.posterior
    let observed = try extractPatches(from: experiment.corrupted[0], size: m).rows([index])
    exampleObserved = observed.row(0)
    exampleClean = try extractPatches(from: experiment.clean[0], size: m).row(index)
    let w = posterior.observation
    var logEvidence: [Double] = []
    for c in 0..<componentCount {
        let sigmaK = prior.covariance(c)
        var s = try w.multiplied(by: sigmaK).multiplied(by: w, transposeOther: true)
        s.addToDiagonal(corruption.sigma * corruption.sigma)
        let predicted = try MultivariateNormal(mean: w.multiplied(byVector: prior.means.row(c)), covariance: s.symmetrized())
        logEvidence.append(log(prior.weights[c]) + (try predicted.logLikelihood(observed))[0])
    }
    exampleLogEvidence = logEvidence
    let normaliser = logSumExp(logEvidence)
    let fromScratch = logEvidence.map { exp($0 - normaliser) }
    exampleWeights = try posterior.posteriorWeights(observed).row(0)
    exampleMeans = try (0..<componentCount).map { try posterior.componentMeans(observed, component: $0).row(0) }
    func rms(_ a: [Double], _ b: [Double]) -> Double { (zip(a, b).map { ($0 - $1) * ($0 - $1) }.reduce(0, +) / Double(a.count)).squareRoot() }
    let rows = (0..<componentCount).map { c in
        [String(c), Format.significant(prior.weights[c], digits: 3), Format.significant(logEvidence[c], digits: 6),
         Format.significant(exampleWeights[c], digits: 3), Format.significant(rms(exampleMeans[c], exampleClean), digits: 3)]
    }
    ctx.narrate("Patch \(index) of test digit 0 (corner (\(corner), \(corner))), RMS error of the observation "
        + "\(Format.significant(rms(exampleObserved, exampleClean), digits: 3)) gray levels:\n"
        + Format.table(["k", "π_k", "log π_k N(y; Wμ_k, S_k)", "w_k(y)", "RMS(m_k(y) − z)"], rows))
    ctx.check("weights from scratch = the library's weights (max abs difference)",
              value: zip(fromScratch, exampleWeights).map { abs($0 - $1) }.max()!, below: 1e-9)
    ctx.check("the weights sum to 1", value: abs(exampleWeights.reduce(0, +) - 1), below: 1e-12)
    /// The three estimators for this patch. The evidence MAP is the mean of the heaviest
    /// component; the MMSE blends the means with the weights; the seed's rule takes component
    /// k*, whatever y is, and its mean m̃_k*(y) = (P_k* + εI)(Σ_k*⁻¹μ_k* + Wᵀy/σ²), clipped.
    for estimator in PatchEstimator.allCases {
        exampleEstimates[estimator] = try posterior.estimate(observed, estimator: estimator).row(0)
    }
    let best = exampleWeights.indices.max { exampleWeights[$0] < exampleWeights[$1] }!
    seedComponent = try posterior.seedMAPComponent()
    let blended = (0..<d).map { j in (0..<componentCount).map { exampleWeights[$0] * exampleMeans[$0][j] }.reduce(0, +) }
    let scale = exampleClean.map(abs).max()! + 1
    ctx.check("MMSE = Σ_k w_k(y) m_k(y) (max abs difference / max pixel)",
              value: zip(blended, exampleEstimates[.mmse]!).map { abs($0 - $1) }.max()! / scale, below: 1e-9)
    ctx.check("evidence MAP = m_k̂(y) with k̂ = argmax w_k(y) (max abs difference / max pixel)",
              value: zip(exampleMeans[best], exampleEstimates[.map]!).map { abs($0 - $1) }.max()! / scale, below: 1e-9)
    var inflated = posterior.posteriorCovariances[seedComponent]
    inflated.addToDiagonal(GMMPatchPosterior.seedEpsilon)
    let priorTerm = try prior.covariance(seedComponent).cholesky().solve(vector: prior.means.row(seedComponent))
    let dataTerm = try w.transposed.multiplied(byVector: exampleObserved).map { $0 / (corruption.sigma * corruption.sigma) }
    let seedLiteral = try inflated.multiplied(byVector: zip(priorTerm, dataTerm).map { $0 + $1 }).map { $0 > 255 ? 255 : ($0 < 1 ? 0 : $0) }
    ctx.check("seed estimate = clip((P_k* + εI)(Σ_k*⁻¹μ_k* + Wᵀy/σ²)) (max abs difference / max pixel)",
              value: zip(seedLiteral, exampleEstimates[.seedMAP]!).map { abs($0 - $1) }.max()! / scale, below: 1e-9)
    ctx.report("evidence MAP picks", "component \(best) (w = \(Format.significant(exampleWeights[best], digits: 4)))")
    ctx.report("the seed rule picks", "component \(seedComponent) (w = \(Format.significant(exampleWeights[seedComponent], digits: 3)) for this patch)")
    for estimator in PatchEstimator.allCases {
        ctx.report("RMS error of the \(estimator) estimate", rms(exampleEstimates[estimator]!, exampleClean), unit: "gray levels", digits: 4)
    }
    /// The seed's score for component k, evaluated literally as the study does (the density of
    /// N(m̃ₖ(y), Pₖ + εI) at m̃ₖ(y), times πₖ) for this patch and for a patch of another digit:
    /// the two agree with each other and with the closed form log πₖ − ½ log|2π(Pₖ + εI)|.
    let other = try extractPatches(from: experiment.corrupted[experiment.corrupted.count - 1], size: m).rows([0])
    let closedForm = try posterior.seedMAPScores()
    var worst = 0.0
    for c in 0..<componentCount {
        var covariance = posterior.posteriorCovariances[c]
        covariance.addToDiagonal(GMMPatchPosterior.seedEpsilon)
        for patch in [observed, other] {
            let meanK = try posterior.componentMeans(patch, component: c).row(0)
            let density = try MultivariateNormal(mean: meanK, covariance: covariance)
            let literal = log(prior.weights[c]) + (try density.logLikelihood(Matrix(rows: 1, columns: d, storage: meanK)))[0]
            worst = max(worst, abs(literal - closedForm[c]) / abs(closedForm[c]))
        }
    }
    ctx.check("seed score, literal on two different patches = closed form without y (max rel. difference)", value: worst, below: 1e-9)
}

chapter.step("Why the seed rule picks its component") { ctx in
    /// Per component: log πₖ, the volume term −½ log|Pₖ + εI|, the seed score relative to
    /// the winner, the mean gray level of μₖ, the mean prior variance tr(Σₖ)/d, the number of
    /// prior directions with variance below 1 gray level² (nearly dead), and how often the
    /// evidence MAP chooses the component over all test patches.
    let posterior = denoiser.posterior
    let d = patchSize * patchSize
    let scores = try posterior.seedMAPScores()
    let volumeTerms = try posterior.posteriorCovariances.map { p in
        var c = p
        c.addToDiagonal(GMMPatchPosterior.seedEpsilon)
        return -0.5 * (try c.cholesky().logDeterminant)
    }
    let allPatches = try extractPatches(from: experiment.corrupted, size: patchSize)
    let weights = try posterior.posteriorWeights(allPatches)
    var usage = [Int](repeating: 0, count: componentCount)
    for i in 0..<weights.rows {
        usage[(0..<componentCount).max { weights[i, $0] < weights[i, $1] }!] += 1
    }
    var rows: [[String]] = []
    for c in 0..<componentCount {
        let sigmaK = prior.covariance(c)
        let dead = try sigmaK.symmetricEigen().values.filter { $0 < 1 }.count
        let meanGray = prior.means.row(c).reduce(0, +) / Double(d)
        rows.append([c == seedComponent ? "\(c) *" : String(c), Format.significant(log(prior.weights[c]), digits: 3),
                     Format.significant(volumeTerms[c], digits: 5), Format.significant(scores[c] - scores[seedComponent], digits: 5),
                     Format.significant(meanGray, digits: 3), Format.significant(sigmaK.trace / Double(d), digits: 4),
                     "\(dead) of \(d)", String(format: "%.1f %%", 100 * Double(usage[c]) / Double(weights.rows))])
    }
    ctx.narrate("Components (* = the seed rule's choice for every patch):\n"
        + Format.table(["k", "log π_k", "−½ log|P_k+εI|", "score − best", "mean of μ_k", "tr Σ_k / d", "var < 1", "evidence MAP use"], rows))
    let logWeights = prior.weights.map(log)
    let volumeSpread = volumeTerms.max()! - volumeTerms.min()!
    let weightSpread = logWeights.max()! - logWeights.min()!
    ctx.report("spread of the volume term over components", volumeSpread, unit: "nats", digits: 4)
    ctx.report("spread of log π_k over components", weightSpread, unit: "nats", digits: 3)
    ctx.report("test patches whose evidence MAP is the seed's component", 100 * Double(usage[seedComponent]) / Double(weights.rows), unit: "%", digits: 3)
    /// Where the seed's component is nearly degenerate: its pixels with prior variance below
    /// 1 gray level², counted per column of the window. There the estimate stays at μ_k*
    /// whatever the data say (the data gain (P + εI)Wᵀ/σ² is tiny); elsewhere it follows y.
    let variances = (0..<d).map { prior.covariance(seedComponent)[$0, $0] }
    let deadByColumn = (0..<patchSize).map { j in (0..<patchSize).filter { variances[$0 * patchSize + j] < 1 }.count }
    ctx.report("seed component: pixels with prior variance < 1, per column", deadByColumn.map(String.init).joined(separator: " "))
    ctx.report("seed component: mean gray level of those pixels in μ_k*",
               zip(prior.means.row(seedComponent), variances).filter { $0.1 < 1 }.map(\.0).reduce(0, +) / Double(max(1, deadByColumn.reduce(0, +))),
               digits: 3)
    /// The evidence is decisive: in dimension d the log evidences of two components differ by
    /// tens to hundreds of nats, so nearly every patch has one weight ≈ 1, and the evidence
    /// MAP and the MMSE estimate coincide on it.
    let decisive = (0..<weights.rows).filter { i in (0..<componentCount).contains { weights[i, $0] > 0.99 } }.count
    ctx.report("test patches with a weight above 0.99", 100 * Double(decisive) / Double(weights.rows), unit: "%", digits: 4)
    let byVolume = volumeTerms.indices.max { volumeTerms[$0] < volumeTerms[$1] }!
    ctx.check("the volume term alone picks the seed's component", equals: seedComponent, actual: byVolume)
    ctx.check("the volume term varies more than log π_k (ratio of spreads)", value: volumeSpread / weightSpread, above: 1)
}

chapter.step("Restore the test digits with the three estimators") { ctx in
    /// The patches of all test digits are estimated together (in chunks of 65,536 patches;
    /// the 33,800 of 200 digits at m = 16 fit in one); each estimator gives one estimate per
    /// patch, and reassembly averages them into digits. Times are wall-clock for all digits
    /// (patch extraction, posterior, reassembly); only a release build gives meaningful ones.
    let corrupted = try experiment.corruptedScore()
    for estimator in PatchEstimator.allCases {
        let result = try experiment.restore(with: denoiser, estimator: estimator)
        results[estimator] = result
        ctx.report("\(estimator): PSNR", result.psnr, unit: "dB", digits: 4)
        ctx.report("\(estimator): MSE", result.mse, digits: 4)
        ctx.report("\(estimator): time per digit", 1000 * result.seconds / Double(experiment.clean.count), unit: "ms", digits: 3)
    }
    ctx.check("evidence MAP beats the corrupted input (PSNR gain, dB)", value: results[.map]!.psnr - corrupted.psnr, above: 0)
    ctx.check("MMSE beats the corrupted input (PSNR gain, dB)", value: results[.mmse]!.psnr - corrupted.psnr, above: 0)
    /// The seed's component pins part of every window to its mean, so every stroke that falls
    /// into that part of some window is pulled toward background in that window's estimate,
    /// and the averaging dims the strokes: the mean restored gray level on the stroke pixels
    /// (clean value ≥ 128), relative to their clean mean.
    let cleanDigits = experiment.clean
    func strokeLevel(_ images: [Image]) -> Double {
        var total = 0.0, reference = 0.0
        for (image, clean) in zip(images, cleanDigits) {
            for (value, truth) in zip(image.clipped(to: 0...255).pixels, clean.pixels) where truth >= 128 {
                total += value
                reference += truth
            }
        }
        return total / reference
    }
    ctx.report("corrupted: stroke level kept", 100 * strokeLevel(experiment.corrupted), unit: "%", digits: 3)
    for estimator in PatchEstimator.allCases {
        ctx.report("\(estimator): stroke level kept", 100 * strokeLevel(results[estimator]!.restored), unit: "%", digits: 3)
    }
}

chapter.step("Gaussian baselines: whole-image Wiener filter and a Gaussian patch prior") { ctx in
    /// One Gaussian fitted to the whole training digits (d = 784) and restored with m = 28,
    /// which is the Wiener filter of the blurred, noisy digit; and one Gaussian fitted to the
    /// m × m training patches, restored with overlap averaging (MMSE, which for one Gaussian is
    /// also the MAP).
    let wholeDigits = try extractPatches(from: training, size: 28)
    let wiener = try MultivariateNormal.fit(wholeDigits)
    let wienerResult = try experiment.restore(
        with: PatchDenoiser(prior: wiener.mixture, patchSize: 28, corruption: corruption), estimator: .mmse)
    let patchGaussian = try MultivariateNormal.fit(trainingPatches)
    let patchResult = try experiment.restore(
        with: PatchDenoiser(prior: patchGaussian.mixture, patchSize: patchSize, corruption: corruption), estimator: .mmse)
    baselines = [("Wiener (whole digit)", wienerResult), ("Gaussian patch prior", patchResult)]
    for (name, result) in baselines {
        ctx.report("\(name): PSNR", result.psnr, unit: "dB", digits: 4)
        ctx.report("\(name): MSE", result.mse, digits: 4)
    }
    let corrupted = try experiment.corruptedScore()
    ctx.check("the Wiener filter beats the corrupted input (PSNR gain, dB)", value: wienerResult.psnr - corrupted.psnr, above: 0)
    ctx.check("the GMM prior (MMSE) beats the Gaussian patch prior (PSNR gain, dB)",
              value: results[.mmse]!.psnr - patchResult.psnr, above: 0)
}

chapter.step("Summary against the study and the reference implementation") { ctx in
    /// The reference numbers were measured with numpy and scikit-learn on held-out digits
    /// under the same protocol (m = 16, K = 11, σ = 20, 1,000 training digits). --quick runs a
    /// smaller model, so its numbers are not comparable.
    let corrupted = try experiment.corruptedScore()
    var rows: [[String]] = [["corrupted input", decibels(corrupted.psnr), Format.significant(corrupted.mse, digits: 4), "–", decibels(referencePSNR["corrupted"]!)]]
    let names: [PatchEstimator: String] = [.seedMAP: "seed rule (GMM)", .map: "evidence MAP (GMM)", .mmse: "MMSE (GMM)"]
    for estimator in PatchEstimator.allCases {
        let r = results[estimator]!
        rows.append([names[estimator]!, decibels(r.psnr), Format.significant(r.mse, digits: 4),
                     Format.significant(1000 * r.seconds / Double(experiment.clean.count), digits: 3), decibels(referencePSNR[estimator.rawValue]!)])
    }
    for (name, r) in baselines {
        rows.append([name, decibels(r.psnr), Format.significant(r.mse, digits: 4),
                     Format.significant(1000 * r.seconds / Double(experiment.clean.count), digits: 3),
                     name.hasPrefix("Wiener") ? decibels(referencePSNR["wiener"]!) : "–"])
    }
    ctx.narrate("\(experiment.clean.count) test digits, m = \(patchSize), K = \(componentCount):\n"
        + Format.table(["restoration", "PSNR (dB)", "MSE", "ms / digit", "reference PSNR (dB)"], rows))
    let worst = min(results[.map]!.psnr, results[.mmse]!.psnr)
    ctx.report("issue target for evidence MAP and MMSE", "≥ \(targetPSNR) dB at m = 16, K = 11: \(ctx.isQuick ? "not applicable (--quick)" : (worst >= targetPSNR ? "met" : "NOT met"))")
    ctx.check(ctx.isQuick ? "evidence MAP and MMSE gain ≥ 1 dB over the input (--quick stand-in for the 23 dB target)"
                          : "evidence MAP and MMSE reach the issue's 23.0 dB (the smaller of the two, dB)",
              value: ctx.isQuick ? worst - corrupted.psnr : worst, above: ctx.isQuick ? 1 : targetPSNR, digits: 4)
}

chapter.figure("Figure: the posterior of one patch") { ctx in
    /// Top row: the clean patch, its observation and the three estimates. Below: the K
    /// component means mₖ(y) with their weights wₖ(y); the seed's component is marked.
    let side = patchSize
    let cell = { (values: [Double], caption: String) -> ImageGrid.Cell in
        ImageGrid.Cell(.patch(values.map { min(max($0, 0), 255) }, side: side, displayRange: 0...255), caption: caption)
    }
    let top = [cell(exampleClean, "clean z"), cell(exampleObserved, "observed y"),
               cell(exampleEstimates[.seedMAP]!, "seed rule"), cell(exampleEstimates[.map]!, "evidence MAP"),
               cell(exampleEstimates[.mmse]!, "MMSE")]
    let components = (0..<componentCount).map { c in
        cell(exampleMeans[c], "k=\(c): w=\(Format.significant(exampleWeights[c], digits: 2))\(c == seedComponent ? " (seed)" : "")")
    }
    let perRow = 6
    let rows = [top] + stride(from: 0, to: components.count, by: perRow).map { Array(components[$0..<min($0 + perRow, components.count)]) }
    try ctx.figures.write(
        ImageGrid(rows: rows, title: "One \(patchSize) × \(patchSize) patch: estimates (top) and component posterior means m_k(y) with weights w_k(y)"),
        name: "patch-posterior")
}

chapter.figure("Figure: the component means and the seed's choice") { ctx in
    /// The prior means μₖ with their weights; the seed rule's component is the nearly empty
    /// one with the smallest posterior volume.
    let cells = (0..<componentCount).map { c in
        ImageGrid.Cell(.patch(prior.means.row(c).map { min(max($0, 0), 255) }, side: patchSize, displayRange: 0...255),
                       caption: "k=\(c): π=\(Format.significant(prior.weights[c], digits: 2))\(c == seedComponent ? " (seed)" : "")")
    }
    try ctx.figures.write(ImageGrid(cells: cells, columns: min(6, componentCount),
                                    title: "Component means μ_k of the GMM prior (m = \(patchSize), K = \(componentCount))"),
                          name: "component-means")
}

chapter.figure("Figure: what decides the seed's score") { ctx in
    /// Against the component index, each relative to its best component: the seed's log
    /// score and the log evidence log πₖ N(y; Wμₖ, Sₖ) of the example patch (the log of
    /// wₖ(y) before normalising), drawn last so it stays visible where the two meet. The
    /// seed score follows the volume term, not the data; the evidence ranks the components
    /// in a different order (in the full run the seed's component is the least likely of
    /// all eleven for the example patch, 1,466 nats below the best). log πₖ, a term of both,
    /// spans only a few nats (its spread is in the title), too little to see on this axis.
    let ks = (0..<componentCount).map(Double.init)
    let scores = try denoiser.posterior.seedMAPScores()
    let logWeights = prior.weights.map(log)
    let seedScores = scores.map { $0 - scores.max()! }
    let evidence = exampleLogEvidence.map { $0 - exampleLogEvidence.max()! }
    let lowest = ((min(seedScores.min()!, evidence.min()!) - 50) / 100).rounded(.down) * 100
    try ctx.figures.write(
        LinePlot(series: [
            .init(name: "seed score log π_k − ½ log|2π(P_k + εI)| (the same for every patch)", x: ks, y: seedScores,
                  style: .points, color: .blue),
            .init(name: "log π_k N(y; Wμ_k, S_k) of the example patch (evidence)", x: ks, y: evidence,
                  style: .points, color: .green),
        ], title: "Seed score and evidence per component, relative to each one's best\n"
                + "(log π_k, a term of both, spans only \(Format.significant(logWeights.max()! - logWeights.min()!, digits: 2)) nats: not drawn)",
                 xLabel: "component k", yLabel: "log score − best (nats)", xRange: -0.5...(Double(componentCount) - 0.5),
                 yRange: lowest...50, legend: .below),
        name: "seed-score-terms")
}

chapter.figure("Figure: PSNR of every test digit, restored against corrupted") { ctx in
    /// One marker per digit and estimator; the diagonal is "no change". Points above it gained.
    /// The evidence MAP (triangles) is drawn over the MMSE (squares): the two nearly agree on
    /// every digit, so each triangle sits on a square (the title gives the largest difference).
    let corruptedPSNR = try zip(experiment.corrupted, experiment.clean).map { try peakSignalToNoiseRatio(estimate: $0, reference: $1, peak: 255) }
    let restoredPSNR = try Dictionary(uniqueKeysWithValues: PatchEstimator.allCases.map { estimator in
        (estimator, try zip(results[estimator]!.restored, experiment.clean).map { try peakSignalToNoiseRatio(estimate: $0, reference: $1, peak: 255) })
    })
    var series: [LinePlot.Series] = [
        .init(name: "seed rule", x: corruptedPSNR, y: restoredPSNR[.seedMAP]!, style: .points, color: .orange),
        .init(name: "MMSE", x: corruptedPSNR, y: restoredPSNR[.mmse]!, style: .points, color: .red),
        .init(name: "evidence MAP", x: corruptedPSNR, y: restoredPSNR[.map]!, style: .points, color: .green),
    ]
    let largestGap = zip(restoredPSNR[.map]!, restoredPSNR[.mmse]!).map { abs($0 - $1) }.max()!
    let all = series.flatMap(\.y) + corruptedPSNR
    series.append(.init(name: "no change", x: [all.min()!, all.max()!], y: [all.min()!, all.max()!], style: .lines, color: .gray))
    try ctx.figures.write(
        LinePlot(series: series, title: "Per-digit PSNR, \(experiment.clean.count) test digits (m = \(patchSize), K = \(componentCount))\n"
                    + "evidence MAP ≈ MMSE: at most \(Format.significant(largestGap, digits: 2)) dB apart on any digit",
                 xLabel: "PSNR of the corrupted digit (dB)", yLabel: "PSNR of the restored digit (dB)", legend: .bottomRight),
        name: "psnr-per-digit")
}

chapter.figure("Figure: restored digits, GMM estimators beside the Gaussian baselines") { ctx in
    let shown = min(4, experiment.clean.count)
    let columns: [(String, [Image])] = [("original", experiment.clean), ("corrupted", experiment.corrupted),
                                        ("seed rule", results[.seedMAP]!.restored), ("evidence MAP", results[.map]!.restored),
                                        ("MMSE", results[.mmse]!.restored)] + baselines.map { ($0.name, $0.result.restored) }
    let rows = try ImageGrid.restorationRows(columns, count: shown, peak: 255,
                                             firstFileIndex: Datasets.mnistTestStart)
    try ctx.figures.write(
        ImageGrid(rows: rows, title: "Restorations of held-out digits (m = \(patchSize), K = \(componentCount), σ = 20)",
                  columnTitles: columns.map { $0.0 == "Wiener (whole digit)" ? "Wiener" : ($0.0 == "Gaussian patch prior" ? "Gauss. patches" : $0.0) }),
        name: "restored-digits")
}

chapter.run()
