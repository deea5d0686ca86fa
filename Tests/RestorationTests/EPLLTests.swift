import Foundation
import Testing
import PropertyBased
import Imaging
import LinearAlgebra
import Mixtures
import Randomness
import Restoration
import TestSupport

/// One EPLL iteration for A = I, computed here from its two halves: the z-step by the
/// library's batched posterior with W = I and σ = 1/√β (applied to mean-removed patches when
/// the prior wants them), the x-step by the per-pixel formula — x = (y + βσ² x̄) / (1 + βσ²)
/// for the averaged weighting, x = (λ y + β Σ Pᵢᵀzᵢ) / (λ + β D), λ = c/σ², for the literal
/// splitting — with x̄ and D counted by explicit patch sums.
@Suite struct EPLLIterationForDenoising {
    /// zᵢ for the patches of `x`, straight from `GMMPatchPosterior`.
    static func directEstimates(_ x: Image, prior: GaussianMixture, size m: Int, beta: Double,
                                removesMean: Bool, estimator: PatchEstimator) throws -> Matrix {
        let posterior = try GMMPatchPosterior(prior: prior, observation: .identity(m * m), noiseSigma: 1 / beta.squareRoot())
        var patches = try extractPatches(from: x, size: m)
        let means = removesMean ? patches.removeRowMeans() : []
        var z = try posterior.estimate(patches, estimator: estimator)
        if removesMean { z.addToRows(means) }
        return z
    }

    /// βσ² → ∞: the data term vanishes and the x-step is patch averaging of the estimates.
    /// The x-step is x = (y + βσ² x̄) / (1 + βσ²); with σ in the thousands and β of order one,
    /// y weighs 1/(1 + βσ²) < 10⁻⁶ while the z-step still denoises at variance 1/β, about the
    /// prior's own scale, so the estimates zᵢ (and x̄) lie far from the patches of y (a y ten
    /// times wider than the prior means). EPLL must then return x̄, computed here from the
    /// batched posterior at that β and the library's patch reassembly; the positive control
    /// checks that x̄ is not y itself (as it would be for β = 10¹²/σ²).
    @Test func negligibleDataWeightGivesThePatchAverageOfTheEstimates() async {
        await propertyCheck(count: 15, input: Gen.int(in: 2...3), Gen.int(in: 1...3), Gen.int(in: 0...4), Gen.bool, Gen.uint64()) { m, k, extra, mmse, seed in
            var g = SeededGenerator(seed: seed)
            let prior = try randomMixture(components: k, dimension: m * m, using: &g)
            let sigma = 2000 + 2000 * g.nextUniform()
            let beta = 0.5 + 1.5 * g.nextUniform()
            let multiplier = beta * sigma * sigma  // βσ² ≥ 2·10⁶
            let estimator: PatchEstimator = mmse ? .mmse : .map
            let y = try randomImage(width: m + extra, height: m + 2, scale: 20, using: &g)
            let epll = try EPLL(prior: prior, patchSize: m, degradation: IdentityOperator(), noiseSigma: sigma,
                                options: EPLLOptions(betaSchedule: [multiplier], estimator: estimator))
            let restored = try epll.restore([y]).restored[0]
            let z = try Self.directEstimates(y, prior: prior, size: m, beta: beta, removesMean: false, estimator: estimator)
            let averaged = try reassemblePatches(z, size: m, width: y.width, height: y.height)
            // x − x̄ = (y − x̄) / (1 + βσ²): below 10⁻⁶ of |y − x̄|.
            #expect(Tolerance.relativeError(restored.pixels, averaged.pixels) < 1e-5)
            // The estimates pull y towards the prior means by a fraction of order one.
            #expect(Tolerance.relativeError(averaged.pixels, y.pixels) > 1e-2)
        }
    }

    /// Any β, either estimator, with or without patch-mean removal, either weighting, from y or
    /// from a given start s (then the z-step sees the patches of s, the x-step still y).
    @Test func oneIterationIsTheZStepThenThePerPixelXStep() async {
        await propertyCheck(count: 20, input: Gen.int(in: 2...3), Gen.int(in: 1...3), Gen.bool, Gen.bool, Gen.bool, Gen.bool, Gen.uint64()) { m, k, mmse, removesMean, averaged, fromStart, seed in
            var g = SeededGenerator(seed: seed)
            let prior = try randomMixture(components: k, dimension: m * m, using: &g)
            let sigma = 0.5 + g.nextUniform()
            let multiplier = 0.5 + 10 * g.nextUniform()
            let y = try randomImage(width: m + 3, height: m + 1, scale: 2, using: &g)
            let estimator: PatchEstimator = mmse ? .mmse : .map
            let c = 0.2 + Double(m * m) * g.nextUniform()
            let weighting: EPLLOptions.Weighting = averaged ? .averaged : .patchSum(dataMultiple: c)
            let epll = try EPLL(prior: prior, patchSize: m, degradation: IdentityOperator(), noiseSigma: sigma,
                                options: EPLLOptions(betaSchedule: [multiplier], weighting: weighting, estimator: estimator,
                                                     removesPatchMean: removesMean))
            let start = fromStart ? try randomImage(width: y.width, height: y.height, scale: 2, using: &g) : y
            let restored = try epll.restore([y], from: fromStart ? [start] : nil).restored[0]
            let z = try Self.directEstimates(start, prior: prior, size: m, beta: multiplier / (sigma * sigma),
                                             removesMean: removesMean, estimator: estimator)
            let sums = patchAdjoint(z, size: m, width: y.width, height: y.height)
            let coverage = patchAdjoint(Matrix(rows: z.rows, columns: m * m, repeating: 1), size: m, width: y.width, height: y.height)
            let expected = (0..<y.pixels.count).map {
                averaged ? (y.pixels[$0] + multiplier * sums[$0] / coverage[$0]) / (1 + multiplier)
                    : (c * y.pixels[$0] + multiplier * sums[$0]) / (c + multiplier * coverage[$0])
            }
            #expect(Tolerance.relativeError(restored.pixels, expected) < 1e-10)
        }
    }

