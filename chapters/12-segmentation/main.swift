/// # 12 · Segmenting and compressing a photograph with an isotropic mixture
///
/// *The EM-from-scratch study (seed 004): fit p(x) = Σₖ πₖ Πᵈ N(x_d; μ_kd, σ²ₖ) by EM to the
/// RGB pixels of a photograph for K = 2, 4, …, 128, replace every pixel by the mean of its
/// most probable component, and plot the reconstruction error against K.*
///
/// Each pixel is a point x ∈ [0, 1]³. A mixture with K components and one variance per
/// component is a soft version of k-means in colour space: after the fit, the pixel takes
/// the colour μ_z of its most probable component z = argmaxₖ cᵢₖ. The image then needs only
/// a palette of K colours and log₂ K bits per pixel: segmentation and compression are the
/// same computation.
///
/// **Result.** On coffee.png (600 × 400, N = 240,000 pixels) the error (1/N) Σ ‖x − μ_z(x)‖²
/// falls at every doubling of K, from 0.092 (K = 2, PSNR 15 dB) to 0.00054 (K = 128,
/// 37 dB); table in the step "Reconstruction error against K". K = 2 splits the image into
/// the dark shadow and everything else; at K = 16 (4 bits per pixel instead of 24) the
/// cup and saucer are right but the smooth coffee and shadows show bands; from K = 64 the
/// palette image is hard to tell from the original at figure size. Past K = 16 each extra
/// bit divides the error by about 1.7–2.2, more than the factor 2^{2/3} ≈ 1.59 of
/// high-rate quantisation theory in D = 3 (error ∝ K^{−2/D}; the figure "bits against
/// error" draws that law through K = 128): the pixels do not fill the colour cube but lie
/// near a curve of browns, so they behave as data of lower dimension, and K = 128 is not
/// yet in the high-rate regime. The derivation of the M-step below is
/// checked on the responsibilities of a fit, and a synthetic image of K flat colours is
/// segmented back into exactly those colours.
///
/// **The isotropic M-step.** With responsibilities cᵢₖ fixed by the E-step, EM maximises
///
/// $$Q(\theta) = \sum_i \sum_k c_{ik}\Big[\log \pi_k - \tfrac{D}{2}\log(2\pi\sigma_k^2)
///   - \frac{\lVert x_i - \mu_k\rVert^2}{2\sigma_k^2}\Big].$$
///
/// The terms of component k, Q_k(μ, σ²) = Σᵢ cᵢₖ [−(D/2) log(2πσ²) − ‖xᵢ − μ‖²/(2σ²)],
/// involve only μ_k and σ²_k. Setting the gradient to zero:
///
/// $$\frac{\partial Q_k}{\partial \mu} = \frac{1}{\sigma^2}\sum_i c_{ik}(x_i - \mu) = 0
///   \;\Rightarrow\; \mu_k = \frac{\sum_i c_{ik} x_i}{\sum_i c_{ik}},$$
///
/// $$\frac{\partial Q_k}{\partial \sigma^2} = \sum_i c_{ik}\Big[-\frac{D}{2\sigma^2}
///   + \frac{\lVert x_i - \mu_k\rVert^2}{2\sigma^4}\Big] = 0
///   \;\Rightarrow\; \sigma_k^2 = \frac{\sum_i c_{ik}\lVert x_i - \mu_k\rVert^2}{D\sum_i c_{ik}}.$$
///
/// The factor D appears because the one variance is shared by D coordinates: σ²ₖ is the mean
/// of the per-coordinate weighted variances. For fixed σ², Q_k is a concave quadratic in μ;
/// with μ = μ_k, Q_k as a function of s = σ² is −(D m/2) log s − S/(2s) + const (m = Σᵢ cᵢₖ,
/// S the weighted squared distance), whose derivative (−D m s + S)/(2s²) is positive below
/// S/(D m) and negative above: the stationary point is the maximum. The weights follow from
/// the Lagrangian of Σₖ (Σᵢ cᵢₖ) log πₖ on the simplex: πₖ = (1/N) Σᵢ cᵢₖ (chapter 03).
///
/// The study states the same model; it reports neither the number of iterations nor a check
/// that the bound increases, and does not discuss that pixels are quantised to 1/255, so
/// that a component can sit on a single colour and its variance collapse (the library adds
/// ε = 10⁻⁶ × the mean pixel variance to every σ²ₖ). Here K = 16, 64 and 128 stop at the cap
/// of 50 iterations (K = 32 converges in 47), which the table marks.
import ArgumentParser
import Figures
import Foundation
import Imaging
import LinearAlgebra
import Mixtures
import Randomness
import Workbook

