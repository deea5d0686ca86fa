/// # 04 · Identical initial components: EM stuck at a single Gaussian
///
/// *Theory question 1.3 of the course report on unsupervised image denoising (seed 003):
/// what happens when EM starts with every component equal to the others?*
///
/// **The claim.** Start EM with K identical components, each with weight 1/K and the
/// data's mean x̄ and covariance C (the `identical` initialisation, plus the regularisation
/// εI that every M-step adds). Then every responsibility is 1/K, every M-step returns the
/// same parameters, and EM stops at once: the K-component mixture is a single Gaussian in
/// disguise, and its likelihood is that of the maximum-likelihood Gaussian (the MVN).
///
/// **Proof, by induction over iterations.** Suppose that at iteration t every component
/// has the same mean and covariance, (μₖ, Σₖ) = (m, S) for all k, with weights πₖ (the base
/// case, t = 0, has πₖ = 1/K, m = x̄, S = C + εI). The E-step gives
///
/// $$c_{ik} = \frac{\pi_k\, \mathcal N(x_i; m, S)}{\sum_j \pi_j\, \mathcal N(x_i; m, S)} = \pi_k
///   \qquad \text{for every sample } i,$$
///
/// because the common density cancels: the data carry no information about which component
/// a sample came from. So Nₖ = Σᵢ cᵢₖ = N πₖ, and the M-step gives
///
/// $$\pi_k' = \frac{N_k}{N} = \pi_k, \qquad
///   \mu_k' = \frac{\sum_i \pi_k x_i}{N \pi_k} = \bar x, \qquad
///   \Sigma_k' = \frac{\sum_i \pi_k (x_i - \bar x)(x_i - \bar x)^\top}{N \pi_k} + \varepsilon I = C + \varepsilon I,$$
///
/// the same for every k: the hypothesis holds at t + 1, with (m, S) = (x̄, C + εI) and the
/// weights unchanged. From t = 1 on the parameters never change, so θ₁ = θ₂ = …, a fixed
/// point of EM. The density is Σₖ πₖ N(x; x̄, C + εI) = N(x; x̄, C + εI), the regularised
/// MVN fit, whatever K is. With the identical start the base case already *is* that fixed
/// point, so ℓ₁ = ℓ₀ and a convergence test on the change of ℓ stops after one M-step;
/// from any other shared (m, S) the first M-step moves to (x̄, C + εI) and the second
/// changes nothing, which is the course report's "converges after two iterations".
///
/// **Any symmetry is kept.** EM treats the components alike: permuting the labels of θ
/// permutes the labels of the E-step's responsibilities and of the M-step's output. If two
/// components j and l have the same mean and covariance, then cᵢⱼ / cᵢₗ = πⱼ / πₗ for every
/// sample, so their weighted means and covariances coincide again and their weight ratio
/// is kept: by the same induction they stay tied forever, and the K-component fit is
/// exactly a (K − 1)-component fit with the tied pair merged (weight πⱼ + πₗ). EM is a
/// deterministic map that cannot create a difference between components out of nothing.
///
/// **Why random and k-means++ starts escape.** They start asymmetric: k-means++ places the
/// K means at different samples and fits each to its own cluster; random responsibilities
/// give every component a different weighted average of the data. Each EM step then gives
/// the components different responsibilities, and they specialise.
///
/// **The symmetric point is a saddle, and floating point finds out.** The symmetric point
/// is a fixed point of the regularised EM map and a stationary point of the likelihood up to
/// O(ε) (Σ = C + εI rather than C), but, on non-Gaussian data, not a maximum: moving two
/// component means apart along a direction where the data are bimodal raises the
/// likelihood. Near a saddle, EM amplifies any asymmetry geometrically. So the exact
/// argument above holds in floating point only when the components are computed by the
/// same operations on the same numbers, as with the identical start and equal weights,
/// which stays exactly symmetric for any number of iterations. A shared start with
/// *unequal* weights is symmetric in exact arithmetic, but its components' log πₖ differ,
/// so their first M-step outputs differ by rounding errors (10⁻¹⁴ to 10⁻¹³); these grow
/// by a factor of about 10–20 per iteration and after 10–20 iterations the components have
/// separated, as they do from an identical start whose first mean is nudged by 10⁻⁹
/// standard deviations. A convergence test on the change of ℓ cannot see any of this: at
/// the saddle ℓ does not move, and EM declares convergence after one iteration.
///
/// **Result** (full run, K = 5 on 20,000 patches). The identical start stays put for 100
/// iterations with the components equal to the last bit and ℓ equal to the single
/// Gaussian's (−328.8 nats per patch). k-means++ and random-responsibility starts climb at
/// once, to about −210. The starts that leave the saddle only through rounding or a tiny
/// nudge climb late, and the nudged ones stop at markedly worse local maxima (about −270):
/// escaping a saddle along an arbitrary direction is no substitute for a good start.
///
/// **On the course report.** Its answer is right but argued by assertion: it states the
/// parameters after the first iteration without deriving the responsibilities 1/K, gives
/// no induction for the later iterations, does not note that the stuck mixture is exactly
/// the single-Gaussian fit, and uses Σ both for sums and for the covariance (Σ_{y₁} =
/// Σ_{y₂} = Σ (…)/N).
///
/// **Subsampling.** All fits use 20,000 patches of 8 × 8 drawn uniformly from the 441,000
/// patches of the 1,000 training digits (2,000 under `--quick`), K = 5, 100 EM iterations
/// (50 when followed one iteration at a time, 60 for the tied pair, which compares K = 5 with
/// K = 4; 10, 10 and 8 under `--quick`): the proof holds for any
/// data and K, so a subsample shows the behaviour as well as all patches would.
import Figures
import Foundation
import Imaging
import LinearAlgebra
import Mixtures
import Randomness
import Workbook

