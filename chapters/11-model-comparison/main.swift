/// # 11 · Three patch priors for photographs: MVN, GSM and GMM
///
/// *Sections 2.1–2.5 of the course report on unsupervised image denoising (seed 003): train a
/// multivariate normal (MVN) and a Gaussian scale mixture (GSM) on 8 × 8 patches of natural
/// images, time the training, denoise a test image at four noise levels, follow the GSM's
/// log-likelihood during EM, and decide which prior is best. We add the full Gaussian mixture
/// (GMM) with K = 6 and K = 20 components.*
///
/// **Result.** Denoised MSE on the centre 256 × 256 crop of gray chelsea (MMSE, overlapping
/// 8 × 8 patches averaged, estimate clipped to [0, 1]); priors trained on 50,000 patches:
///
/// | σ                      | 0.01    | 0.05    | 0.1     | 0.2     |
/// |------------------------|---------|---------|---------|---------|
/// | noisy                  | 1.00e-4 | 2.48e-3 | 9.90e-3 | 3.76e-2 |
/// | MVN                    | 8.80e-5 | 8.40e-4 | 1.59e-3 | 2.61e-3 |
/// | GSM (K = 6)            | 7.70e-5 | 7.27e-4 | 1.42e-3 | 2.30e-3 |
/// | GMM (K = 6)            | 7.41e-5 | 6.99e-4 | 1.39e-3 | 2.37e-3 |
/// | GMM (K = 20)           | 7.02e-5 | 6.50e-4 | 1.35e-3 | 2.30e-3 |
/// | machine kind: MVN      | 8.9e-5  | 8.5e-4  | 1.60e-3 | 2.71e-3 |
/// | machine kind: GSM      | 7.7e-5  | 7.4e-4  | 1.45e-3 | 2.47e-3 |
/// | machine kind: GMM (20) | 7.1e-5  | 6.6e-4  | 1.33e-3 | 2.38e-3 |
/// | course report: MVN     | 9.8e-5  | 9.5e-4  | 1.7e-3  | 2.8e-3  |
/// | course report: GSM     | 6.3e-5  | 5.0e-4  | 9.9e-4  | 2.0e-3  |
///
/// The "machine kind" rows are a reference implementation on the same crop and training
/// images: we match it within 3% everywhere except σ = 0.2, where ours is 3–7% lower. The
/// course report's rows come from other test images, so only their order of magnitude carries
/// over, and it does. Every prior lowers the MSE at every σ: by 12–30% at σ = 0.01, where the
/// noise is barely above the texture the prior cannot predict, and 14–16 fold at σ = 0.2. In mean
/// PSNR over the four σ the ranking is MVN 31.28 dB < GSM 31.84 < GMM(K = 6) 31.92 <
/// GMM(K = 20) 32.13: the step from one Gaussian to scales is the big one, and the GSM beats
/// the six-component GMM at σ = 0.2 (it ties GMM(K = 20) there). Training took (release, 2 shared cores)
/// 0.02 s for the MVN, 1.9 s for the GSM, 2.5 s for GMM(K = 6) and 7.4 s for GMM(K = 20) in
/// the committed run, 30 EM iterations each (up to about twice that when the machine is
/// loaded; the course report: 0.006 s and 2.7 s on 10,000 patches). Removing the patch mean before fitting the MVN or the
/// GMM(K = 20) changes the MSE by less than 1.5% at every σ (both variants are in the
/// table printed below); the reference figures used raw patches, so the main rows do too. On
/// the same mean-removed patches EM takes GMM(K = 20) to 191.1 nats per patch against the
/// GSM's 181.8 (figure `gsm-log-likelihood`): the free shapes buy likelihood, and a little MSE.
///
/// **The three priors.** All three are Gaussian mixtures p(z) = Σ_k π_k N(z; μ_k, Σ_k) on the
/// d = 64 pixel values of a patch, with a different amount of freedom:
///
/// - MVN: K = 1, fitted in closed form, μ = the sample mean, Σ = the sample covariance.
/// - GSM: K scaled copies of one covariance around zero, Σ_k = r_k² Σ, μ_k = 0. A zero mean
///   only fits patches whose mean has been removed, so it is fitted to z − z̄1 and the
///   denoiser estimates z̄ by the noisy patch's own mean (`removesPatchMean`). The scales
///   capture what one Gaussian cannot: natural patches are mostly flat (small r) with a few
///   strong edges (large r), a heavy-tailed distribution of contrast.
/// - GMM: K free means and covariances, so each component can also take a different
///   *shape* (an edge of one orientation, a texture).
///
/// Each is fitted to the raw patches (MVN, GMM; the machine-kind reference figures below used
/// raw patches too) or the mean-removed ones (GSM).
///
/// **The posterior mean.** With noise only, y = z + n, n ~ N(0, σ² I), each component gives a
/// Wiener filter and the mixture weights them by their evidence:
///
/// $$\mathbb{E}[z \mid y] = \sum_k w_k(y)\,\big(\mu_k + \Sigma_k(\Sigma_k + \sigma^2 I)^{-1}(y - \mu_k)\big),
/// \qquad w_k(y) \propto \pi_k\, \mathcal N(y; \mu_k, \Sigma_k + \sigma^2 I).$$
///
/// For the MVN it is a single linear filter, the same for every patch: it smooths flat
/// regions and edges alike. The GSM chooses, per patch, how much to smooth (the scale with the
/// best evidence), and the GMM also chooses in which directions. Overlapping estimates are
/// averaged (chapter 01).
///
/// **What the course report got wrong.** Its section 2.5 says the MSE is smaller for the MVN;
/// its own table (2.2) shows the opposite: the GSM's denoised MSE is below the MVN's at every σ
/// (6.3e-5 against 9.8e-5 at σ = 0.01, 2.0e-3 against 2.8e-3 at σ = 0.2). It also trained on
/// 10,000 patches; we use 50,000.
///
/// **Budget.** 50,000 training patches drawn uniformly (seeded) from all 8 × 8 patches of
/// camera, gray astronaut and gray coffee; EM up to 30 iterations for the GSM and the GMMs,
/// one start (k-means++). --quick: the centre 128 × 128 of each training image, 3,000 patches,
/// K = 3 for the GSM, K = 2 and 3 for the GMMs, 5 iterations, and a 64 × 64 test crop.
import Figures
import Foundation
import Imaging
import LinearAlgebra
import Mixtures
import Randomness
import Restoration
import Workbook