/// The chapter's own option: any RGB (or gray) PNG photograph instead of coffee.png.
struct SegmentationOptions: ParsableArguments {
    @Option(help: ArgumentHelp("The PNG photograph to segment (default: <data>/images/coffee.png).", valueName: "png"))
    var image: String?
}

let chapter = Chapter("12-segmentation", title: "Segmenting and compressing a photograph with an isotropic mixture",
                      question: "EM from scratch (seed 004)", options: SegmentationOptions.self)
var photoName = "coffee.png"

/// One fit of the isotropic mixture and what it gives the image.
struct Segmentation {
    var k: Int
    var fit: FitResult<GaussianMixture>
    var error: Double
    var image: Image
}

var photo = try! Image(width: 1, height: 1, channels: 3, repeating: 0)
var pixels = Matrix(rows: 0, columns: 3)
var segmentations: [Segmentation] = []
var synthetic: (original: Image, segmented: Image)? = nil
let maxIterations = 50

/// The N x 3 matrix of an RGB image's pixels, one a row.
func pixelMatrix(_ image: Image) throws -> Matrix {
    try Matrix(rows: image.pixelCount, columns: 3, storage: image.rgb().pixels)
}

/// Every `step`-th pixel of every `step`-th row of an RGB image (no averaging: a palette
/// image keeps exactly its palette).
func subsampled(_ image: Image, every step: Int) throws -> Image {
    let (w, h) = (image.width / step, image.height / step)
    var values: [Double] = []
    for y in 0..<h { for x in 0..<w { for c in 0..<3 { values.append(image[x: x * step, y: y * step, channel: c]) } } }
    return try Image(width: w, height: h, channels: 3, pixels: values)
}

chapter.step("Load the photograph") { ctx in
    /// coffee.png (or the PNG given with --image) as RGB in [0, 1]. --quick keeps every 10th
    /// pixel of every 10th row (60 × 40 for coffee).
    let path = ctx.extraOptions(SegmentationOptions.self).image
        ?? ctx.dataDirectory.appendingPathComponent("images/coffee.png").path
    photoName = (path as NSString).lastPathComponent
    let full = try PNGFile.read(path, as: .rgb)
    photo = ctx.isQuick ? try subsampled(full, every: 10) : full
    pixels = try pixelMatrix(photo)
    ctx.report("size", "\(photo.width) × \(photo.height)")
    ctx.report("pixels N", pixels.rows)
    ctx.report("value range", "\(pixels.storage.min()!) … \(pixels.storage.max()!)")
    ctx.check("every value is in [0, 1]", holds: pixels.storage.allSatisfy { $0 >= 0 && $0 <= 1 })
}