let chapter = Chapter("04-degenerate-init", title: "Identical initial components: EM stuck at a single Gaussian",
                      question: "Theory question 1.3")
let patchSize = 8
let componentCount = 5

var patches = Matrix(rows: 0, columns: 0)
var summary: DataSummary?
var epsilon = 0.0
var maxIterations = 0
var trajectoryIterations = 0
var gaussianMeanLogLikelihood = 0.0
var curves: [(name: String, values: [Double])] = []
var stuckModel: GaussianMixture?
var kMeansModel: GaussianMixture?
var sharedStart: GaussianMixture?
var trajectories: [(name: String, deviations: [Double])] = []
/// One colour per start, shared by the figures.
let startColors: [String: Color] = [
    "identical components": .blue, "shared N(0, vI), unequal π": .orange,
    "identical, one mean nudged 1e-3 sd": .green, "identical, one mean nudged 1e-9 sd": .red,
    "k-means++": .purple, "random responsibilities": .brown,
]

/// max over rows ‖aᵢ − bᵢ‖ / max(‖bᵢ‖, tiny), the relative difference of two mean vectors.
func relativeDifference(_ a: [Double], _ b: [Double]) -> Double {
    let difference = zip(a, b).reduce(0) { $0 + ($1.0 - $1.1) * ($1.0 - $1.1) }.squareRoot()
    return difference / max(b.reduce(0) { $0 + $1 * $1 }.squareRoot(), Double.leastNormalMagnitude)
}

/// maxₖ ‖μₖ − x̄‖ / ‖x̄‖, how far the component means are from the symmetric fixed point.
@MainActor func maxMeanDeviation(_ model: GaussianMixture) -> Double {
    (0..<model.componentCount).map { relativeDifference(model.means.row($0), summary!.mean) }.max()!
}

/// ‖A − B‖_F / ‖B‖_F.
func relativeDifference(_ a: Matrix, _ b: Matrix) throws -> Double {
    try a.subtracting(b).frobeniusNorm / max(b.frobeniusNorm, Double.leastNormalMagnitude)
}

/// A full-covariance EM fit of the chapter's patches with a fixed number of iterations
/// (tolerance 0 unless given), printing every tenth iteration.
func fitMixture(
    _ x: Matrix, components k: Int, initialization: GaussianMixture.Initialization, iterations: Int,
    tolerance: Double = 0, label: String, ctx: StepContext
) throws -> FitResult<GaussianMixture> {
    try GaussianMixture.fit(
        x, components: k, covariance: .full, initialization: initialization,
        options: EMOptions(maxIterations: iterations, tolerance: tolerance, seed: ctx.seed(for: "fit-\(label)"))
    ) { p in if p.iteration % 10 == 0 { ctx.progress("\(label): \(p)") } }
}