let chapter = Chapter("11-model-comparison", title: "Three patch priors for photographs: MVN, GSM and GMM",
                      question: "Course report, sections 2.1–2.5")

/// One prior of the comparison: how it was fitted and what it did.
struct Contender {
    let name: String
    let family: PriorFamily
    let components: Int
    let removesPatchMean: Bool
    var fit: PriorFit? = nil
    /// Denoised MSE, PSNR and restoration seconds per σ.
    var mse: [Double: Double] = [:]
    var psnr: [Double: Double] = [:]
    var restoreSeconds: [Double: Double] = [:]
    var shown: Image? = nil
}

let patchSize = 8
let noiseLevels = [0.01, 0.05, 0.1, 0.2]
let shownSigma = 0.1
/// The course report's denoised MSE (its own test images) and the reference implementation's
/// on this machine kind (centre 256 × 256 of gray chelsea), per σ.
let reportMSE: [String: [Double]] = ["MVN": [9.8e-5, 9.5e-4, 1.7e-3, 2.8e-3], "GSM": [6.3e-5, 5.0e-4, 9.9e-4, 2.0e-3]]
let machineMSE: [String: [Double]] = ["MVN": [8.9e-5, 8.5e-4, 1.60e-3, 2.71e-3], "GSM": [7.7e-5, 7.4e-4, 1.45e-3, 2.47e-3],
                                      "GMM (K = 20)": [7.1e-5, 6.6e-4, 1.33e-3, 2.38e-3]]

var trainingPatches = Matrix(rows: 0, columns: 0, repeating: 0)
var testImage: Image!
var contenders: [Contender] = []
var noisyMSE: [Double: Double] = [:]
var noisyPSNR: [Double: Double] = [:]
var noisyShown: Image!

