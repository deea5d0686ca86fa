/// # 05 · The Gaussian scale mixture: the scale update, and why heavy tails
///
/// *Theory question 1.2 of the course report on unsupervised image denoising (seed 003):
/// derive the M-step for the scales of a Gaussian scale mixture (GSM); and its Figure 2,
/// the log-likelihood of a K = 6 GSM during EM on natural-image patches.*
///
/// **The model.** A GSM is a mixture of zero-mean Gaussians that share one covariance up
/// to a scale each:
///
/// $$p(x) = \sum_{k=1}^K \pi_k\, \mathcal N(x; 0, r_k^2 \Sigma), \qquad
///   \log \mathcal N(x; 0, r^2\Sigma) = -\frac d2 \log(2\pi r^2) - \frac12 \log|\Sigma| - \frac{x^\top \Sigma^{-1} x}{2 r^2},$$
///
/// using |r²Σ| = r^{2d} |Σ| and (r²Σ)⁻¹ = Σ⁻¹/r². Equivalently x = r z with z ~ N(0, Σ)
/// and a random scale r: a patch is a Gaussian texture whose contrast varies from patch to
/// patch, which is what natural images look like (flat sky next to sharp edges).
///
/// **The scale update.** Given responsibilities cᵢₖ, write mᵢ = xᵢᵀΣ⁻¹xᵢ and s = rₖ². The
/// expected complete-data log-likelihood depends on s only through
///
/// $$Q_k(s) = \sum_i c_{ik}\Bigl(-\frac d2 \log s - \frac{m_i}{2s}\Bigr), \qquad
///   Q_k'(s) = \sum_i c_{ik}\Bigl(-\frac{d}{2s} + \frac{m_i}{2s^2}\Bigr)
///   = \frac{\sum_i c_{ik} m_i - d\, s \sum_i c_{ik}}{2 s^2}.$$
///
/// The numerator is positive for small s and negative for large s, and zero only at
///
/// $$r_k^2 = \frac{\sum_i c_{ik}\, x_i^\top \Sigma^{-1} x_i}{d \sum_i c_{ik}},$$
///
/// so Qₖ rises up to this point and falls after it: it is the unique maximiser. The second
/// derivative confirms it: with Nₖ = Σᵢ cᵢₖ and Mₖ = Σᵢ cᵢₖ mᵢ = d s Nₖ at the stationary
/// point, Qₖ''(s) = d Nₖ/(2s²) − Mₖ/s³ = −d Nₖ/(2s²) < 0. In words: rₖ² is the average
/// squared Mahalanobis length per dimension of the patches that component k claims.
///
/// **The covariance update.** With the scales fixed, the part of the objective that depends
/// on Σ is, with Sₖ = Σᵢ cᵢₖ xᵢxᵢᵀ and Σₖ Nₖ = N,
///
/// $$Q(\Sigma) = -\frac N2 \log|\Sigma| - \frac12 \operatorname{tr}\Bigl(\Sigma^{-1} \sum_k \frac{S_k}{r_k^2}\Bigr).$$
///
/// With A = Σₖ Sₖ/rₖ² and the precision Λ = Σ⁻¹ this is (N/2) log|Λ| − ½ tr(Λ A), concave
/// in Λ, with gradient (N/2) Λ⁻¹ − A/2; it vanishes at Σ = A/N:
///
/// $$\Sigma = \frac1N \sum_k \frac{1}{r_k^2} \sum_i c_{ik}\, x_i x_i^\top,$$
///
/// every patch's outer product divided by the scales it is attributed to. The scale and
/// covariance updates depend on each other, so the library does them one after the other
/// (rₖ² with the old Σ, then Σ with the new rₖ²): each is the exact maximiser of the
/// objective with the other held fixed, so the likelihood still never decreases (an
/// expectation–conditional-maximisation step). Finally (rₖ², Σ) → (rₖ²/a, aΣ) leaves the
/// density unchanged, so the library normalises Σₖ πₖ rₖ² = 1, which makes Σ the model's
/// covariance of x. The weights get the update of chapter 03.
///
/// **Why a scale mixture: heavy tails.** One coordinate of x = r z has the marginal
/// Σₖ πₖ N(xⱼ; 0, rₖ² Σⱼⱼ), with variance Σⱼⱼ and kurtosis E xⱼ⁴ / (E xⱼ²)² =
/// 3 Σₖ πₖ rₖ⁴ / (Σₖ πₖ rₖ²)² ≥ 3 (Jensen), with equality only when all scales are equal: a
/// scale mixture is more peaked at zero and heavier in the tails than the Gaussian of the
/// same variance, as pixel differences of natural images are.
///
/// **Data.** 8 × 8 patches of the three training photographs (camera, astronaut, coffee;
/// gray, [0, 1]) with each patch's mean removed, since the GSM has mean zero; 50,000 patches
/// drawn uniformly (2,000 under `--quick`) from the 743,000 available, which is plenty for
/// 6 scales and a 64 × 64 covariance. Held out: 10,000 patches of the test photograph
/// (chelsea). MNIST digit patches are tried at the end. Removing the mean leaves every
/// patch orthogonal to the all-ones vector, so the data covariance is singular in that one
/// direction; the regularisation εI (10⁻⁶ of the mean pixel variance) is what keeps Σ
/// invertible. That direction adds a large term, about −½ log 2πε per patch, to every
/// model's ℓ, so only differences of ℓ between models carry meaning here; its share of the
/// GSM's advantage over the MVN is small (about ½ Σₖ πₖ log(1/rₖ²), a nat per patch).
///
/// **Result** (full run). EM converges in about 50 iterations. The six scales spread over
/// more than three decades (rₖ² from about 0.003 to 6, relative to Σₖ πₖ rₖ² = 1): the
/// smallest ones hold flat patches, the two largest hold a quarter of the patches and about
/// 90 % of the variance (edges). The GSM beats the single Gaussian by about 62 nats per patch
/// on the training patches and 47 on the held-out photograph. One pixel's marginal has
/// kurtosis about 12 under the GSM and 14 in the data, against 3 for a Gaussian: the figure
/// of its log-density shows the Gaussian's parabola far below the data in the tails, the GSM
/// on top of them. The closed-form scale passes every check of the derivation to rounding.
/// The photographs have constant patches too (about 2 %, in saturated regions), so their
/// GSM likelihood is also unbounded in principle (see MNIST below), but EM from spread
/// scales converges (in 49 iterations) to an ordinary local maximum whose smallest component
/// claims far more than the constant patches.
///
/// **On MNIST the likelihood has no maximum.** About 14 % of the mean-removed 8 × 8 digit
/// patches are exactly zero (blank background). A component can claim them all and shrink
/// its scale: its density at 0 grows like r⁻ᵈ, so the likelihood is unbounded. The scale
/// update obliges (it averages Mahalanobis lengths that are almost all 0), the smallest rₖ²
/// falls about tenfold per iteration, ℓ climbs by several nats per patch per iteration, and
/// after about ten iterations EM fails with a numerically singular covariance. The εI that
/// regularises the M-step cannot stop it, because the component's covariance is
/// rₖ² (Σ + εI): ε is scaled down with the collapsing scale. (A GMM is protected because
/// its ε is added to every component's own covariance.) Dithering the digits with
/// N(0, 0.5²) noise, half a gray level, removes the atom at zero, and the GSM then fits
/// normally, 37 nats per patch above the MVN. The robust fix is the library's scale floor
/// (on by default, `EMOptions.scaleFloor`): no scale may fall below ρ = 10⁻⁵ times the
/// largest, a constraint that involves neither the normalisation nor Σ, and the floored
/// scale update is a generalised EM step, so ℓ still never decreases. On the raw digits the
/// smallest scale then sits at the floor (1.5 × 10⁻⁵) from the fourth iteration on, its
/// component holds the blank patches (weight 0.138 against a blank fraction of 0.136), and
/// EM converges (ℓ changes by about 5 × 10⁻¹⁰ nats per patch at the fortieth iteration), 55 nats per
/// patch above the MVN: more than the dithered fit's 37, as the blank patches keep a high,
/// now bounded, density. (A floor such as rₖ² Σ ⪰ εI would not do: mean-removed patches
/// have no variance along the all-ones direction, so the smallest eigenvalue of Σ is ε
/// itself, and that floor would force every scale up to 1.)
///
/// **On the course report's derivation.** The result is right, but: its first lines write
/// the exponent as −½ xᵀ r² Σ⁻¹ x, multiplying by r² where (r²Σ)⁻¹ = Σ⁻¹/r² divides (it is
/// corrected two lines later); the determinant |2π r² Σ| is written (2π r²) det Σ without
/// the power d; the derivative carries a stray factor 2π on its right-hand side (the
/// 2π of log(2π r²) disappears on differentiating: d/ds log(2π s) = 1/s) and drops the ½ of
/// the Mahalanobis term; and "equating to zero" puts a minus sign on the d/(2r²) side, which
/// as written would make r² negative. It never checks that the stationary point is a
/// maximum and does not derive the Σ update. In its experiments, Figure 2 is titled K = 3
/// while the text says K = 6, and §2.5 says the MVN's MSE is the smaller although its own
/// numbers show the GSM's lower at every noise level.
import Figures
import Foundation
import Imaging
import LinearAlgebra
import Mixtures
import Randomness
import Workbook

