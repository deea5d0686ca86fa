/// # 07 · The posterior under a Gaussian-mixture prior
///
/// *Theory question 2 of the MNIST denoising study (seed 002, §2.2.3): if the clean patch
/// has a Gaussian-mixture prior and the observation is linear with Gaussian noise, what is
/// the posterior p(z | y)?*
///
/// **Result.** With the prior p(z) = Σₖ πₖ N(z; μₖ, Σₖ) and y = W z + b + n,
/// n ~ N(0, Σ_y), the posterior is again a Gaussian mixture with K components,
///
/// $$p(z \mid y) = \sum_{k=1}^K w_k(y)\, \mathcal N\big(z;\, m_k(y),\, P_k\big), \qquad
///   w_k(y) = \frac{\pi_k\, \mathcal N(y;\, W\mu_k + b,\, S_k)}{\sum_j \pi_j\, \mathcal N(y;\, W\mu_j + b,\, S_j)},$$
///
/// where S_k = Σ_y + W Σₖ Wᵀ, and m_k(y), P_k are the single-Gaussian posterior of chapter 06
/// computed with component k as the prior: m_k(y) = μₖ + Σₖ Wᵀ S_k⁻¹ (y − W μₖ − b),
/// P_k = Σₖ − Σₖ Wᵀ S_k⁻¹ W Σₖ.
///
/// **Derivation.** Think of the mixture as a two-stage draw: a label k with probability πₖ,
/// then z ~ N(μₖ, Σₖ). Given k, (z, y) is exactly the joint of chapter 06 (Lemma 2) with
/// prior N(μₖ, Σₖ), and a joint density factors both ways,
/// p(z, y | k) = p(z | k) p(y | z) = p(y | k) p(z | y, k), with p(y | k) = N(y; Wμₖ + b, S_k)
/// (the y-marginal of Lemma 2) and p(z | y, k) = N(z; m_k(y), P_k) (Lemma 1). Summing over
/// the label,
///
/// $$p(z, y) = \sum_k \pi_k\, \mathcal N(y; W\mu_k + b, S_k)\; \mathcal N(z; m_k(y), P_k),$$
///
/// and integrating out z gives p(y) = Σⱼ πⱼ N(y; Wμⱼ + b, Sⱼ). Dividing, p(z | y) is the
/// mixture above, and wₖ(y) = p(k | y) is Bayes' rule for the label: how probable it is that
/// the patch came from component k, judged by how well that component's *predicted
/// observation* N(Wμₖ + b, S_k) explains y. The components of the posterior are the
/// per-component posteriors; only the weights need the evidence.
///
/// **Where the study goes wrong.** The report writes each term
/// πₖ N(z; μₖ, Σₖ) N(y; Wz + b, Σ_y) / p(y) as πₖ N(z; m_k, P_k), i.e. it divides every
/// term by the *mixture's* evidence p(y) while the identity of chapter 06 holds with the
/// *component's* evidence p(y | k). It concludes that the posterior weights equal the prior
/// weights πₖ. That is true only when every component explains y equally well, for
/// example in the limit Σ_y → ∞ where y carries no information. Otherwise the claim throws
/// away exactly what makes a mixture prior useful: the observation decides which kind of
/// patch it is (background, stroke, edge) before the Gaussian posterior of that kind does
/// the fine work. Both limits are checked below: σ → ∞ gives wₖ → πₖ; σ → 0 (with W = a ≠ 0
/// in 1-D) gives wₖ → the prior responsibilities of the point z = (y − b)/a.
///
/// **Verified here** on a 1-D example small enough to integrate by brute force: three prior
/// components, y = a z + n with a = 0.8, σ = 1.2. The exact mixture, computed with the
/// library's `GMMPatchPosterior`, is compared with the normalised product prior × likelihood
/// evaluated on a fine grid of z.
///
/// **Result.** For y = 1.5 the posterior weights are 0.007, 0.689, 0.304 against prior
/// weights 0.5, 0.3, 0.2: the component centred at −4, half of the prior, is all but ruled
/// out. Weights, posterior mean and variance match the brute-force integral to a few 10⁻¹⁵,
/// the density to 10⁻¹⁴ of its peak. Keeping the prior weights, as the study does, gives a density at total variation
/// distance 0.48 from the true posterior, with a spurious mode near z = −2.
import Figures
import Foundation
import LinearAlgebra
import Mixtures
import Restoration
import Workbook

let chapter = Chapter("07-gmm-posterior", title: "The posterior under a Gaussian-mixture prior",
                      question: "Theory question 2")

/// The 1-D prior: three components with different widths.
let priorWeights = [0.5, 0.3, 0.2]
let priorMeans = [-4.0, 0.5, 4.0]
let priorVariances = [1.0, 0.36, 2.25]
/// y = a z + n, n ~ N(0, σ²), observed at y = 1.5.
let gain = 0.8
let noiseSigma = 1.2
let observed = 1.5