chapter.step("Fit the isotropic mixture for every K") { ctx in
    /// EM from k-means++ seeding, on all pixels (no subsampling), at most 50 iterations
    /// (a cap that most large K reach: their last changes are below 10⁻³ per pixel but above
    /// the tolerance 10⁻⁴), stopping when the mean log-likelihood per pixel changes by less
    /// than 10⁻⁴. Each pixel is then replaced by the mean of its most probable component.
    let ks = ctx.choose(full: [2, 4, 8, 16, 32, 64, 128], quick: [2, 4, 8])
    let cap = ctx.choose(full: maxIterations, quick: 15)
    segmentations = []
    for k in ks {
        let fit = try GaussianMixture.fit(
            pixels, components: k, covariance: .isotropic,
            options: EMOptions(maxIterations: cap, tolerance: 1e-4, seed: ctx.seed(for: "fit-\(k)"))
        ) { p in if p.iteration % 10 == 0 { ctx.progress("K = \(k): \(p)") } }
        let (values, _) = try fit.model.quantized(pixels)
        let error = try fit.model.quantizationError(pixels)
        let image = try Image(width: photo.width, height: photo.height, channels: 3, pixels: values.storage)
        segmentations.append(Segmentation(k: k, fit: fit, error: error, image: image))
        let steps = zip(fit.meanLogLikelihoods.dropFirst(), fit.meanLogLikelihoods).map { $0 - $1 }
        let worst = steps.min() ?? 0
        ctx.report("K = \(k)", "\(fit.iterations) iterations\(fit.converged ? "" : " (cap)"), "
                   + "\(Format.seconds(fit.seconds)), ℓ = \(Format.significant(fit.finalMeanLogLikelihood)), "
                   + "error \(Format.significant(error, digits: 4))")
        ctx.check("K = \(k): largest decrease ℓₜ − ℓₜ₊₁ of the bound, relative to |ℓ| + 1 (negative: none)",
                  value: -worst / (abs(fit.finalMeanLogLikelihood) + 1), below: 1e-9)
    }
}

chapter.step("The M-step is the maximiser of its part of the objective") { ctx in
    /// On the responsibilities cᵢₖ of the K = 8 fit, for every component: the closed form
    /// (μ_k, σ²_k) has zero gradient, Q_k is lower one step either side in σ² and in each
    /// coordinate of μ, and one EM iteration of the library (ε = 0) from the same model
    /// returns exactly these parameters.
    let model = segmentations.first { $0.k == 8 }!.fit.model
    let c = try model.responsibilities(pixels)
    let next = try GaussianMixture.fit(
        pixels, components: 8, covariance: .isotropic, initialization: .parameters(model),
        options: EMOptions(maxIterations: 1, tolerance: 0, regularization: .absolute(0))).model
    guard case .isotropic(let nextVariances) = next.covariances else { throw MixtureError.invariantViolated("not isotropic") }
    var worstGradient = 0.0, worstSides = -Double.infinity, worstLibrary = 0.0
    for k in 0..<8 {
        let column = (0..<pixels.rows).map { c[$0, k] }
        let q = try IsotropicComponentObjective(x: pixels, responsibilities: column)
        let (mu, v) = q.maximizer
        let best = q.value(mean: mu, variance: v)
        let mass = column.reduce(0, +)
        let g = q.gradient(mean: mu, variance: v)
        // Gradients scaled by the parameter's natural size, relative to the mass Σᵢ cᵢₖ.
        worstGradient = max(worstGradient, abs(g.variance) * v / mass, g.mean.map { abs($0) * v.squareRoot() / mass }.max()!)
        let delta = 0.01
        var sides = [q.value(mean: mu, variance: v * (1 + delta)), q.value(mean: mu, variance: v * (1 - delta))]
        for d in 0..<3 {
            for s in [-1.0, 1.0] {
                var m = mu; m[d] += s * delta * v.squareRoot()
                sides.append(q.value(mean: m, variance: v))
            }
        }
        worstSides = max(worstSides, sides.map { ($0 - best) / abs(best) }.max()!)
        let libraryMean = next.means.row(k)
        worstLibrary = max(worstLibrary, abs(nextVariances[k] - v) / v,
                           zip(libraryMean, mu).map { abs($0 - $1) }.max()!,
                           abs(next.weights[k] - mass / Double(pixels.rows)))
        ctx.report("component \(k)", "π = \(Format.significant(mass / Double(pixels.rows), digits: 4)), "
                   + "μ = (\(mu.map { Format.significant($0, digits: 3) }.joined(separator: ", "))), "
                   + "σ = \(Format.significant(v.squareRoot(), digits: 4))")
    }
    ctx.check("largest scaled gradient |∂Q_k| at the closed form (relative to Σᵢ cᵢₖ)", value: worstGradient, below: 1e-10)
    ctx.check("largest (Q_k(one step aside) − Q_k*) / |Q_k*| (negative: lower on every side)", value: worstSides, below: 0)
    ctx.check("largest difference to the library's M-step (σ² relative, μ and π absolute)", value: worstLibrary, below: 1e-10)
}