let chapter = Chapter("05-gsm-scale", title: "The Gaussian scale mixture: the scale update, and why heavy tails",
                      question: "Theory question 1.2")
let patchSize = 8
let scaleCount = 6
/// The coordinate whose marginal the tail figure shows: pixel (3, 4), near the centre.
let shownCoordinate = 3 * patchSize + 4

var training = Matrix(rows: 0, columns: 0)
var heldOut = Matrix(rows: 0, columns: 0)
var gaussian: MultivariateNormal?
var gsmFit: FitResult<GaussianScaleMixture>?
var mnistRuns: [(name: String, logLikelihoods: [Double], smallestScales: [Double])] = []

/// EM iterations of the MNIST experiment (one at a time).
func mnistIterations(_ ctx: StepContext) -> Int { ctx.choose(full: 40, quick: 25) }

/// `count` mean-removed m × m patches drawn uniformly from the patches of `images`
/// (about the same number from each image).
func meanRemovedPatches(of images: [Image], count: Int, using g: inout SeededGenerator) throws -> Matrix {
    var storage: [Double] = []
    for (index, image) in images.enumerated() {
        let all = try extractPatches(from: image, size: patchSize)
        let share = count / images.count + (index < count % images.count ? 1 : 0)
        storage += all.rows(g.sampleIndices(share, from: all.rows)).storage
    }
    var x = try Matrix(rows: count, columns: patchSize * patchSize, storage: storage)
    _ = x.removeRowMeans()
    return x
}

