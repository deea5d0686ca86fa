/// # 03 · The mixture-weight update, by a Lagrange multiplier
///
/// *Theory question 1.1 of the course report on unsupervised image denoising (seed 003):
/// show that the M-step sets the mixture weights to πₖ = (1/N) Σᵢ cᵢₖ.*
///
/// **The problem.** After the E-step the responsibilities cᵢₖ (the posterior probability
/// that patch i came from component k; every row sums to one) are fixed numbers, and the
/// M-step maximises the expected complete-data log-likelihood
///
/// $$\sum_{i=1}^N \sum_{k=1}^K c_{ik} \log\bigl(\pi_k\, \mathcal N(x_i; \mu_k, \Sigma_k)\bigr)
///   = \underbrace{\sum_{i,k} c_{ik} \log \pi_k}_{Q(\pi)} + \sum_{i,k} c_{ik} \log \mathcal N(x_i; \mu_k, \Sigma_k).$$
///
/// The weights appear only in the first sum, so the weight update maximises Q(π) over the
/// simplex Δ = {π : πₖ ≥ 0, Σₖ πₖ = 1}. The constraint is what makes the problem
/// well posed: without it Q grows without bound as any πₖ grows. Writing Nₖ = Σᵢ cᵢₖ,
/// Q(π) = Σₖ Nₖ log πₖ depends on the responsibilities only through the K totals Nₖ, and
/// Σₖ Nₖ = Σᵢ Σₖ cᵢₖ = N because every row of c sums to one.
///
/// **Stationarity.** With a multiplier λ for the equality constraint, the Lagrangian is
///
/// $$\mathcal L(\pi, \lambda) = \sum_k N_k \log \pi_k - \lambda \Bigl(\sum_k \pi_k - 1\Bigr),
///   \qquad \frac{\partial \mathcal L}{\partial \pi_k} = \frac{N_k}{\pi_k} - \lambda = 0
///   \;\Longrightarrow\; \pi_k = \frac{N_k}{\lambda}.$$
///
/// Summing πₖ = Nₖ/λ over k and using the constraint, 1 = (Σₖ Nₖ)/λ = N/λ, so λ = N and
///
/// $$\hat\pi_k = \frac{N_k}{N} = \frac1N \sum_{i=1}^N c_{ik}.$$
///
/// (A component with Nₖ = 0 gets π̂ₖ = 0: its term 0 · log πₖ vanishes, so any weight given
/// to it is wasted. That point lies on the boundary of Δ, where the inequality πₖ ≥ 0 is
/// active and the equation ∂𝓛/∂πₖ = 0 is replaced by the KKT condition; with Nₖ > 0 for
/// all k, as on real data, π̂ is interior and the equality-constrained argument suffices.)
///
/// **Why it is the maximum, not just a stationary point.** Two arguments:
/// - *Concavity.* Each log πₖ is concave and Nₖ ≥ 0, so Q is concave; its Hessian
///   diag(−Nₖ/πₖ²) is negative definite when every Nₖ > 0. Δ is convex and the constraint
///   linear, so a stationary point of the Lagrangian is the global maximum of Q on Δ, and
///   strict concavity makes it unique.
/// - *Gibbs' inequality*, which gives the gap exactly. Since Nₖ = N π̂ₖ,
///
///   $$Q(\hat\pi) - Q(\pi) = N \sum_k \hat\pi_k \log\frac{\hat\pi_k}{\pi_k}
///     = N\, \mathrm{KL}(\hat\pi \,\|\, \pi) \;\ge\; 0,$$
///
///   with equality only at π = π̂. Near π̂ the gap is quadratic: for π = π̂ + εv with
///   Σₖ vₖ = 0, KL(π̂‖π) = (ε²/2) Σₖ vₖ²/π̂ₖ + O(ε³).
///
/// **What the chapter verifies.** On the responsibilities of a real EM fit (K = 5 on 8 × 8
/// MNIST patches) and on random responsibilities of random sizes: π̂ lies on the simplex;
/// the gradient of the Lagrangian vanishes there with λ = N; π̂ beats thousands of uniform
/// random points of the simplex (flat Dirichlet draws) and small perturbations of itself
/// along the simplex, by exactly N · KL(π̂‖π), and by the predicted quadratic amount for
/// small perturbations. A figure draws Q over the whole 2-simplex for a K = 3 fit.
///
/// **Result** (full run). On the responsibilities of the K = 5 fit (N = 20,000) the gradient
/// of the Lagrangian at (π̂, N) is zero to rounding (2 × 10⁻¹⁶ N) and every ratio Nₖ/π̂ₖ is
/// N; none of 20,000 uniform points of the simplex reaches Q(π̂) (the best falls short by
/// 0.003 nats per patch), each shortfall equals N · KL(π̂‖π) to rounding, and perturbations
/// of size ε lose exactly the predicted (ε²/2) N Σₖ vₖ²/π̂ₖ up to a relative O(ε). The same
/// holds on 40 random responsibility matrices of random sizes. The map of Q over the
/// 2-simplex has a single bright peak, exactly at π̂.
///
/// **On the course report's derivation.** Its result is right, but the write-up slips:
/// the line labelled ∂L/∂πⱼ restates the Lagrangian rather than differentiating it (and
/// drops the parentheses of λ(Σ πᵧ − 1)); the Gaussian's mean is written μ instead of μᵧ;
/// and it stops at the stationary point, never arguing that it is a maximum (the concavity
/// or Gibbs argument above).
///
/// **Subsampling.** The EM fits use 20,000 patches drawn uniformly from the 441,000 of the
/// 1,000 training digits (2,000 under `--quick`): the weight update is a statement about
/// any responsibilities, so the size of the fit does not matter for the lesson.
import Figures
import Foundation
import Imaging
import LinearAlgebra
import Mixtures
import Randomness
import Workbook