chapter.step("Cut the training digits into 8 × 8 patches and subsample them") { ctx in
    let digits = try Datasets.mnistTraining(in: ctx.dataDirectory, count: ctx.choose(full: 1000, quick: 100))
    let all = try extractPatches(from: digits, size: patchSize)
    var g = ctx.generator("subsample")
    patches = all.rows(g.sampleIndices(ctx.choose(full: 20_000, quick: 2000), from: all.rows))
    summary = try DataSummary(patches)
    epsilon = EMOptions().regularization.value(for: summary!)
    maxIterations = ctx.choose(full: 100, quick: 10)
    trajectoryIterations = ctx.choose(full: 50, quick: 10)
    ctx.report("uniform subsample", patches.rows, unit: "of \(all.rows) patches, d = \(patches.columns)")
    ctx.report("regularisation ε (10⁻⁶ × mean pixel variance)", epsilon)
}

chapter.step("One EM iteration from identical components lands on the global mean and covariance") { ctx in
    /// The base case of the induction: after one E- and M-step every component is
    /// (1/K, x̄, C + εI).
    let fit = try fitMixture(patches, components: componentCount, initialization: .identical, iterations: 1,
                             label: "identical, 1 iteration", ctx: ctx)
    var global = summary!.covariance
    global.addToDiagonal(epsilon)
    var worstWeight = 0.0, worstMean = 0.0, worstCovariance = 0.0
    for k in 0..<componentCount {
        worstWeight = max(worstWeight, abs(fit.model.weights[k] - 1 / Double(componentCount)) * Double(componentCount))
        worstMean = max(worstMean, relativeDifference(fit.model.means.row(k), summary!.mean))
        worstCovariance = max(worstCovariance, try relativeDifference(fit.model.covariance(k), global))
    }
    ctx.check("every weight is 1/K (max relative error)", value: worstWeight, below: 1e-13)
    ctx.check("every mean is x̄ (max relative error)", value: worstMean, below: 1e-12)
    ctx.check("every covariance is C + εI (max relative Frobenius error)", value: worstCovariance, below: 1e-12)
}

chapter.step("Many iterations later the components are still identical, and EM has not moved") { ctx in
    /// The induction step, iterated: with tolerance 0 EM runs every iteration it is given.
    let fit = try fitMixture(patches, components: componentCount, initialization: .identical,
                             iterations: maxIterations, label: "identical", ctx: ctx)
    stuckModel = fit.model
    curves.append(("identical components", fit.meanLogLikelihoods))
    var worstMean = 0.0, worstCovariance = 0.0, worstWeight = 0.0
    for k in 1..<componentCount {
        worstMean = max(worstMean, relativeDifference(fit.model.means.row(k), fit.model.means.row(0)))
        worstCovariance = max(worstCovariance, try relativeDifference(fit.model.covariance(k), fit.model.covariance(0)))
        worstWeight = max(worstWeight, abs(fit.model.weights[k] - fit.model.weights[0]))
    }
    ctx.report("EM iterations", fit.iterations)
    ctx.check("components equal to each other: max relative mean difference", value: worstMean, below: 1e-13)
    ctx.check("components equal to each other: max relative covariance difference", value: worstCovariance, below: 1e-13)
    ctx.check("components equal to each other: max weight difference", value: worstWeight, below: 1e-15)
    let first = fit.meanLogLikelihoods[0]
    let spread = fit.meanLogLikelihoods.map { abs($0 - first) }.max()!
    ctx.report("ℓ at every iteration", first, unit: "nats per patch")
    ctx.check("max |ℓₜ − ℓ₀| over \(fit.iterations) iterations (relative)", value: spread / abs(first), below: 1e-13)
}