chapter.step("Patches of the photographs, with their means removed") { ctx in
    /// Training patches from camera, astronaut and coffee; held-out patches from chelsea.
    var g = ctx.generator("patches")
    let images = try Datasets.trainingPhotographs.map { try Datasets.grayPhotograph($0, in: ctx.dataDirectory) }
    let available = images.reduce(0) { $0 + patchCount(width: $1.width, height: $1.height, size: patchSize) }
    training = try meanRemovedPatches(of: images, count: ctx.choose(full: 50_000, quick: 2000), using: &g)
    let test = try Datasets.grayPhotograph(Datasets.testPhotograph, in: ctx.dataDirectory)
    heldOut = try meanRemovedPatches(of: [test], count: ctx.choose(full: 10_000, quick: 1000), using: &g)
    ctx.report("photographs", Datasets.trainingPhotographs.joined(separator: ", ")
               + " (" + images.map { "\($0.width)×\($0.height)" }.joined(separator: ", ") + ")")
    ctx.report("training patches", training.rows, unit: "drawn uniformly from \(available), d = \(training.columns)")
    ctx.report("held-out patches (\(Datasets.testPhotograph))", heldOut.rows)
    var worst = 0.0
    for i in 0..<training.rows { worst = max(worst, abs(training.row(i).reduce(0, +))) }
    ctx.check("every patch sums to zero after removing its mean", value: worst, below: 1e-12)
    let constant = (0..<training.rows).count { i in training.row(i).allSatisfy { $0 == 0 } }
    ctx.report("constant patches (all 0 after removing the mean)", constant, unit: "of \(training.rows)")
}