    /// Images restored together are restored as they would be alone (the batch shares only
    /// the z-step's computation), and every iteration is recorded with its β.
    @Test func batchesAndRecords() throws {
        var g = SeededGenerator(seed: 21)
        let m = 3
        let prior = try randomMixture(components: 2, dimension: m * m, using: &g)
        let images = try [randomImage(width: 6, height: 5, scale: 2, using: &g), randomImage(width: 4, height: 7, scale: 2, using: &g)]
        let clean = try images.map { try randomImage(width: $0.width, height: $0.height, scale: 2, using: &g) }
        let options = EPLLOptions(betaSchedule: [1, 4], iterationsPerBeta: 2)
        let epll = try EPLL(prior: prior, patchSize: m, degradation: ConvolutionOperator.binomialBlur, noiseSigma: 0.7, options: options)
        var seen: [Int] = []
        let together = try epll.restore(images, clean: clean, peak: 2) { seen.append($0.number) }
        #expect(seen == [1, 2, 3, 4])
        #expect(together.iterations.map(\.betaIndex) == [0, 0, 1, 1])
        #expect(together.iterations.map(\.beta) == [1, 1, 4, 4].map { $0 / (0.7 * 0.7) })
        #expect(together.iterations.allSatisfy { $0.psnr != nil && $0.relativeResidual < 1e-5 })
        #expect(together.initialPSNR != nil)
        for (index, image) in images.enumerated() {
            let alone = try epll.restore([image]).restored[0]
            #expect(Tolerance.relativeError(alone.pixels, together.restored[index].pixels) < 1e-9)
        }
    }
}

/// x⁰ is y, Aᵀy, or the given start: the recorded initial PSNR is the PSNR of that image.
@Suite struct EPLLStart {
    @Test func initialPSNRIsThatOfTheStart() throws {
        var g = SeededGenerator(seed: 31)
        let prior = try randomMixture(components: 2, dimension: 9, using: &g)
        let clean = try Image(width: 7, height: 6, pixels: (0..<42).map { _ in g.nextUniform() })
        let observed = binomialBlur(clean).mapPixels { $0 + 0.05 * g.nextGaussian() }
        let given = try randomImage(width: 7, height: 6, scale: 0.3, using: &g)
        let blur = ConvolutionOperator.binomialBlur
        func initial(_ start: EPLLOptions.Start, from: [Image]? = nil) throws -> Double {
            let epll = try EPLL(prior: prior, patchSize: 3, degradation: blur, noiseSigma: 0.05,
                                options: EPLLOptions(betaSchedule: [1], start: start))
            return try #require(try epll.restore([observed], from: from, clean: [clean], peak: 1).initialPSNR)
        }
        func psnr(_ x: Image) throws -> Double { try peakSignalToNoiseRatio(estimate: x, reference: clean, peak: 1) }
        #expect(try initial(.observed) == psnr(observed))
        #expect(try initial(.adjoint) == psnr(blur.adjoint(observed)))
        #expect(try initial(.observed, from: [given]) == psnr(given))
    }

    /// With a kernel that is not symmetric under the 180° turn, Aᵀ ≠ A: the `.adjoint` start
    /// is the convolution with the turned kernel K̃[i, j] = K[k − 1 − i, k − 1 − j] (built
    /// here by hand). Most of the kernel's weight sits in its first corner, so A shifts the
    /// image one way and Aᵀ shifts it back: Aᵀy is near the clean image and A y is not, and
    /// the positive control checks that the two starts score clearly differently.
    @Test func adjointStartUsesTheAdjointOfAnAsymmetricBlur() async {
        await propertyCheck(count: 10, input: Gen.int(in: 1...2), Gen.uint64()) { half, seed in
            var g = SeededGenerator(seed: seed)
            let k = 2 * half + 1
            var weights = (0..<(k * k)).map { _ in g.nextUniform() }
            weights[0] += 3 * Double(k * k)
            let total = weights.reduce(0, +)
            let kernel = try Matrix(rows: k, columns: k, storage: weights.map { $0 / total })
            let turned = try Matrix(rows: k, columns: k, storage: kernel.storage.reversed())
            let operation = try ConvolutionOperator(kernel: kernel)
            let prior = try randomMixture(components: 2, dimension: 9, using: &g)
            let clean = try Image(width: 8, height: 7, pixels: (0..<56).map { _ in g.nextUniform() })
            let observed = try operation.apply(clean).mapPixels { $0 + 0.02 * g.nextGaussian() }
            let epll = try EPLL(prior: prior, patchSize: 3, degradation: operation, noiseSigma: 0.02,
                                options: EPLLOptions(betaSchedule: [1], start: .adjoint))
            let initial = try #require(try epll.restore([observed], clean: [clean], peak: 1).initialPSNR)
            func psnr(_ x: Image) throws -> Double { try peakSignalToNoiseRatio(estimate: x, reference: clean, peak: 1) }
            let adjoint = try psnr(convolve(observed, with: turned))
            #expect(abs(initial - adjoint) < 1e-12 * abs(adjoint))
            #expect(try adjoint - psnr(operation.apply(observed)) > 0.1)
        }
    }
}