func sci(_ x: Double) -> String { String(format: "%.2e", x) }

chapter.step("Load the photographs and draw the training patches") { ctx in
    /// The patches of the three training photographs are drawn uniformly from their union (each
    /// image contributes in proportion to its number of patches), one image at a time so that
    /// the 750,000 patches never sit in memory together.
    let crop = ctx.choose(full: nil, quick: 128) as Int?
    let images = try Datasets.trainingPhotographs.map { name -> Image in
        let image = try Datasets.grayPhotograph(name, in: ctx.dataDirectory)
        ctx.report("\(name)", "\(image.width) x \(image.height), gray in [\(Format.significant(image.valueRange.lowerBound, digits: 3)), \(Format.significant(image.valueRange.upperBound, digits: 3))]")
        return try crop.map { try image.centreCropped(width: $0, height: $0) } ?? image
    }
    let total = images.map { patchCount(width: $0.width, height: $0.height, size: patchSize) }.reduce(0, +)
    let wanted = min(total, ctx.choose(full: 50_000, quick: 3000))
    var g = ctx.generator("training-patches")
    trainingPatches = try samplePatches(wanted, size: patchSize, from: images, using: &g)
    ctx.report("training patches", "\(wanted) of \(total) (8 x 8)")
    ctx.check("every drawn patch was taken", equals: wanted, actual: trainingPatches.rows)

    let side = ctx.choose(full: 256, quick: 64)
    testImage = try Datasets.grayPhotograph(Datasets.testPhotograph, in: ctx.dataDirectory).centreCropped(width: side, height: side)
    ctx.report("test image", "centre \(side) x \(side) of gray \(Datasets.testPhotograph)")
    contenders = [
        Contender(name: "MVN", family: .mvn, components: 1, removesPatchMean: false),
        Contender(name: "GSM", family: .gsm, components: ctx.choose(full: 6, quick: 3), removesPatchMean: true),
        Contender(name: "GMM (K = \(ctx.choose(full: 6, quick: 2)))", family: .gmm, components: ctx.choose(full: 6, quick: 2), removesPatchMean: false),
        Contender(name: "GMM (K = \(ctx.choose(full: 20, quick: 3)))", family: .gmm, components: ctx.choose(full: 20, quick: 3), removesPatchMean: false),
        Contender(name: "MVN, mean removed", family: .mvn, components: 1, removesPatchMean: true),
        Contender(name: "GMM (K = \(ctx.choose(full: 20, quick: 3))), mean removed", family: .gmm, components: ctx.choose(full: 20, quick: 3), removesPatchMean: true),
    ]
}

chapter.step("Train the priors and time them (report 2.1)") { ctx in
    /// The MVN is a mean and a covariance (closed form); the GSM and the GMMs run EM from
    /// k-means++ (GSM: spread scales) for at most 30 iterations (--quick 5). The GSM sees the
    /// mean-removed patches.
    let iterations = ctx.choose(full: 30, quick: 5)
    var centred = trainingPatches
    _ = centred.removeRowMeans()
    var rows: [[String]] = []
    for index in contenders.indices {
        let c = contenders[index]
        ctx.progress("fitting \(c.name)")
        let fit = try PatchPrior.fit(c.family, to: c.removesPatchMean ? centred : trainingPatches, components: c.components,
                                     options: EMOptions(maxIterations: iterations, seed: ctx.seed(for: "fit-\(c.name)"))) { p in
            if p.iteration % 5 == 0 { ctx.progress("  \(c.name): \(p)") }
        }
        contenders[index].fit = fit
        ctx.report("\(c.name): training time", fit.seconds, unit: "s", digits: 3)
        rows.append([c.name, "\(c.components)", c.removesPatchMean ? "removed" : "kept", "\(fit.iterations)\(fit.converged ? " (converged)" : "")",
                     Format.significant(fit.meanLogLikelihoods.last!, digits: 5), Format.seconds(fit.seconds)])
    }
    ctx.narrate("\(trainingPatches.rows) patches of 8 x 8:\n" + Format.table(["prior", "K", "patch mean", "EM iterations", "final mean log-likelihood", "training time"], rows))
    ctx.report("course report (10,000 patches)", "MVN 0.006 s, GSM (K = 6) 2.7 s")
    let gsm = contenders[1].fit!.meanLogLikelihoods
    let drops = zip(gsm, gsm.dropFirst()).map { $0 - $1 }.max() ?? 0
    ctx.check("the GSM's mean log-likelihood never decreases during EM (largest drop, relative)",
              value: max(drops, 0) / max(abs(gsm.last!), 1), below: 1e-9)
    let gmmLast = contenders[3].fit!.meanLogLikelihoods.last!
    let mvnLL = contenders[0].fit!.meanLogLikelihoods.last!
    ctx.report("largest GMM minus MVN mean log-likelihood on the training patches", gmmLast - mvnLL, unit: "nats / patch", digits: 4)
    ctx.check("the largest GMM fits the training patches better than the MVN (nats / patch)", value: gmmLast - mvnLL, above: 0)
}