chapter.step("Its likelihood is the single Gaussian's") { ctx in
    /// Σₖ (1/K) N(x; x̄, C + εI) = N(x; x̄, C + εI): the closed-form MVN fit with the same ε.
    let gaussian = try MultivariateNormal.fit(patches, regularization: .absolute(epsilon))
    gaussianMeanLogLikelihood = try gaussian.meanLogLikelihood(patches)
    let stuck = try stuckModel!.meanLogLikelihood(patches)
    ctx.report("MVN mean log-likelihood", gaussianMeanLogLikelihood, unit: "nats per patch")
    ctx.report("stuck K = \(componentCount) mixture", stuck, unit: "nats per patch")
    ctx.check("|ℓ(stuck mixture) − ℓ(MVN)| (relative)",
              value: abs(stuck - gaussianMeanLogLikelihood) / abs(gaussianMeanLogLikelihood), below: 1e-12)
    var worst = 0.0
    let perSampleMixture = try stuckModel!.logLikelihood(patches), perSampleGaussian = try gaussian.logLikelihood(patches)
    for (a, b) in zip(perSampleMixture, perSampleGaussian) { worst = max(worst, abs(a - b) / max(abs(b), 1)) }
    ctx.check("the densities agree patch by patch (max relative difference)", value: worst, below: 1e-11)
}

chapter.step("A convergence test stops EM after one iteration") { ctx in
    /// With the default tolerance (10⁻³ nats per patch) EM declares convergence as soon as
    /// ℓ stops changing, which here is immediately: the test cannot tell this saddle from a
    /// maximum.
    let fit = try fitMixture(patches, components: componentCount, initialization: .identical, iterations: 100,
                             tolerance: 1e-3, label: "identical, tolerance 1e-3", ctx: ctx)
    ctx.check("converged", holds: fit.converged)
    ctx.check("after one M-step", equals: 1, actual: fit.iterations)
}

chapter.step("Any shared mean and covariance is stuck the same way, whatever the weights") { ctx in
    /// The induction needs only equal means and covariances: start every component at
    /// N(0, vI) with unequal weights (0.1, 0.15, 0.2, 0.25, 0.3). The responsibilities are
    /// then the weights themselves, the weights stay, and the first M-step moves every
    /// component to (x̄, C + εI).
    let d = patches.columns
    let weights = [0.1, 0.15, 0.2, 0.25, 0.3]
    sharedStart = try GaussianMixture(
        weights: weights, means: Matrix(rows: componentCount, columns: d),
        covariances: .full([Matrix](repeating: Matrix.identity(d).scaled(by: summary!.meanVariance), count: componentCount)))
    let c = try sharedStart!.responsibilities(patches)
    var worstResponsibility = 0.0
    for i in 0..<c.rows { for k in 0..<componentCount { worstResponsibility = max(worstResponsibility, abs(c[i, k] - weights[k]) / weights[k]) } }
    ctx.check("at the start cᵢₖ = πₖ for every patch (max relative error)", value: worstResponsibility, below: 1e-13)
    let fit = try fitMixture(patches, components: componentCount, initialization: .parameters(sharedStart!),
                             iterations: 1, label: "shared N(0, vI)", ctx: ctx)
    var global = summary!.covariance
    global.addToDiagonal(epsilon)
    var worstWeight = 0.0, worstMean = 0.0, worstCovariance = 0.0
    for k in 0..<componentCount {
        worstWeight = max(worstWeight, abs(fit.model.weights[k] - weights[k]) / weights[k])
        worstMean = max(worstMean, relativeDifference(fit.model.means.row(k), summary!.mean))
        worstCovariance = max(worstCovariance, try relativeDifference(fit.model.covariance(k), global))
    }
    ctx.check("after one M-step the weights are unchanged (max relative error)", value: worstWeight, below: 1e-12)
    ctx.check("after one M-step every mean is x̄ (max relative error)", value: worstMean, below: 1e-12)
    ctx.check("after one M-step every covariance is C + εI (max relative error)", value: worstCovariance, below: 1e-12)
    ctx.report("ℓ₀ (shared N(0, vI)) → ℓ₁", "\(Format.significant(fit.meanLogLikelihoods[0])) → \(Format.significant(fit.meanLogLikelihoods[1])) nats per patch")
    ctx.check("ℓ₁ = ℓ(MVN) (relative)",
              value: abs(fit.meanLogLikelihoods[1] - gaussianMeanLogLikelihood) / abs(gaussianMeanLogLikelihood), below: 1e-12)
}