var prior: GaussianMixture?
var posterior: GMMPatchPosterior?
var grid: [Double] = []
var priorDensity: [Double] = []
var likelihoodDensity: [Double] = []
var exactPosteriorDensity: [Double] = []
var bruteForceDensity: [Double] = []
var studyPosteriorDensity: [Double] = []

/// A column matrix of the values (N x 1): 1-D samples for the mixture code.
func column(_ values: [Double]) throws -> Matrix { try Matrix(rows: values.count, columns: 1, storage: values) }

/// The density of a mixture at every grid point.
func density(_ mixture: GaussianMixture, at points: [Double]) throws -> [Double] {
    try mixture.logLikelihood(column(points)).map { exp($0) }
}

chapter.step("The prior mixture and the observation model") { ctx in
    /// The prior and the exact posterior for the observation y = 1.5.
    let means = try Matrix(rows: 3, columns: 1, storage: priorMeans)
    let mixture = try GaussianMixture(weights: priorWeights, means: means,
                                      covariances: .full(priorVariances.map { try Matrix(rowArrays: [[$0]]) }))
    prior = mixture
    posterior = try GMMPatchPosterior(prior: mixture, observation: Matrix(rowArrays: [[gain]]), noiseSigma: noiseSigma)
    let weights = try posterior!.posteriorWeights(column([observed])).row(0)
    let y = try column([observed])
    for k in 0..<3 {
        let mean = try posterior!.componentMeans(y, component: k)[0, 0]
        ctx.report("component \(k + 1): π, μ, s²  →  w(y), m(y), P",
                   "\(priorWeights[k]), \(priorMeans[k]), \(priorVariances[k])  →  "
                       + "\(Format.significant(weights[k], digits: 4)), \(Format.significant(mean, digits: 4)), "
                       + "\(Format.significant(posterior!.posteriorCovariances[k][0, 0], digits: 4))")
    }
    ctx.report("observation", "y = \(gain) z + n, σ = \(noiseSigma), y = \(observed)")
    ctx.check("posterior weights sum to 1", value: abs(weights.reduce(0, +) - 1), below: 1e-14)
}

chapter.step("Each posterior component is the single-Gaussian posterior of chapter 06") { ctx in
    /// Component by component, `GMMPatchPosterior`'s mₖ(y) and Pₖ against
    /// `LinearGaussianModel` with that component as the whole prior (block conditioning).
    let y = try column([observed])
    var worst = 0.0
    for k in 0..<3 {
        let single = try LinearGaussianModel(
            prior: Gaussian(mean: [priorMeans[k]], covariance: Matrix(rowArrays: [[priorVariances[k]]])),
            operatorMatrix: Matrix(rowArrays: [[gain]]),
            noiseCovariance: Matrix(rowArrays: [[noiseSigma * noiseSigma]]))
        let expected = try single.posteriorByBlockConditioning(observed: [observed])
        let mean = try posterior!.componentMeans(y, component: k)[0, 0]
        worst = max(worst, abs(mean - expected.mean[0]) / max(1, abs(expected.mean[0])),
                    abs(posterior!.posteriorCovariances[k][0, 0] - expected.covariance[0, 0]) / expected.covariance[0, 0])
    }
    ctx.check("max relative difference of means and variances", value: worst, below: 1e-12)
}