chapter.step("The baseline: one Gaussian (MVN)") { ctx in
    /// The closed-form maximum-likelihood Gaussian, the K = 1 case of the GSM.
    gaussian = try MultivariateNormal.fit(training)
    ctx.report("MVN: training ℓ", try gaussian!.meanLogLikelihood(training), unit: "nats per patch")
    ctx.report("MVN: held-out ℓ", try gaussian!.meanLogLikelihood(heldOut), unit: "nats per patch")
}

chapter.step("Fit the K = 6 GSM by EM") { ctx in
    /// Scales start log-spaced over a factor 100, weights equal, Σ the data's second
    /// moment; EM stops when ℓ changes by less than 10⁻⁴ nats per patch.
    let fit = try GaussianScaleMixture.fit(
        training, components: scaleCount, initialization: .spreadScales(ratio: 100),
        options: EMOptions(maxIterations: ctx.choose(full: 300, quick: 10), tolerance: 1e-4, seed: ctx.seed(for: "gsm"))
    ) { p in if p.iteration % 10 == 0 { ctx.progress("GSM: \(p)") } }
    gsmFit = fit
    let model = fit.model
    ctx.report("EM iterations", fit.iterations, unit: fit.converged ? "(converged)" : "(cap reached)")
    ctx.report("fit time", Format.seconds(fit.seconds))
    ctx.report("scales r²ₖ", model.scales.map { Format.significant($0, digits: 3) }.joined(separator: ", "))
    ctx.report("weights πₖ", model.weights.map { Format.significant($0, digits: 3) }.joined(separator: ", "))
    let trainGSM = fit.finalMeanLogLikelihood, testGSM = try model.meanLogLikelihood(heldOut)
    let trainMVN = try gaussian!.meanLogLikelihood(training), testMVN = try gaussian!.meanLogLikelihood(heldOut)
    ctx.report("GSM: training ℓ", trainGSM, unit: "nats per patch (\(Format.significant(trainGSM - trainMVN, digits: 4)) above the MVN)")
    ctx.report("GSM: held-out ℓ", testGSM, unit: "nats per patch (\(Format.significant(testGSM - testMVN, digits: 4)) above the MVN)")
    let drops = zip(fit.meanLogLikelihoods.dropFirst(), fit.meanLogLikelihoods).map { $1 - $0 }
    ctx.check("ℓ never decreases (largest drop, nats per patch; ε allows O(ε))", value: max(0, drops.max()!), below: 1e-6)
    ctx.check("Σₖ πₖ rₖ² = 1 after the last M-step",
              value: abs(zip(model.weights, model.scales).reduce(0) { $0 + $1.0 * $1.1 } - 1), below: 1e-12)
    ctx.check("the GSM beats the MVN on held-out patches (nats per patch)", value: testGSM - testMVN, above: 1)
}