chapter.step("In floating point the fixed point is a saddle: rounding errors and nudges grow") { ctx in
    /// In exact arithmetic the unequal-weight start above stays at (x̄, C + εI) forever. In
    /// floating point its components are not computed by identical operations (their log πₖ
    /// differ), so after the first M-step their means differ from x̄ by rounding errors,
    /// 10⁻¹⁴ to 10⁻¹³. Those are a tiny asymmetry, and at a saddle EM amplifies asymmetries.
    /// The same happens to an identical start whose first mean is nudged by 10⁻³ or 10⁻⁹
    /// standard deviations per coordinate. Only the exactly identical start with equal
    /// weights, where every component is computed by the same operations on the same
    /// numbers, stays put (step 3). The deviation tracked is maxₖ ‖μₖ − x̄‖ / ‖x̄‖, one EM
    /// iteration at a time.
    let identical = try GaussianMixture.identical(components: componentCount, covariance: .full,
                                                  summary: summary!, regularization: epsilon)
    var g = ctx.generator("nudge")
    let sd = summary!.covariance.diagonalEntries.map { $0.squareRoot() }
    let d = patches.columns
    let direction = g.gaussians(count: d)
    func nudged(_ size: Double) throws -> GaussianMixture {
        var means = identical.means
        means.setRow(0, to: (0..<d).map { means[0, $0] + size * sd[$0] * direction[$0] })
        return try GaussianMixture(weights: identical.weights, means: means, covariances: identical.covariances)
    }
    let starts: [(String, GaussianMixture)] = [
        ("shared N(0, vI), unequal π", sharedStart!),
        ("identical, one mean nudged 1e-3 sd", try nudged(1e-3)),
        ("identical, one mean nudged 1e-9 sd", try nudged(1e-9)),
    ]
    for (name, start) in starts {
        var model = start
        var deviations = [maxMeanDeviation(model)], logLikelihoods: [Double] = []
        for t in 1...trajectoryIterations {
            let fit = try GaussianMixture.fit(
                patches, components: componentCount, covariance: .full, initialization: .parameters(model),
                options: EMOptions(maxIterations: 1, tolerance: 0))
            if t == 1 { logLikelihoods.append(fit.meanLogLikelihoods[0]) }
            logLikelihoods.append(fit.meanLogLikelihoods[1])
            model = fit.model
            deviations.append(maxMeanDeviation(model))
            if t % 10 == 0 { ctx.progress("\(name): iteration \(t), deviation \(Format.significant(deviations[t], digits: 3))") }
        }
        trajectories.append((name, deviations))
        // The rest of the iterations in one ordinary fit, so that every curve has the same length.
        if maxIterations > trajectoryIterations {
            let rest = try fitMixture(patches, components: componentCount, initialization: .parameters(model),
                                      iterations: maxIterations - trajectoryIterations, label: "\(name), continued", ctx: ctx)
            logLikelihoods += rest.meanLogLikelihoods.dropFirst()
        }
        curves.append((name, logLikelihoods))
        // The growth factor per iteration while the deviation is small (linear regime).
        let small = (3...trajectoryIterations).filter { deviations[$0] < 1e-4 && deviations[$0 - 1] > 1e-13 }
        let factors = small.map { deviations[$0] / deviations[$0 - 1] }
        let growth = factors.isEmpty ? Double.nan : exp(factors.map(log).reduce(0, +) / Double(factors.count))
        ctx.report("\(name): deviation at t = 1, 2, 3", (1...3).map { Format.significant(deviations[$0], digits: 2) }.joined(separator: ", "))
        ctx.report("\(name): growth per iteration from t = 2 while below 1e-4", factors.isEmpty ? "(never in that range)" : "× \(Format.significant(growth, digits: 3)) (over \(factors.count) iterations)")
        ctx.report("\(name): deviation after \(trajectoryIterations) iterations", deviations.last!, digits: 3)
        ctx.check("\(name): the asymmetry grows (final deviation / deviation after the first M-step)",
                  value: deviations.last! / deviations[1], above: 100)
        ctx.report("\(name): ℓ after \(maxIterations) iterations", logLikelihoods.last!,
                   unit: "nats per patch (\(Format.significant(logLikelihoods.last! - gaussianMeanLogLikelihood, digits: 4)) above the MVN)")
    }
}