chapter.step("Brute force: prior × likelihood on a grid") { ctx in
    /// On a grid of step h over [−20, 20] (far beyond every component), the unnormalised
    /// posterior πₖ N(z; μₖ, s²ₖ) N(y; a z, σ²) per component, summed and normalised by
    /// its Riemann sum (for these Gaussian integrands the Riemann sum is accurate to far
    /// below 10⁻¹⁰). The per-component integrals give the weights directly.
    let h = ctx.choose(full: 0.0005, quick: 0.002)
    grid = stride(from: -20.0, through: 20.0, by: h).map { $0 }
    let points = try column(grid)
    priorDensity = try density(prior!, at: grid)
    let responsibilities = try prior!.responsibilities(points)
    // p(y | z) = N(y; a z, σ²), straight from the observation model.
    let likelihood = grid.map { z in
        exp(-(observed - gain * z) * (observed - gain * z) / (2 * noiseSigma * noiseSigma))
            / (2 * Double.pi * noiseSigma * noiseSigma).squareRoot()
    }
    let perComponent = (0..<3).map { k in grid.indices.map { responsibilities[$0, k] * priorDensity[$0] * likelihood[$0] } }
    let evidence = perComponent.map { $0.reduce(0, +) * h }
    let total = evidence.reduce(0, +)
    bruteForceDensity = grid.indices.map { i in (0..<3).reduce(0) { $0 + perComponent[$1][i] } / total }
    let gridWeights = evidence.map { $0 / total }

    let weights = try posterior!.posteriorWeights(column([observed])).row(0)
    let means = try (0..<3).map { try posterior!.componentMeans(column([observed]), component: $0)[0, 0] }
    let exact = try GaussianMixture(weights: weights, means: column(means), covariances: .full(posterior!.posteriorCovariances))
    exactPosteriorDensity = try density(exact, at: grid)
    // The likelihood as a normalised density of z: N(z; y/a, σ²/a²) (chapter 06).
    let inClean = try LinearGaussianModel(
        prior: Gaussian(mean: [0], covariance: Matrix(rowArrays: [[1]])), operatorMatrix: Matrix(rowArrays: [[gain]]),
        noiseCovariance: Matrix(rowArrays: [[noiseSigma * noiseSigma]])).likelihoodOfCleanPatch(observed: [observed])
    likelihoodDensity = try density(
        GaussianMixture(weights: [1], means: column(inClean.mean), covariances: .full([inClean.covariance])), at: grid)

    let peak = bruteForceDensity.max()!
    let densityError = zip(exactPosteriorDensity, bruteForceDensity).reduce(0) { max($0, abs($1.0 - $1.1)) }
    let gridMean = zip(grid, bruteForceDensity).reduce(0) { $0 + $1.0 * $1.1 } * h
    let gridVariance = zip(grid, bruteForceDensity).reduce(0) { $0 + ($1.0 - gridMean) * ($1.0 - gridMean) * $1.1 } * h
    let exactMean = zip(weights, means).reduce(0) { $0 + $1.0 * $1.1 }
    let exactVariance = (0..<3).reduce(0) { $0 + weights[$1] * (posterior!.posteriorCovariances[$1][0, 0] + means[$1] * means[$1]) } - exactMean * exactMean
    ctx.report("grid", "\(grid.count) points, step \(h)")
    ctx.report("weights: exact", weights.map { Format.significant($0, digits: 6) }.joined(separator: ", "))
    ctx.report("weights: grid", gridWeights.map { Format.significant($0, digits: 6) }.joined(separator: ", "))
    ctx.report("posterior mean: exact, grid", "\(Format.significant(exactMean, digits: 8)), \(Format.significant(gridMean, digits: 8))")
    ctx.report("posterior variance: exact, grid", "\(Format.significant(exactVariance, digits: 8)), \(Format.significant(gridVariance, digits: 8))")
    ctx.check("max |w_exact − w_grid|", value: zip(weights, gridWeights).reduce(0) { max($0, abs($1.0 - $1.1)) }, below: 1e-9)
    ctx.check("max |density error| / peak density", value: densityError / peak, below: 1e-9)
    ctx.check("posterior mean and variance agree (relative)",
              value: max(abs(exactMean - gridMean) / max(1, abs(gridMean)), abs(exactVariance - gridVariance) / gridVariance), below: 1e-9)
}

chapter.step("The study's claim: posterior weights = prior weights") { ctx in
    /// Keep the component posteriors but give them the prior weights, as the report does,
    /// and measure how far that density is from the truth: total variation distance
    /// ½ ∫ |p − q| dz (0 for equal densities, 1 for disjoint ones).
    let y = try column([observed])
    let means = try (0..<3).map { try posterior!.componentMeans(y, component: $0)[0, 0] }
    let study = try GaussianMixture(weights: priorWeights, means: column(means), covariances: .full(posterior!.posteriorCovariances))
    studyPosteriorDensity = try density(study, at: grid)
    let h = grid[1] - grid[0]
    let studyDistance = 0.5 * zip(studyPosteriorDensity, bruteForceDensity).reduce(0) { $0 + abs($1.0 - $1.1) } * h
    let exactDistance = 0.5 * zip(exactPosteriorDensity, bruteForceDensity).reduce(0) { $0 + abs($1.0 - $1.1) } * h
    let weights = try posterior!.posteriorWeights(y).row(0)
    ctx.report("largest |w_k(y) − π_k|", zip(weights, priorWeights).reduce(0) { max($0, abs($1.0 - $1.1)) }, digits: 4)
    ctx.report("total variation to the brute-force posterior: exact mixture", exactDistance, digits: 3)
    ctx.report("total variation to the brute-force posterior: prior weights", studyDistance, digits: 3)
    ctx.check("the prior-weight posterior is far from the truth (TV > 0.1)", value: studyDistance, above: 0.1)
    ctx.check("the exact mixture is not (TV < 10⁻⁹)", value: exactDistance, below: 1e-9)
}