let chapter = Chapter("03-lagrange-weights", title: "The mixture-weight update, by a Lagrange multiplier",
                      question: "Theory question 1.1")
let patchSize = 8

var patches = Matrix(rows: 0, columns: 0)
var responsibilities = Matrix(rows: 0, columns: 0)
var closedForm: [Double] = []
var threeComponentTotals: [Double] = []

/// Q(π) = Σₖ Nₖ log πₖ from the totals alone: the expected log-likelihood of the weights
/// evaluated on the 1 × K "responsibility" matrix of the totals, which has the same column
/// sums as the N × K matrix and so the same Q (checked in the fourth step).
func objective(_ weights: [Double], totals: [Double]) throws -> Double {
    WeightUpdate.expectedLogLikelihood(
        weights: weights, responsibilities: try Matrix(rows: 1, columns: totals.count, storage: totals))
}

/// KL(p ‖ q) = Σₖ pₖ log(pₖ/qₖ), the gap of Gibbs' inequality (terms with pₖ = 0 count 0).
func kullbackLeibler(_ p: [Double], _ q: [Double]) -> Double {
    zip(p, q).reduce(0) { $0 + ($1.0 > 0 ? $1.0 * log($1.0 / $1.1) : 0) }
}

/// A K-component full-covariance fit of the chapter's patches, with progress.
func fitMixture(_ x: Matrix, components k: Int, ctx: StepContext) throws -> FitResult<GaussianMixture> {
    try GaussianMixture.fit(
        x, components: k, covariance: .full, initialization: .kMeansPlusPlus(),
        options: EMOptions(maxIterations: ctx.choose(full: 100, quick: 8), tolerance: 1e-3,
                           seed: ctx.seed(for: "fit-K\(k)"))
    ) { p in if p.iteration % 10 == 0 { ctx.progress("K = \(k): \(p)") } }
}

chapter.step("Cut the training digits into 8 × 8 patches and subsample them") { ctx in
    /// The responsibilities come from a real fit, so the chapter starts from real patches.
    let digits = try Datasets.mnistTraining(in: ctx.dataDirectory, count: ctx.choose(full: 1000, quick: 100))
    let all = try extractPatches(from: digits, size: patchSize)
    var g = ctx.generator("subsample")
    patches = all.rows(g.sampleIndices(ctx.choose(full: 20_000, quick: 2000), from: all.rows))
    ctx.report("patches of \(digits.count) digits", all.rows)
    ctx.report("uniform subsample", patches.rows, unit: "patches of d = \(patches.columns)")
}