chapter.step("Denoise the test image at four noise levels (report 2.2)") { ctx in
    /// One noise draw per σ (the same for every prior), MMSE estimate with overlap averaging,
    /// MSE and PSNR (peak 1) on the whole image with the estimate clipped to [0, 1].
    for sigma in noiseLevels {
        let corruption = try Corruption(blur: .none, sigma: sigma)
        let experiment = try DenoisingExperiment(clean: [testImage], corruption: corruption, seed: ctx.seed(for: "noise-\(sigma)"), peak: 1)
        let noisy = try experiment.corruptedScore()
        noisyMSE[sigma] = noisy.mse
        noisyPSNR[sigma] = noisy.psnr
        if sigma == shownSigma { noisyShown = experiment.corrupted[0] }
        for index in contenders.indices {
            let c = contenders[index]
            ctx.progress("σ = \(sigma): restoring with \(c.name)")
            let denoiser = try PatchDenoiser(prior: c.fit!.prior.asGaussianMixture(), patchSize: patchSize,
                                             corruption: corruption, removesPatchMean: c.removesPatchMean)
            let result = try experiment.restore(with: denoiser, estimator: .mmse)
            contenders[index].mse[sigma] = result.mse
            contenders[index].psnr[sigma] = result.psnr
            contenders[index].restoreSeconds[sigma] = result.seconds
            if sigma == shownSigma { contenders[index].shown = result.restored[0] }
        }
    }
    var rows: [[String]] = [["noisy"] + noiseLevels.map { "\(sci(noisyMSE[$0]!)) / \(String(format: "%.2f", noisyPSNR[$0]!))" } + ["–"]]
    for c in contenders {
        rows.append([c.name] + noiseLevels.map { "\(sci(c.mse[$0]!)) / \(String(format: "%.2f", c.psnr[$0]!))" }
                    + [Format.seconds(noiseLevels.map { c.restoreSeconds[$0]! }.reduce(0, +) / Double(noiseLevels.count))])
    }
    let header = ["MSE / PSNR (dB)"] + noiseLevels.map { "σ = \($0)" } + ["restore time (mean)"]
    ctx.narrate("Ours, centre \(testImage.width) x \(testImage.height) of gray chelsea:\n" + Format.table(header, rows))
    var references: [[String]] = []
    for (name, values) in reportMSE.sorted(by: { $0.key > $1.key }) { references.append(["course report: \(name)"] + values.map(sci)) }
    for (name, values) in machineMSE.sorted(by: { $0.key > $1.key }) { references.append(["this machine kind: \(name)"] + values.map(sci)) }
    ctx.narrate("Reference denoised MSE (course report: its own test images, orders of magnitude only; machine kind: 256 x 256 chelsea, 50,000 raw patches):\n"
                + Format.table(["reference"] + noiseLevels.map { "σ = \($0)" }, references))
    for c in contenders {
        let worst = noiseLevels.map { c.mse[$0]! / noisyMSE[$0]! }.max()!
        ctx.check("\(c.name): denoised MSE below the noisy MSE at every σ (largest ratio)", value: worst, below: 1)
    }
    let ratio = noisyMSE[0.01]! / (0.01 * 0.01)
    ctx.report("noisy MSE / σ² at σ = 0.01", ratio, digits: 4)
    ctx.check("the noisy MSE at σ = 0.01 is σ² (|ratio − 1|, clipping and sampling aside)", value: abs(ratio - 1), below: 0.1)
    let mvn = contenders[0].mse[shownSigma]!
    let gmm = contenders[3].mse[shownSigma]!
    ctx.report("\(contenders[3].name) / MVN denoised MSE at σ = 0.1", gmm / mvn, digits: 4)
    ctx.check("\(contenders[3].name) is at least as good as the MVN at σ = 0.1 (MSE ratio)", value: gmm / mvn, below: 1)
}