chapter.step("The closed-form scale is the maximiser of Qₖ") { ctx in
    /// On the responsibilities and Mahalanobis lengths of the fitted model: Qₖ′ vanishes at
    /// the closed form, Qₖ is lower at s(1 ± δ) for small and large δ, and Qₖ″ there equals
    /// −d Nₖ / (2s²). At a fixed point of EM the closed forms equal the fitted scales up to
    /// the common factor that the M-step's normalisation divides out, a = Σₖ πₖ Mₖ/(d Nₖ) =
    /// (1/(N d)) Σᵢ mᵢ, which is (d − 1)/d here because mean-removed patches have no
    /// variance along the all-ones direction.
    let model = gsmFit!.model
    let c = try model.responsibilities(training)
    let m = try model.mahalanobisForms(training)
    let d = training.columns
    var worstDerivative = 0.0, losers = 0, worstCurvature = 0.0
    var closedForms: [Double] = []
    for k in 0..<scaleCount {
        let ck = (0..<c.rows).map { c[$0, k] }
        let n = ck.reduce(0, +)
        let s = ScaleUpdate.closedForm(responsibilities: ck, mahalanobis: m, dimension: d)
        closedForms.append(s)
        // Qₖ′(s) relative to the size of its two terms, d Nₖ / (2s).
        let derivative = ScaleUpdate.derivative(scale: s, responsibilities: ck, mahalanobis: m, dimension: d)
        worstDerivative = max(worstDerivative, abs(derivative) / (Double(d) * n / (2 * s)))
        let q = ScaleUpdate.expectedLogLikelihood(scale: s, responsibilities: ck, mahalanobis: m, dimension: d)
        for delta in [1e-4, 1e-2, 0.1, 0.5, 0.9] {
            for side in [1 - delta, 1 + delta] where
                ScaleUpdate.expectedLogLikelihood(scale: s * side, responsibilities: ck, mahalanobis: m, dimension: d) >= q {
                losers += 1
            }
        }
        let h = 1e-4
        let curvature = (ScaleUpdate.derivative(scale: s * (1 + h), responsibilities: ck, mahalanobis: m, dimension: d)
            - ScaleUpdate.derivative(scale: s * (1 - h), responsibilities: ck, mahalanobis: m, dimension: d)) / (2 * s * h)
        let predicted = -Double(d) * n / (2 * s * s)
        worstCurvature = max(worstCurvature, abs(curvature / predicted - 1))
    }
    ctx.report("closed-form r²ₖ from the fit's responsibilities", closedForms.map { Format.significant($0, digits: 4) }.joined(separator: ", "))
    ctx.check("max |Qₖ′(r²ₖ)| relative to d Nₖ / (2 r²ₖ)", value: worstDerivative, below: 1e-12)
    ctx.check("scales s(1 ± δ), δ ∈ {1e-4, 0.01, 0.1, 0.5, 0.9}, with Qₖ ≥ Qₖ(r²ₖ)", equals: 0, actual: losers)
    ctx.check("Qₖ″(r²ₖ) = −d Nₖ / (2 r⁴ₖ) (max relative error of a central difference)", value: worstCurvature, below: 1e-6)
    let ratios = zip(closedForms, model.scales).map { $0 / $1 }
    let normaliser = m.reduce(0, +) / (Double(training.rows) * Double(d))
    ctx.report("closed form / fitted r²ₖ", ratios.map { Format.significant($0, digits: 5) }.joined(separator: ", ")
               + (gsmFit!.converged ? " (EM converged)" : " (EM stopped at its cap)"))
    ctx.report("normaliser (1/(N d)) Σᵢ mᵢ", normaliser, unit: "((d − 1)/d = \(Format.significant(Double(d - 1) / Double(d), digits: 5)): mean-removed patches span d − 1 dimensions)")
}

chapter.step("Heavy tails: the marginal of one pixel") { ctx in
    /// Pixel (3, 4) of a mean-removed patch under the GSM is a one-dimensional scale mixture
    /// with the same weights and scales and variance Σⱼⱼ; its kurtosis is 3 Σₖ πₖ rₖ⁴. The
    /// data's own kurtosis for comparison.
    let model = gsmFit!.model
    let j = shownCoordinate
    let values = (0..<training.rows).map { training[$0, j] }
    let second = values.reduce(0) { $0 + $1 * $1 } / Double(values.count)
    let fourth = values.reduce(0) { $0 + $1 * $1 * $1 * $1 } / Double(values.count)
    let modelKurtosis = 3 * zip(model.weights, model.scales).reduce(0) { $0 + $1.0 * $1.1 * $1.1 }
    ctx.report("pixel (3, 4): data variance / model Σⱼⱼ", "\(Format.significant(second, digits: 4)) / \(Format.significant(model.covariance[j, j], digits: 4))")
    ctx.report("kurtosis: data / GSM / Gaussian", "\(Format.significant(fourth / (second * second), digits: 4)) / \(Format.significant(modelKurtosis, digits: 4)) / 3")
    ctx.check("the GSM marginal is heavier-tailed than a Gaussian (kurtosis − 3)", value: modelKurtosis - 3, above: 0.5)
    ctx.check("so are the data (kurtosis − 3)", value: fourth / (second * second) - 3, above: 0.5)
}