chapter.step("Fit a K = 5 mixture by EM and take its responsibilities") { ctx in
    /// One more E-step at the fitted parameters gives the responsibilities cᵢₖ that the
    /// next M-step would use.
    let fit = try fitMixture(patches, components: 5, ctx: ctx)
    responsibilities = try fit.model.responsibilities(patches)
    ctx.report("EM iterations", fit.iterations, unit: fit.converged ? "(converged)" : "(cap reached)")
    ctx.report("mean log-likelihood", fit.finalMeanLogLikelihood, unit: "nats per patch")
    var worstRow = 0.0
    for i in 0..<responsibilities.rows {
        worstRow = max(worstRow, abs(responsibilities.row(i).reduce(0, +) - 1))
    }
    ctx.check("every row of c sums to one", value: worstRow, below: 1e-12)
    closedForm = WeightUpdate.closedForm(responsibilities: responsibilities)
    ctx.report("closed form π̂ = (1/N) Σᵢ cᵢₖ", closedForm.map { Format.significant($0, digits: 4) }.joined(separator: ", "))
    ctx.report("fitted weights π", fit.model.weights.map { Format.significant($0, digits: 4) }.joined(separator: ", "))
    let drift = zip(closedForm, fit.model.weights).map { abs($0 - $1) }.max()!
    ctx.narrate("At a fixed point of EM the next weight update returns the current weights; the fit stopped on a small change of the log-likelihood, so they differ slightly.")
    ctx.report("max |π̂ₖ − πₖ| (one more M-step)", drift)
}

chapter.step("π̂ lies on the simplex and the Lagrangian is stationary there with λ = N") { ctx in
    /// ∂𝓛/∂πₖ = Nₖ/π̂ₖ − λ must vanish for every k at λ = N; equivalently every ratio
    /// Nₖ/π̂ₖ equals N.
    let n = Double(responsibilities.rows)
    ctx.check("|Σₖ π̂ₖ − 1|", value: abs(closedForm.reduce(0, +) - 1), below: 1e-14)
    ctx.check("every π̂ₖ > 0", holds: closedForm.allSatisfy { $0 > 0 },
              detail: "smallest \(Format.significant(closedForm.min()!, digits: 3))")
    let gradient = WeightUpdate.lagrangianGradient(weights: closedForm, responsibilities: responsibilities, multiplier: n)
    let worst = gradient.map(abs).max()! / n
    ctx.report("∇π 𝓛(π̂, λ = N)", gradient.map { Format.significant($0, digits: 2) }.joined(separator: ", "))
    ctx.check("max |∂𝓛/∂πₖ| / N at (π̂, N)", value: worst, below: 1e-12)
    let totals = (0..<responsibilities.columns).map { k in (0..<responsibilities.rows).reduce(0) { $0 + responsibilities[$1, k] } }
    let multipliers = zip(totals, closedForm).map { $0 / $1 }
    ctx.report("Nₖ / π̂ₖ for every k", multipliers.map { Format.significant($0, digits: 8) }.joined(separator: ", "))
    ctx.check("every Nₖ/π̂ₖ equals N = \(Int(n)) (max relative deviation)",
              value: multipliers.map { abs($0 - n) / n }.max()!, below: 1e-12)
    let uniform = [Double](repeating: 1 / Double(closedForm.count), count: closedForm.count)
    let atUniform = WeightUpdate.lagrangianGradient(weights: uniform, responsibilities: responsibilities, multiplier: n)
    ctx.report("for contrast, max |∂𝓛/∂πₖ| / N at uniform weights", atUniform.map(abs).max()! / n)
    ctx.check("𝓛(π̂, N) = Q(π̂) on the simplex",
              value: abs(WeightUpdate.lagrangian(weights: closedForm, responsibilities: responsibilities, multiplier: n)
                  - WeightUpdate.expectedLogLikelihood(weights: closedForm, responsibilities: responsibilities)) / n,
              below: 1e-14)
}