chapter.step("Which prior is best (report 2.5)") { ctx in
    /// Ranked by the mean PSNR over the four noise levels; the training cost is the other side
    /// of the trade.
    let ranked = contenders.sorted { a, b in
        noiseLevels.map { a.psnr[$0]! }.reduce(0, +) > noiseLevels.map { b.psnr[$0]! }.reduce(0, +)
    }
    for (place, c) in ranked.enumerated() {
        let mean = noiseLevels.map { c.psnr[$0]! }.reduce(0, +) / Double(noiseLevels.count)
        ctx.report("\(place + 1). \(c.name)", "mean PSNR \(String(format: "%.2f", mean)) dB, trained in \(Format.seconds(c.fit!.seconds))")
    }
    let gsm = contenders[1], mvn = contenders[0]
    let gsmWins = noiseLevels.filter { gsm.mse[$0]! < mvn.mse[$0]! }.count
    ctx.report("noise levels where the GSM's MSE is below the MVN's", "\(gsmWins) of \(noiseLevels.count) (the course report's table: 4 of 4; its text claims the reverse)")
}

chapter.figure("Figure: the GSM's mean log-likelihood during EM") { ctx in
    /// Beside it, the largest GMM fitted to the same mean-removed patches: on the same data the
    /// two log-likelihoods compare (the raw-patch fits live on other data and are left out).
    let gsm = contenders[1], gmm = contenders[5]
    let curve = { (fit: PriorFit) -> [Double] in fit.meanLogLikelihoods.indices.map(Double.init) }
    try ctx.figures.write(
        LinePlot(series: [.init(name: "GSM (K = \(gsm.components))", x: curve(gsm.fit!), y: gsm.fit!.meanLogLikelihoods),
                          .init(name: gmm.name, x: curve(gmm.fit!), y: gmm.fit!.meanLogLikelihoods)],
                 title: "EM on \(trainingPatches.rows) mean-removed 8 x 8 patches: mean log-likelihood per patch",
                 xLabel: "EM iteration (0 = initialisation)", yLabel: "mean log-likelihood (nats / patch)",
                 xRange: 0...Double(max(gsm.fit!.iterations, gmm.fit!.iterations)), legend: .below),
        name: "gsm-log-likelihood")
}

chapter.figure("Figure: the test image restored by each prior at σ = 0.1") { ctx in
    /// The display range is 0…1 for every cell; captions give PSNR against the clean image.
    /// Two rows of three, so the figure is about 800 pixels wide and its text stays legible
    /// at report width.
    let columns: [(title: String, image: Image)] = [("clean", testImage), ("noisy σ = 0.1", noisyShown)]
        + contenders.prefix(4).map { ($0.name, $0.shown!) }
    let cells = try columns.enumerated().map { index, entry in
        ImageGrid.Cell(.gray(entry.image.clipped(to: 0...1), displayRange: 0...1),
                       caption: index == 0 ? entry.title : "\(entry.title): " + String(format: "%.2f dB", try peakSignalToNoiseRatio(estimate: entry.image, reference: testImage, peak: 1)))
    }
    try ctx.figures.write(
        ImageGrid(cells: cells, columns: 3,
                  title: "Centre \(testImage.width) × \(testImage.height) of gray chelsea, σ = 0.1\nMMSE with 8 × 8 patch priors; PSNR (peak 1) under each"),
        name: "denoised-chelsea")
}

chapter.run()