chapter.step("A tied pair stays tied: K = 5 with a duplicated component is the K = 4 fit") { ctx in
    /// Take the k-means++ start of a K = 4 fit, split its last component into two identical
    /// copies with half its weight each, and run EM on both. The copies are computed by the
    /// same operations, so they stay equal exactly, and the two runs have the same ℓ at
    /// every iteration (to rounding): the densities are the same function. (With an unequal
    /// split the copies would be tied only in exact arithmetic, as in the step above.)
    let four = try fitMixture(patches, components: 4, initialization: .kMeansPlusPlus(), iterations: 0,
                              label: "K = 4 start", ctx: ctx).model
    let d = patches.columns
    var means = Matrix(rows: 5, columns: d)
    for k in 0..<4 { means.setRow(k, to: four.means.row(k)) }
    means.setRow(4, to: four.means.row(3))
    let weights = Array(four.weights.prefix(3)) + [four.weights[3] / 2, four.weights[3] / 2]
    let covariances = (0..<4).map { four.covariance($0) } + [four.covariance(3)]
    let five = try GaussianMixture(weights: weights, means: means, covariances: .full(covariances))
    let iterations = ctx.choose(full: 60, quick: 8)
    let run4 = try fitMixture(patches, components: 4, initialization: .parameters(four), iterations: iterations,
                              label: "K = 4", ctx: ctx)
    let run5 = try fitMixture(patches, components: 5, initialization: .parameters(five), iterations: iterations,
                              label: "K = 5 with a tied pair", ctx: ctx)
    let gap = zip(run4.meanLogLikelihoods, run5.meanLogLikelihoods).map { abs($0 - $1) }.max()!
    ctx.report("ℓ after \(iterations) iterations, K = 4 / K = 5 tied",
               "\(Format.significant(run4.finalMeanLogLikelihood, digits: 10)) / \(Format.significant(run5.finalMeanLogLikelihood, digits: 10)) nats per patch")
    ctx.check("same ℓ at every iteration (max relative difference)", value: gap / abs(run4.finalMeanLogLikelihood), below: 1e-10)
    let m = run5.model
    ctx.check("the pair's means stay exactly equal (max |difference|)",
              value: zip(m.means.row(3), m.means.row(4)).map { abs($0 - $1) }.max()!, below: 0)
    ctx.check("the pair's covariances stay exactly equal (max |difference|)",
              value: try m.covariance(3).subtracting(m.covariance(4)).maxAbs, below: 0)
    ctx.check("the pair's weights stay exactly equal (|difference|)", value: abs(m.weights[3] - m.weights[4]), below: 0)
    ctx.check("merged pair = the K = 4 fit's last weight (relative)",
              value: abs(m.weights[3] + m.weights[4] - run4.model.weights[3]) / run4.model.weights[3], below: 1e-9)
    ctx.check("the other means = the K = 4 fit's (max relative difference)",
              value: (0..<4).map { relativeDifference(m.means.row($0), run4.model.means.row($0)) }.max()!, below: 1e-9)
}

chapter.step("Asymmetric starts escape at once: k-means++ and random responsibilities") { ctx in
    /// Both start with components that differ, so EM climbs from the first iteration.
    let kMeans = try fitMixture(patches, components: componentCount, initialization: .kMeansPlusPlus(),
                                iterations: maxIterations, label: "k-means++", ctx: ctx)
    kMeansModel = kMeans.model
    let random = try fitMixture(patches, components: componentCount, initialization: .randomResponsibilities,
                                iterations: maxIterations, label: "random responsibilities", ctx: ctx)
    curves += [("k-means++", kMeans.meanLogLikelihoods), ("random responsibilities", random.meanLogLikelihoods)]
    for (name, fit) in [("k-means++", kMeans), ("random responsibilities", random)] {
        ctx.report("\(name): final ℓ", fit.finalMeanLogLikelihood,
                   unit: "nats per patch (\(Format.significant(fit.finalMeanLogLikelihood - gaussianMeanLogLikelihood, digits: 4)) above the MVN)")
        ctx.check("\(name) ends above the stuck fit by (nats per patch)",
                  value: fit.finalMeanLogLikelihood - gaussianMeanLogLikelihood, above: 1)
    }
}