chapter.step("π̂ beats uniform random points of the simplex, by N · KL(π̂‖π)") { ctx in
    /// Flat Dirichlet draws cover the whole simplex. Q needs only the totals Nₖ, so the
    /// thousands of evaluations use them (after checking that this gives the same Q).
    let n = Double(responsibilities.rows)
    let totals = closedForm.map { $0 * n }
    let q = WeightUpdate.expectedLogLikelihood(weights: closedForm, responsibilities: responsibilities)
    ctx.report("Q(π̂)", q, unit: "nats (\(Format.significant(q / n, digits: 5)) per patch)")
    ctx.check("Q from the totals = Q from all responsibilities (relative)",
              value: abs(try objective(closedForm, totals: totals) - q) / abs(q), below: 1e-12)
    var g = ctx.generator("dirichlet")
    let count = ctx.choose(full: 20_000, quick: 5000)
    var smallestGap = Double.infinity, worstGibbs = 0.0, losers = 0
    var bestRandomPoint: [Double] = []
    for _ in 0..<count {
        let point = g.uniformSimplexPoint(dimension: closedForm.count)
        let gap = q - (try objective(point, totals: totals))
        if gap <= 0 { losers += 1 }
        if gap < smallestGap { smallestGap = gap; bestRandomPoint = point }
        worstGibbs = max(worstGibbs, abs(gap - n * kullbackLeibler(closedForm, point)) / abs(q))
    }
    ctx.report("random points", count)
    ctx.report("best random point", bestRandomPoint.map { Format.significant($0, digits: 4) }.joined(separator: ", "))
    ctx.report("its gap Q(π̂) − Q(π)", smallestGap, unit: "nats (\(Format.significant(smallestGap / n, digits: 3)) per patch)")
    ctx.check("random points with Q(π) ≥ Q(π̂)", equals: 0, actual: losers)
    ctx.check("gap = N · KL(π̂‖π) (max |gap − N·KL| / |Q(π̂)|: rounding of Q)", value: worstGibbs, below: 1e-12)
}

chapter.step("π̂ beats small perturbations of itself along the simplex, quadratically") { ctx in
    /// π = π̂ + εv with Σₖ vₖ = 0 stays on the simplex (v is scaled so that |vₖ| ≤ π̂ₖ, so
    /// π stays positive for ε < 1). The drop should be (ε²/2) N Σₖ vₖ²/π̂ₖ to leading order.
    let n = Double(responsibilities.rows)
    let totals = closedForm.map { $0 * n }
    let q = try objective(closedForm, totals: totals)
    var g = ctx.generator("perturbations")
    let directions = ctx.choose(full: 1000, quick: 200)
    for epsilon in [1e-1, 1e-2, 1e-3, 1e-4] {
        var losers = 0, worstRatioError = 0.0, smallest = Double.infinity
        for _ in 0..<directions {
            let raw = g.gaussians(count: closedForm.count)
            let centred = raw.map { $0 - raw.reduce(0, +) / Double(raw.count) }
            let stretch = zip(centred, closedForm).map { abs($0) / $1 }.max()!
            let v = centred.map { $0 / stretch }
            let point = zip(closedForm, v).map { $0 + epsilon * $1 }
            let gap = q - (try objective(point, totals: totals))
            let predicted = 0.5 * epsilon * epsilon * n * zip(v, closedForm).reduce(0) { $0 + $1.0 * $1.0 / $1.1 }
            if gap <= 0 { losers += 1 }
            smallest = min(smallest, gap)
            worstRatioError = max(worstRatioError, abs(gap / predicted - 1))
        }
        ctx.report("ε = \(Format.significant(epsilon, digits: 1)): smallest drop", smallest,
                   unit: "nats; max |drop / ((ε²/2) N Σ vₖ²/π̂ₖ) − 1| = \(Format.significant(worstRatioError, digits: 2))")
        ctx.check("ε = \(Format.significant(epsilon, digits: 1)): perturbations with Q(π) ≥ Q(π̂)", equals: 0, actual: losers)
        if epsilon <= 1e-3 {
            // The relative error of the quadratic term is O(ε): the cubic term of KL.
            ctx.check("ε = \(Format.significant(epsilon, digits: 1)): drop matches the quadratic prediction",
                      value: worstRatioError, below: 10 * epsilon)
        }
    }
}