chapter.step("Reconstruction error against K") { ctx in
    /// e(K) = (1/N) Σᵢ ‖xᵢ − μ_z(xᵢ)‖², in squared units of [0, 1] per pixel (sum over the
    /// three channels), with the PSNR 10 log₁₀(3 / e) of the palette image.
    var rows: [[String]] = []
    for s in segmentations {
        let perIteration = s.fit.seconds / Double(max(s.fit.iterations, 1))
        rows.append(["\(s.k)", Format.significant(log2(Double(s.k)), digits: 3),
                     Format.significant(s.error, digits: 4), String(format: "%.1f", 10 * log10(3 / s.error)),
                     "\(s.fit.iterations)\(s.fit.converged ? "" : " (cap)")", Format.seconds(s.fit.seconds),
                     Format.seconds(perIteration)])
    }
    ctx.narrate("\n" + Format.table(["K", "bits / pixel", "error (1/N) Σ‖x − μ_z‖²", "PSNR dB", "EM iterations",
                                     "fit time", "time / iteration"], rows))
    let increases = zip(segmentations, segmentations.dropFirst()).filter { $1.error >= $0.error }
    for (a, b) in increases { ctx.report("error does not fall from K = \(a.k) to K = \(b.k)", b.error - a.error) }
    ctx.check("the error falls at every doubling of K", equals: 0, actual: increases.count)
}

chapter.step("Compression: bits per pixel against error") { ctx in
    /// The palette image stores log₂ K bits per pixel plus a palette of K colours of 24 bits
    /// each; the original stores 24 bits per pixel.
    for s in segmentations {
        let bits = log2(Double(s.k)) + 24 * Double(s.k) / Double(pixels.rows)
        ctx.report("K = \(s.k)", "\(Format.significant(bits, digits: 4)) bits / pixel with the palette, "
                   + "\(Format.significant(24 / bits, digits: 3))× smaller than 24-bit RGB")
    }
}

chapter.step("Time one EM iteration") { ctx in
    /// Five EM iterations of the K = 64 model (quick: K = 8) from its fitted parameters on
    /// all pixels, tolerance 0: six passes (the first E-step evaluates ℓ₀).
    let k = ctx.choose(full: 64, quick: 8)
    let model = segmentations.first { $0.k == k }!.fit.model
    let fit = try GaussianMixture.fit(pixels, components: k, covariance: .isotropic, initialization: .parameters(model),
                                      options: EMOptions(maxIterations: 5, tolerance: 0))
    ctx.report("K = \(k), N = \(pixels.rows): seconds per iteration", fit.seconds / 6, unit: "s", digits: 4)
    ctx.check("ℓ did not decrease over the five iterations",
              holds: fit.finalMeanLogLikelihood >= fit.meanLogLikelihoods[0] - 1e-9 * abs(fit.meanLogLikelihoods[0]))
}

chapter.step("A synthetic image of flat colour regions is segmented back exactly") { ctx in
    /// A 60 × 40 image of five vertical bands, each one flat colour; the K = 5 fit must put
    /// one component on each colour, so the segmented image equals the original.
    let colours: [[Double]] = [[0.9, 0.1, 0.1], [0.1, 0.7, 0.2], [0.2, 0.3, 0.9], [0.95, 0.85, 0.2], [0.3, 0.3, 0.3]]
    let (w, h) = (60, 40)
    var values: [Double] = []
    for _ in 0..<h { for x in 0..<w { values += colours[x * colours.count / w] } }
    let original = try Image(width: w, height: h, channels: 3, pixels: values)
    let x = try pixelMatrix(original)
    let fit = try GaussianMixture.fit(x, components: colours.count, covariance: .isotropic,
                                      options: EMOptions(maxIterations: 20, seed: ctx.seed(for: "synthetic")))
    let (segmentedValues, labels) = try fit.model.quantized(x)
    let segmented = try Image(width: w, height: h, channels: 3, pixels: segmentedValues.storage)
    synthetic = (original, segmented)
    let worst = zip(values, segmentedValues.storage).map { abs($0 - $1) }.max()!
    ctx.report("EM iterations", fit.iterations)
    ctx.report("distinct labels used", Set(labels).count)
    ctx.check("max |segmented − original| over all pixels and channels", value: worst, below: 1e-12)
    ctx.check("every colour has its own component", equals: colours.count, actual: Set(labels).count)
}