chapter.step("On MNIST digits: a scale collapses onto the blank patches") { ctx in
    /// Mean-removed digit patches include many exactly blank (constant) ones, all mapped to
    /// x = 0. A component can claim them with a scale r² → 0: its density at 0 grows like
    /// r⁻ᵈ, so the likelihood has no maximum. Without a floor on the scales
    /// (`scaleFloor: 0`), the scale update drives r² down by about an order of
    /// magnitude per iteration (it averages the Mahalanobis lengths of the patches claimed, nearly
    /// all 0), ℓ climbs without bound, and EM ends in a numerically singular covariance.
    /// The εI of the M-step does not prevent it: it is added to Σ, and the component's
    /// covariance is r² (Σ + εI). Two fixes, each run here: dithering the digits (adding
    /// N(0, 0.5²) noise, half a gray level, to every pixel before cutting patches) removes
    /// the atom at 0 and gives the data a density; or the library's scale floor (its
    /// default, `EMOptions.scaleFloor`): no scale rₖ² may fall below ρ = 10⁻⁵ times the
    /// largest, the update being a generalised EM step, so ℓ still never decreases. EM runs one iteration at a time to follow the smallest
    /// scale.
    let digits = try Datasets.mnistTraining(in: ctx.dataDirectory, count: ctx.choose(full: 1000, quick: 100))
    var g = ctx.generator("mnist")
    let picked = g.sampleIndices(ctx.choose(full: 20_000, quick: 2000), from: digits.count * patchCount(width: 28, height: 28, size: patchSize))
    var raw = try extractPatches(from: digits, size: patchSize).rows(picked)
    _ = raw.removeRowMeans()
    var noise = ctx.generator("dither")
    var dithered = try extractPatches(from: digits.map { try addingGaussianNoise(to: $0, sigma: 0.5, generator: &noise) },
                                      size: patchSize).rows(picked)
    _ = dithered.removeRowMeans()
    let blank = (0..<raw.rows).count { i in raw.row(i).allSatisfy { $0 == 0 } }
    let blankFraction = Double(blank) / Double(raw.rows)
    ctx.report("blank (constant) patches", blank, unit: "of \(raw.rows) (\(Format.significant(100 * blankFraction, digits: 3)) %)")
    let rho = EMOptions().scaleFloor
    let runs: [(name: String, x: Matrix, floor: Double)] = [
        ("raw digits", raw, 0), ("dithered digits", dithered, 0), ("raw digits, scale floor", raw, rho),
    ]
    for (name, x, floor) in runs {
        let options = EMOptions(maxIterations: 1, tolerance: 0, scaleFloor: floor)
        var model = try GaussianScaleMixture.fit(
            x, components: scaleCount, initialization: .spreadScales(ratio: 100), options: EMOptions(maxIterations: 0)).model
        var logLikelihoods: [Double] = [], smallest = [model.scales.min()!], failure: Int?, flooredIterations = 0
        var smallestRatio = Double.infinity
        for t in 1...mnistIterations(ctx) {
            do {
                let fit = try GaussianScaleMixture.fit(x, components: scaleCount, initialization: .parameters(model), options: options)
                if t == 1 { logLikelihoods.append(fit.meanLogLikelihoods[0]) }
                logLikelihoods.append(fit.meanLogLikelihoods[1])
                smallest.append(fit.model.scales.min()!)
                if !fit.events.isEmpty { flooredIterations += 1 }
                model = fit.model
                smallestRatio = min(smallestRatio, model.scales.min()! / model.scales.max()!)
            } catch MixtureError.singularCovariance {
                failure = t
                break
            }
        }
        mnistRuns.append((name, logLikelihoods, smallest))
        let m = model
        let collapsed = m.scales.indices.min { m.scales[$0] < m.scales[$1] }!
        ctx.report("\(name): iterations run", smallest.count - 1, unit: failure.map { "(iteration \($0) failed: a covariance was no longer positive definite)" } ?? "(all succeeded)")
        ctx.report("\(name): scales", m.scales.map { Format.significant($0, digits: 3) }.joined(separator: ", "))
        ctx.report("\(name): weights", m.weights.map { Format.significant($0, digits: 3) }.joined(separator: ", "))
        ctx.report("\(name): ℓ first → last", "\(Format.significant(logLikelihoods.first!, digits: 5)) → \(Format.significant(logLikelihoods.last!, digits: 5)) nats per patch")
        let steps = zip(logLikelihoods.dropFirst(), logLikelihoods).map { $0 - $1 }
        switch name {
        case "raw digits":
            ctx.check("raw: the smallest scale collapses (below 1e-8)", value: m.scales[collapsed], below: 1e-8)
            ctx.check("raw: its weight is the blank fraction (|π − fraction|)", value: abs(m.weights[collapsed] - blankFraction), below: 0.02)
            ctx.check("raw: ℓ still rises by over 1 nat per patch per iteration at the end", value: steps.suffix(5).min()!, above: 1)
        case "dithered digits":
            ctx.check("dithered: every iteration succeeded", holds: failure == nil)
            ctx.check("dithered: the smallest scale stays away from 0", value: m.scales[collapsed], above: 1e-4)
            ctx.report("dithered: last ℓ changes", steps.suffix(3).max()!, unit: "nats per patch per iteration")
            let mvn = try MultivariateNormal.fit(x)
            ctx.report("dithered: GSM ℓ − MVN ℓ", logLikelihoods.last! - (try mvn.meanLogLikelihood(x)), unit: "nats per patch")
        default:
            ctx.check("floor: every iteration succeeded", holds: failure == nil)
            ctx.report("floor: iterations with a scale held at the floor", flooredIterations, unit: "of \(smallest.count - 1) (reported as events)")
            ctx.check("floor: after every iteration minₖ rₖ² / maxₖ rₖ² ≥ ρ (its ratio to ρ)",
                      value: smallestRatio / rho, above: 1 - 1e-9)
            ctx.check("floor: ℓ never decreases (largest drop, nats per patch; ε allows O(ε))", value: max(0, -steps.min()!), below: 1e-6)
            ctx.check("floor: the floored component holds the blank patches (|π − fraction|)",
                      value: abs(m.weights[collapsed] - blankFraction), below: 0.02)
            ctx.report("floor: last ℓ changes", steps.suffix(3).max()!, unit: "nats per patch per iteration")
            let mvn = try MultivariateNormal.fit(x)
            ctx.report("floor: GSM ℓ − MVN ℓ", logLikelihoods.last! - (try mvn.meanLogLikelihood(x)), unit: "nats per patch")
        }
    }
}