chapter.step("The same laws on random responsibilities of random sizes") { ctx in
    /// Responsibility rows drawn uniformly from the simplex (some made sharper, as a fitted
    /// model's are), N and K random: the derivation never used where c came from.
    var g = ctx.generator("random-responsibilities")
    let problems = ctx.choose(full: 40, quick: 10)
    var worstGradient = 0.0, losers = 0, worstGibbs = 0.0, sizes: [String] = []
    for _ in 0..<problems {
        let n = 10 + g.nextInt(below: ctx.choose(full: 5000, quick: 500))
        let k = 2 + g.nextInt(below: 9)
        let sharpness = 1 + 3 * g.nextUniform()
        var c = Matrix(rows: n, columns: k)
        for i in 0..<n {
            let row = g.uniformSimplexPoint(dimension: k).map { pow($0, sharpness) }
            let total = row.reduce(0, +)
            for j in 0..<k { c[i, j] = row[j] / total }
        }
        let best = WeightUpdate.closedForm(responsibilities: c)
        let q = WeightUpdate.expectedLogLikelihood(weights: best, responsibilities: c)
        let gradient = WeightUpdate.lagrangianGradient(weights: best, responsibilities: c, multiplier: Double(n))
        worstGradient = max(worstGradient, gradient.map(abs).max()! / Double(n))
        for _ in 0..<200 {
            let point = g.uniformSimplexPoint(dimension: k)
            let gap = q - WeightUpdate.expectedLogLikelihood(weights: point, responsibilities: c)
            if gap <= 0 { losers += 1 }
            worstGibbs = max(worstGibbs, abs(gap - Double(n) * kullbackLeibler(best, point)) / abs(q))
        }
        if sizes.count < 6 { sizes.append("\(n)×\(k)") }
    }
    ctx.report("problems (N × K), first few", sizes.joined(separator: ", ") + ", …")
    ctx.check("max |∂𝓛/∂πₖ| / N at (π̂, N) over \(problems) problems", value: worstGradient, below: 1e-12)
    ctx.check("random simplex points (200 per problem) with Q(π) ≥ Q(π̂)", equals: 0, actual: losers)
    ctx.check("gap = N · KL(π̂‖π) (max |gap − N·KL| / |Q(π̂)|: rounding of Q)", value: worstGibbs, below: 1e-12)
}

chapter.step("A K = 3 fit, for a picture of Q over the whole simplex") { ctx in
    /// With three components the simplex is a triangle, so Q can be drawn.
    let fit = try fitMixture(patches, components: 3, ctx: ctx)
    let c = try fit.model.responsibilities(patches)
    let best = WeightUpdate.closedForm(responsibilities: c)
    threeComponentTotals = best.map { $0 * Double(patches.rows) }
    ctx.report("K = 3: π̂", best.map { Format.significant($0, digits: 4) }.joined(separator: ", "))
    let gradient = WeightUpdate.lagrangianGradient(weights: best, responsibilities: c, multiplier: Double(patches.rows))
    ctx.check("K = 3: max |∂𝓛/∂πₖ| / N at (π̂, N)", value: gradient.map(abs).max()! / Double(patches.rows), below: 1e-12)
}