/// Bad input is a thrown `RestorationError`, never a trap.
@Suite struct EPLLRejectsBadInput {
    @Test func badSettingsThrow() throws {
        var g = SeededGenerator(seed: 3)
        let prior = try randomMixture(components: 2, dimension: 4, using: &g)
        let a = IdentityOperator()
        func make(_ sigma: Double = 1, _ options: EPLLOptions = EPLLOptions(), size: Int = 2) throws -> EPLL {
            try EPLL(prior: prior, patchSize: size, degradation: a, noiseSigma: sigma, options: options)
        }
        #expect(throws: RestorationError.self) { try make(0) }
        #expect(throws: RestorationError.self) { try make(-1) }
        #expect(throws: RestorationError.self) { try make(.nan) }
        #expect(throws: RestorationError.self) { try make(1, EPLLOptions(betaSchedule: [])) }
        #expect(throws: RestorationError.self) { try make(1, EPLLOptions(betaSchedule: [1, 0])) }
        #expect(throws: RestorationError.self) { try make(1, EPLLOptions(betaSchedule: [1, -4])) }
        #expect(throws: RestorationError.self) { try make(1, EPLLOptions(betaSchedule: [.nan])) }
        #expect(throws: RestorationError.self) { try make(1, EPLLOptions(betaSchedule: [.infinity])) }
        #expect(throws: RestorationError.self) { try make(1, EPLLOptions(weighting: .patchSum(dataMultiple: 0))) }
        #expect(throws: RestorationError.self) { try make(1, EPLLOptions(weighting: .patchSum(dataMultiple: .nan))) }
        #expect(throws: RestorationError.self) { try make(1, EPLLOptions(iterationsPerBeta: 0)) }
        #expect(throws: RestorationError.self) { try make(1, EPLLOptions(estimator: .seedMAP)) }
        #expect(throws: RestorationError.self) { try make(1, EPLLOptions(conjugateGradientTolerance: 0)) }
        #expect(throws: RestorationError.self) { try make(1, EPLLOptions(conjugateGradientMaxIterations: 0)) }
        #expect(throws: RestorationError.self) { try make(1, size: 3) }
        do { _ = try make(1, EPLLOptions(betaSchedule: [])) } catch { #expect("\(error)".contains("β schedule is empty")) }
    }

    @Test func badImagesThrow() throws {
        var g = SeededGenerator(seed: 4)
        let prior = try randomMixture(components: 2, dimension: 9, using: &g)
        let epll = try EPLL(prior: prior, patchSize: 3, degradation: IdentityOperator(), noiseSigma: 1)
        let good = try randomImage(width: 5, height: 5, using: &g)
        var nanPixels = good.pixels
        nanPixels[7] = .nan
        #expect(throws: RestorationError.self) { try epll.restore([]) }
        #expect(throws: RestorationError.self) { try epll.restore([randomImage(width: 2, height: 5, using: &g)]) }
        #expect(throws: RestorationError.self) { try epll.restore([Image(width: 5, height: 5, pixels: nanPixels)]) }
        #expect(throws: RestorationError.self) { try epll.restore([Image(width: 5, height: 5, channels: 3, repeating: 0.5)]) }
        #expect(throws: RestorationError.self) { try epll.restore([good], clean: [Image(width: 5, height: 5, pixels: nanPixels)]) }
        #expect(throws: RestorationError.self) { try epll.restore([good], clean: [randomImage(width: 5, height: 6, using: &g)]) }
        #expect(throws: RestorationError.self) { try epll.restore([good], clean: [good], peak: 0) }
        #expect(throws: RestorationError.self) { try epll.restore([good], from: [randomImage(width: 5, height: 4, using: &g)]) }
        #expect(throws: RestorationError.self) { try epll.restore([good], from: [Image(width: 5, height: 5, pixels: nanPixels)]) }
        #expect(throws: RestorationError.self) { try epll.restore([good], from: []) }
        do { _ = try epll.restore([randomImage(width: 2, height: 5, using: &g)]) } catch {
            #expect("\(error)".contains("smaller than the 3 x 3 patches"))
        }
    }
}