chapter.figure("Figure: the GSM's log-likelihood during EM (the course report's Figure 2)") { ctx in
    /// ℓ of the training patches at the start and after every M-step; the MVN's ℓ, far
    /// below, is in the title.
    let fit = gsmFit!
    let mvn = try gaussian!.meanLogLikelihood(training)
    try ctx.figures.write(
        LinePlot(series: [.init(name: "GSM, K = \(scaleCount), training patches", x: fit.meanLogLikelihoods.indices.map(Double.init),
                                y: fit.meanLogLikelihoods)],
                 title: "EM for a \(scaleCount)-scale GSM on \(training.rows) mean-removed 8 × 8 patches (MVN: ℓ = \(Format.significant(mvn, digits: 4)))",
                 xLabel: "EM iteration", yLabel: "mean log-likelihood ℓ (nats per patch)", legend: .bottomRight),
        name: "gsm-log-likelihood")
}

chapter.figure("Figure: heavy tails of one pixel's marginal") { ctx in
    /// The data's histogram, the GSM marginal, its six scaled Gaussians πₖ N(0, rₖ² Σⱼⱼ),
    /// and the Gaussian of the same variance, on a log-density axis: the Gaussian's parabola
    /// falls far below the data in the tails, the GSM follows them.
    let model = gsmFit!.model
    let j = shownCoordinate
    let variance = model.covariance[j, j], sd = variance.squareRoot()
    let limit = 8 * sd
    let grid = (0...400).map { -limit + 2 * limit * Double($0) / 400 }
    let points = try Matrix(rows: grid.count, columns: 1, storage: grid)
    let marginal = try GaussianScaleMixture(weights: model.weights, scales: model.scales,
                                            covariance: Matrix(rows: 1, columns: 1, repeating: variance))
    let normal = try MultivariateNormal(mean: [0], covariance: Matrix(rows: 1, columns: 1, repeating: variance))
    let histogram = try Histogram((0..<training.rows).map { training[$0, j] }, bins: ctx.choose(full: 81, quick: 41),
                                  range: -limit...limit)
    let occupied = histogram.densities.indices.filter { histogram.densities[$0] > 0 }
    // The axis starts at half the density of a single patch in a bin; curves below it are
    // clipped there (a component's density underflows far in its tails).
    let floor = 0.5 / (Double(histogram.total) * histogram.binWidth)
    let clipped: ([Double]) -> [Double] = { $0.map { max($0, floor / 10) } }
    var series: [LinePlot.Series] = [
        .init(name: "data (histogram)", x: occupied.map { histogram.centres[$0] }, y: occupied.map { histogram.densities[$0] },
              style: .points, color: .black),
        .init(name: "GSM marginal", x: grid, y: clipped(try marginal.logLikelihood(points).map(exp)), style: .lines, color: .blue),
        .init(name: "Gaussian, same variance", x: grid, y: clipped(try normal.logLikelihood(points).map(exp)), style: .lines, color: .red),
    ]
    for k in 0..<scaleCount {
        let component = try MultivariateNormal(mean: [0], covariance: Matrix(rows: 1, columns: 1, repeating: model.scales[k] * variance))
        series.append(.init(name: k == 0 ? "πₖ N(0, rₖ² Σⱼⱼ), k = 1…\(scaleCount)" : "",
                            x: grid, y: clipped(try component.logLikelihood(points).map { model.weights[k] * exp($0) }),
                            style: .lines, color: .gray))
    }
    try ctx.figures.write(
        LinePlot(series: series, title: "Pixel (3, 4) of mean-removed photograph patches: density on a log axis",
                 xLabel: "pixel value minus patch mean", yLabel: "density", logY: true,
                 yRange: floor...(4 * (try marginal.logLikelihood(Matrix(rows: 1, columns: 1)).map(exp)[0])),
                 legend: .topRight),
        name: "gsm-marginal-tails")
}