chapter.step("The two limits of the weights") { ctx in
    /// σ → ∞: every component predicts y equally badly, so w → π (the one case where the
    /// study's claim holds). σ → 0: y pins z = y/a, and w becomes the prior
    /// responsibilities of that point, πₖ N(y/a; μₖ, s²ₖ) / p(y/a).
    let y = try column([observed])
    let blurred = try GMMPatchPosterior(prior: prior!, observation: Matrix(rowArrays: [[gain]]), noiseSigma: 1e5)
    let sharp = try GMMPatchPosterior(prior: prior!, observation: Matrix(rowArrays: [[gain]]), noiseSigma: 1e-5)
    let wide = try blurred.posteriorWeights(y).row(0)
    let narrow = try sharp.posteriorWeights(y).row(0)
    let atPoint = try prior!.responsibilities(column([observed / gain])).row(0)
    ctx.report("σ = 10⁵: w", wide.map { Format.significant($0, digits: 6) }.joined(separator: ", "))
    ctx.report("σ = 10⁻⁵: w", narrow.map { Format.significant($0, digits: 6) }.joined(separator: ", "))
    ctx.report("prior responsibilities at z = y/a", atPoint.map { Format.significant($0, digits: 6) }.joined(separator: ", "))
    ctx.check("σ = 10⁵: max |w − π|", value: zip(wide, priorWeights).reduce(0) { max($0, abs($1.0 - $1.1)) }, below: 1e-8)
    ctx.check("σ = 10⁻⁵: max |w − responsibilities at y/a|", value: zip(narrow, atPoint).reduce(0) { max($0, abs($1.0 - $1.1)) }, below: 1e-8)
}

chapter.figure("Figure: prior, likelihood and posterior in 1-D") { ctx in
    /// The exact posterior mixture (green) sits on the brute-force points; the study's
    /// version with the prior weights (red) keeps a mode near −2.2 (where the observation moves
    /// the component centred at −4) that the posterior weights rule out.
    let shown = grid.indices.filter { grid[$0] >= -9 && grid[$0] <= 9 }
    let x = shown.map { grid[$0] }
    let every = max(1, shown.count / 90)
    let markers = shown.enumerated().filter { $0.offset % every == 0 }.map(\.element)
    try ctx.figures.write(
        LinePlot(series: [
            .init(name: "prior p(z), 3 components", x: x, y: shown.map { priorDensity[$0] }, style: .lines, color: .blue),
            .init(name: "likelihood p(y | z) in z, normalised", x: x, y: shown.map { likelihoodDensity[$0] }, style: .lines, color: .orange),
            .init(name: "posterior p(z | y), exact mixture", x: x, y: shown.map { exactPosteriorDensity[$0] }, style: .lines, color: .green),
            .init(name: "posterior by brute-force integration", x: markers.map { grid[$0] },
                  y: markers.map { bruteForceDensity[$0] }, style: .points, color: .black),
            .init(name: "posterior using the prior weights πₖ instead of wₖ(y) (wrong)", x: x, y: shown.map { studyPosteriorDensity[$0] }, style: .lines, color: .red),
        ], title: "Mixture prior, observation y = \(observed) of y = \(gain) z + n (σ = \(noiseSigma))",
           xLabel: "clean value z", yLabel: "density", yRange: -0.01...0.8, legend: .topRight),
        name: "posterior-1d")
}

chapter.figure("Figure: posterior weights against the observation") { ctx in
    /// wₖ(y) for y from −9 to 9: each component takes over where its predicted observation
    /// N(a μₖ, σ² + a² s²ₖ) dominates; the gray lines are the prior weights the study would
    /// use for every y; markers show the y of the first figure.
    let ys = stride(from: -9.0, through: 9.0, by: 0.05).map { $0 }
    let weights = try posterior!.posteriorWeights(column(ys))
    let atObserved = try posterior!.posteriorWeights(column([observed])).row(0)
    let colors: [Color] = [.blue, .orange, .green]
    var series: [LinePlot.Series] = (0..<3).map { k in
        .init(name: "w\(k + 1)(y): μ = \(priorMeans[k]), π = \(priorWeights[k])", x: ys,
              y: ys.indices.map { weights[$0, k] }, style: .lines, color: colors[k])
    }
    for k in 0..<3 {
        series.append(.init(name: k == 0 ? "prior weights πₖ" : "", x: [ys.first!, ys.last!],
                            y: [priorWeights[k], priorWeights[k]], style: .lines, color: .gray))
    }
    series.append(.init(name: "y = \(observed) (first figure)", x: [observed, observed, observed], y: atObserved,
                        style: .points, color: .black))
    try ctx.figures.write(
        LinePlot(series: series, title: "Posterior weights wₖ(y) of the 1-D mixture (a = \(gain), σ = \(noiseSigma))",
                 xLabel: "observation y", yLabel: "posterior weight", yRange: -0.02...1.02, legend: .below,
                 size: PixelSize(width: 900, height: 660)),
        name: "posterior-weights-vs-y")
}

chapter.run()