chapter.figure("Figure: log-likelihood against iteration for six starts") { ctx in
    /// The identical start is flat at the single Gaussian's ℓ; the asymmetric starts climb
    /// at once; the symmetric-but-not-bitwise-identical and the nudged starts sit at the
    /// saddle until their asymmetry has grown, then climb too. The single Gaussian's level is
    /// drawn first and dashed, the identical start last, so it shows on top of that level (and
    /// of the other starts while they sit at the saddle); points below the frame are named in
    /// the title.
    let mvnLevel = LinePlot.Series(name: "single Gaussian (MVN) fit", x: [0, Double(maxIterations)],
                                   y: [gaussianMeanLogLikelihood, gaussianMeanLogLikelihood], style: .dashedLines, color: .gray)
    let identicalLast = curves.filter { $0.name != "identical components" } + curves.filter { $0.name == "identical components" }
    let series = [mvnLevel] + identicalLast.map { curve in
        LinePlot.Series(name: curve.name, x: curve.values.indices.map(Double.init), y: curve.values,
                        style: curve.values.count > 40 ? .lines : .linesPoints, color: startColors[curve.name])
    }
    let top = curves.flatMap(\.values).max()!
    let bottom = gaussianMeanLogLikelihood - 0.25 * (top - gaussianMeanLogLikelihood)
    let offScale = curves.compactMap { curve -> String? in
        let below = curve.values.indices.filter { curve.values[$0] < bottom }
        guard let first = below.first, let last = below.last else { return nil }
        let lowest = Format.significant(below.map { curve.values[$0] }.min()!, digits: 3)
        return "\(curve.name) at iteration\(below.count == 1 ? " \(first)" : "s \(first)…\(last)") (ℓ = \(lowest))"
    }
    let title = "EM on \(patches.rows) digit patches (8 × 8), K = \(componentCount): six starts"
        + (offScale.isEmpty ? "" : "\nbelow the frame: " + offScale.joined(separator: "; "))
    try ctx.figures.write(
        LinePlot(series: series, title: title,
                 xLabel: "EM iteration", yLabel: "mean log-likelihood ℓ (nats per patch)",
                 xRange: 0...Double(maxIterations),
                 yRange: bottom...(top + 0.05 * (top - gaussianMeanLogLikelihood)),
                 legend: .below, size: PixelSize(width: 960, height: 680)),
        name: "loglik-by-initialization")
}

chapter.figure("Figure: how fast the symmetry breaks") { ctx in
    /// The deviation of the component means from x̄ on a log scale: after the first M-step
    /// it grows geometrically (a straight line), by a factor of about 10–20 per iteration that
    /// depends on the start, until the components have separated.
    let series = trajectories.map { t in
        LinePlot.Series(name: t.name, x: t.deviations.indices.map(Double.init), y: t.deviations.map { max($0, 1e-17) },
                        style: t.deviations.count > 40 ? .lines : .linesPoints, color: startColors[t.name])
    }
    try ctx.figures.write(
        LinePlot(series: series, title: "How fast symmetric starts leave the saddle (identical start: exactly 0)",
                 xLabel: "EM iteration", yLabel: "maxₖ ‖μₖ − x̄‖ / ‖x̄‖", logY: true, xRange: 0...Double(min(trajectoryIterations, 30)), legend: .bottomRight),
        name: "symmetry-breaking")
}

chapter.figure("Figure: the component means, stuck and k-means++") { ctx in
    /// Top: the five means of the stuck fit, all the mean patch. Bottom: the five means
    /// of the k-means++ fit, which specialise (background, strokes in different places).
    let brightest = max(stuckModel!.means.maxAbs, kMeansModel!.means.maxAbs)
    let row: (GaussianMixture) -> [ImageGrid.Cell] = { model in
        (0..<componentCount).map { k in
            ImageGrid.Cell(.patch(model.means.row(k), side: patchSize, displayRange: 0...brightest),
                           caption: "π = \(Format.significant(model.weights[k], digits: 2))")
        }
    }
    try ctx.figures.write(
        ImageGrid(rows: [row(stuckModel!), row(kMeansModel!)],
                  title: "Component means after \(maxIterations) EM iterations (black 0, white \(Int(brightest.rounded())))",
                  rowTitles: ["identical start", "k-means++ start"]),
        name: "component-means")
}

chapter.run()