chapter.figure("Figure: the fitted scales and weights") { ctx in
    /// Each component at its scale rₖ² (Σₖ πₖ rₖ² = 1): its weight πₖ, the fraction of
    /// patches it claims, and its share πₖ rₖ² of the variance. The small scales hold many
    /// patches (flat regions) and little variance; the largest few hold the edges and most
    /// of the variance.
    let model = gsmFit!.model
    let order = model.scales.indices.sorted { model.scales[$0] < model.scales[$1] }
    let scales = order.map { model.scales[$0] }
    let weights = order.map { model.weights[$0] }
    let shares = order.map { model.weights[$0] * model.scales[$0] }
    // Fractions: the axis starts at 0 and ends at the next tenth above the largest (+ 5 %).
    let largest = (weights + shares).max()!
    try ctx.figures.write(
        LinePlot(series: [.init(name: "weight πₖ", x: scales, y: weights),
                          .init(name: "variance share πₖ rₖ²", x: scales, y: shares)],
                 title: "The \(scaleCount) components of the fitted GSM",
                 xLabel: "scale rₖ² (Σₖ πₖ rₖ² = 1)", yLabel: "fraction", logX: true,
                 yRange: 0...((largest * 1.05 * 10).rounded(.up) / 10), legend: .topLeft),
        name: "gsm-scales")
}

chapter.figure("Figure: on MNIST, one scale collapses") { ctx in
    /// The smallest rₖ² at every EM iteration: raw digit patches without a floor (it
    /// collapses until EM fails), dithered ones, and raw ones with the scale floor.
    let series = mnistRuns.map { run in
        LinePlot.Series(name: run.name, x: run.smallestScales.indices.map(Double.init), y: run.smallestScales)
    }
    try ctx.figures.write(
        LinePlot(series: series, title: "GSM on mean-removed 8 × 8 digit patches: the smallest scale",
                 xLabel: "EM iteration", yLabel: "minₖ rₖ²", logY: true, legend: .topRight),
        name: "gsm-mnist-collapse")
}

chapter.run()