chapter.figure("Figure: the segmented photograph for every K") { ctx in
    /// The original and the palette image of each K (every pixel the mean colour of its
    /// most probable component), two to a row so that the grid, about 800 pixels wide, is
    /// read at its own size in the report, captions included: every image is shown about 300
    /// pixels wide, a wider photograph by one pixel in n along each axis (n = 2 for coffee;
    /// no averaging, so a palette image shows exactly its K colours).
    let step = max(1, photo.width / 300)
    let shownWidth = photo.width / step
    let cells = [ImageGrid.Cell(.rgb(try subsampled(photo, every: step)), caption: "original (24 bits / pixel)")]
        + (try segmentations.map { try ImageGrid.Cell(.rgb(subsampled($0.image, every: step)),
                                             caption: "K = \($0.k) (\(Int(log2(Double($0.k)))) bit\($0.k == 2 ? "" : "s"))") })
    try ctx.figures.write(
        ImageGrid(cells: cells, columns: 2,
                  title: "\(photoName): each pixel replaced by its most probable component's mean",
                  scale: max(1, 300 / shownWidth)),
        name: "segmented-grid")
}

chapter.figure("Figure: reconstruction error against K") { ctx in
    try ctx.figures.write(
        LinePlot(series: [.init(name: "(1/N) Σ ‖x − μ_z(x)‖²", x: segmentations.map { Double($0.k) }, y: segmentations.map(\.error))],
                 title: "Reconstruction error of the palette image against the number of components",
                 xLabel: "components K (log scale)", yLabel: "mean squared error per pixel (RGB in [0, 1])",
                 logX: true, logY: true),
        name: "error-vs-k")
}

chapter.figure("Figure: bits per pixel against error") { ctx in
    /// The rate–distortion view: log₂ K bits per pixel for the index into the palette,
    /// beside the high-rate law of a quantiser in D = 3 dimensions, error ∝ K^{−2/3}.
    let last = segmentations.last!
    try ctx.figures.write(
        LinePlot(series: [.init(name: "palette image, log₂ K bits / pixel", x: segmentations.map(\.error),
                                y: segmentations.map { log2(Double($0.k)) }),
                          .init(name: "high-rate theory through K = \(last.k): error ∝ K^(−2/3)",
                                x: segmentations.map { last.error * pow(2, 2 * (log2(Double(last.k)) - log2(Double($0.k))) / 3) },
                                y: segmentations.map { log2(Double($0.k)) }, style: .lines)],
                 title: "Compression by the mixture: bits per pixel against reconstruction error",
                 xLabel: "mean squared error per pixel (log scale)", yLabel: "bits per pixel", logX: true),
        name: "bits-vs-error")
}

chapter.figure("Figure: EM traces") { ctx in
    /// ℓₜ per pixel after every iteration, one curve per K: never decreasing.
    try ctx.figures.write(
        LinePlot(series: segmentations.map { s in
                     .init(name: "K = \(s.k)", x: s.fit.meanLogLikelihoods.indices.map(Double.init), y: s.fit.meanLogLikelihoods,
                           style: .lines)
                 },
                 title: "Mean log-likelihood per pixel during EM", xLabel: "EM iteration", yLabel: "(1/N) Σ log p(x_i)  (nats per pixel)",
                 legend: .bottomRight),
        name: "em-traces")
}

chapter.figure("Figure: the synthetic flat-colour image") { ctx in
    let (original, segmented) = synthetic!
    try ctx.figures.write(
        ImageGrid(cells: [.init(.rgb(original), caption: "five flat colours"), .init(.rgb(segmented), caption: "segmented, K = 5")],
                  columns: 2, title: "Flat colour regions are recovered exactly", scale: 4),
        name: "synthetic-flat-colours")
}

chapter.run()