chapter.figure("Figure: Q over the 2-simplex, with the closed form marked") { ctx in
    /// Every pixel of the triangle is a point π of the simplex in barycentric coordinates
    /// (corners: π₁ = 1 bottom left, π₂ = 1 bottom right, π₃ = 1 top); its gray level is the
    /// per-patch drop (Q(π) − Q(π̂))/N = −KL(π̂‖π), in bands of 0.1 nats, white at 0 and
    /// black at −1.5 nats or below (the colour key). Outside the triangle: blank.
    let n = threeComponentTotals.reduce(0, +)
    let best = threeComponentTotals.map { $0 / n }
    let q = try objective(best, totals: threeComponentTotals)
    let width = ctx.choose(full: 240, quick: 120)
    let height = Int((Double(width) * 3.0.squareRoot() / 2).rounded(.up))
    let side = Double(width), floor = -1.5
    var pixels = [Double](repeating: .nan, count: width * height)
    var bestCell = (drop: -Double.infinity, row: 0, column: 0)
    for r in 0..<height {
        for col in 0..<width {
            let x = (Double(col) + 0.5) / side, y = (Double(height - r) - 0.5) / side
            let p3 = y / (3.0.squareRoot() / 2), p2 = x - y / 3.0.squareRoot(), p1 = 1 - p2 - p3
            guard p1 > 0, p2 > 0, p3 > 0 else { continue }
            let drop = (try objective([p1, p2, p3], totals: threeComponentTotals) - q) / n
            if drop > bestCell.drop { bestCell = (drop, r, col) }
            pixels[r * width + col] = max(floor, (drop / 0.1).rounded(.down) * 0.1)
        }
    }
    // The closed form in picture coordinates (x right, y down, one unit per pixel).
    let px = (best[1] + best[2] / 2) * side
    let py = Double(height) - best[2] * 3.0.squareRoot() / 2 * side
    ctx.report("brightest pixel of the map", "row \(bestCell.row), column \(bestCell.column) (closed form at x = \(Format.significant(px, digits: 4)), y = \(Format.significant(py, digits: 4)))")
    ctx.check("the best grid point is within 1.5 pixels of π̂",
              value: ((Double(bestCell.column) + 0.5 - px) * (Double(bestCell.column) + 0.5 - px)
                  + (Double(bestCell.row) + 0.5 - py) * (Double(bestCell.row) + 0.5 - py)).squareRoot(),
              below: 1.5)
    let top = (x: side / 2, y: Double(height) - 3.0.squareRoot() / 2 * side)
    let outline: [AnnotatedImage.Overlay] = [
        .segment(x0: 0, y0: Double(height), x1: side, y1: Double(height), color: .blue, lineWidth: 2),
        .segment(x0: side, y0: Double(height), x1: top.x, y1: top.y, color: .blue, lineWidth: 2),
        .segment(x0: top.x, y0: top.y, x1: 0, y1: Double(height), color: .blue, lineWidth: 2),
    ]
    let arm = side / 30
    let cross: [AnnotatedImage.Overlay] = [
        .segment(x0: px - arm, y0: py - arm, x1: px + arm, y1: py + arm, color: .red, lineWidth: 3),
        .segment(x0: px - arm, y0: py + arm, x1: px + arm, y1: py - arm, color: .red, lineWidth: 3),
    ]
    // The corners, labelled in canvas pixels converted to picture units: under the bottom
    // corners, and right of the top one (the title leaves no room above it).
    let scale = max(1, 720 / width)
    let canvasPixel = 1 / Double(scale)
    let corners: [AnnotatedImage.Overlay] = [
        .text("π₁ = 1", x: 0, y: Double(height) + 16 * canvasPixel),
        .text("π₂ = 1", x: side, y: Double(height) + 16 * canvasPixel),
        .text("π₃ = 1", x: top.x + 48 * canvasPixel, y: top.y + 10 * canvasPixel),
    ]
    let key = AnnotatedImage.ColorKey(ticks: [.init(0, "0"), .init(-0.5, "−0.5"), .init(-1, "−1"), .init(floor, "≤ −1.5")],
                                      label: "(Q(π) − Q(π̂))/N, nats per patch")
    let shown = best.map { Format.significant($0, digits: 3) }.joined(separator: ", ")
    try ctx.figures.write(
        AnnotatedImage(.gray(GrayImage(width: width, height: height, pixels: pixels, displayRange: floor...0, nanIsBlank: true)),
                       overlays: outline + cross + corners,
                       title: "(Q(π) − Q(π̂))/N on the simplex, K = 3, in bands of 0.1 nats; red ×: π̂ = (\(shown))",
                       scale: scale, border: 40, colorKey: key),
        name: "simplex-objective")
}

chapter.figure("Figure: Q along lines through π̂") { ctx in
    /// Along each edge direction of the simplex, π(t) = π̂ + t (eₐ − e_b), from one side of
    /// the simplex to the other: every curve peaks at t = 0, the closed form.
    let n = threeComponentTotals.reduce(0, +)
    let best = threeComponentTotals.map { $0 / n }
    let q = try objective(best, totals: threeComponentTotals)
    var series: [LinePlot.Series] = []
    for (a, b) in [(0, 1), (1, 2), (2, 0)] {
        let low = -best[a], high = best[b]
        let ts = (1..<200).map { low + (high - low) * Double($0) / 200 }
        let drops = try ts.map { t -> Double in
            var point = best
            point[a] += t
            point[b] -= t
            return (try objective(point, totals: threeComponentTotals) - q) / n
        }
        series.append(.init(name: "π̂ + t (e\(a + 1) − e\(b + 1))", x: ts, y: drops, style: .lines))
        let peak = drops.indices.max { drops[$0] < drops[$1] }!
        ctx.check("line e\(a + 1) − e\(b + 1): the maximum is at t = 0 (to the grid step)",
                  value: abs(ts[peak]), below: (high - low) / 200)
    }
    series.append(.init(name: "t = 0 (the closed form)", x: [0, 0], y: [-1.5, 0], style: .lines, color: .gray))
    try ctx.figures.write(
        LinePlot(series: series, title: "Q along three lines through the closed form π̂ (K = 3 fit)",
                 xLabel: "t", yLabel: "(Q(π) − Q(π̂)) / N, nats per patch", yRange: -1.5...0.1, legend: .below),
        name: "objective-along-lines")
}

chapter.run()
