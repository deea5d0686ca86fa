import Foundation
import Testing
import PropertyBased
import Imaging
import LinearAlgebra
import Randomness
import Restoration
import TestSupport

/// Σᵢ Pᵢᵀ vᵢ straight from the definition: every row of `rows` (one m x m patch per row, in
/// `extractPatches` order) added back at its window.
func patchAdjoint(_ rows: Matrix, size m: Int, width: Int, height: Int) -> [Double] {
    var out = [Double](repeating: 0, count: width * height)
    var i = 0
    for py in 0...(height - m) {
        for px in 0...(width - m) {
            for r in 0..<m { for c in 0..<m { out[(py + r) * width + px + c] += rows[i, r * m + c] } }
            i += 1
        }
    }
    return out
}

/// The x-step minimises E(x) = λ‖Ax − y‖² + β Σᵢ Σ_{u∈Pᵢ} (w_u/D_u)(xᵤ − zᵢ,ᵤ)²: its answer
/// solves the normal equations, assembled here from the definition — for the literal
/// splitting (λ = c/σ², w = D) (λAᵀA + β Σ PᵢᵀPᵢ) x = λAᵀy + β Σ Pᵢᵀzᵢ, for the averaged
/// weighting (λ = 1/σ², w = 1) (AᵀA/σ² + βI) x = Aᵀy/σ² + β x̄ — and it never raises E.
@Suite struct EPLLImageStepSolvesTheNormalEquations {
    /// A random step: image sizes m…m+6, m in 2…4, pixels and estimates on a 0…255-like
    /// scale, either weighting.
    static func randomStep(
        blur: Bool, width w: Int, height h: Int, size m: Int, using g: inout SeededGenerator
    ) throws -> (step: EPLLImageStep, sigma: Double, weighting: EPLLOptions.Weighting, estimates: Matrix) {
        let observed = try randomImage(width: w, height: h, scale: 60, using: &g)
        let count = patchCount(width: w, height: h, size: m)
        let estimates = RandomMatrices.gaussian(rows: count, columns: m * m, scale: 60, using: &g)
        let sigma = 5 + 20 * g.nextUniform()
        let beta = (0.5 + 30 * g.nextUniform()) / (sigma * sigma)
        let weighting: EPLLOptions.Weighting = g.nextInt(below: 2) == 0 ? .averaged : .patchSum(dataMultiple: 0.5 + Double(m * m) * g.nextUniform())
        let a: any LinearImageOperator = blur ? ConvolutionOperator.binomialBlur : IdentityOperator()
        let step = try EPLLImageStep(observed: observed, degradation: a, noiseSigma: sigma, beta: beta, weighting: weighting,
                                     patchSize: m, estimates: estimates)
        return (step, sigma, weighting, estimates)
    }

    /// ‖b − M x‖ / ‖b‖ with M and b built from A, Aᵀ and explicit patch sums.
    static func normalResidual(
        _ step: EPLLImageStep, estimates: Matrix, sigma: Double, weighting: EPLLOptions.Weighting, _ x: Image
    ) throws -> Double {
        let (w, h, m) = (step.observed.width, step.observed.height, step.patchSize)
        let a = step.degradation
        let ata = try a.adjoint(a.apply(x)).pixels
        let aty = try a.adjoint(step.observed).pixels
        let ptz = patchAdjoint(estimates, size: m, width: w, height: h)
        let mx: [Double], b: [Double]
        switch weighting {
        case .patchSum(let c):
            let ptp = patchAdjoint(try extractPatches(from: x, size: m), size: m, width: w, height: h)
            mx = (0..<(w * h)).map { c / (sigma * sigma) * ata[$0] + step.beta * ptp[$0] }
            b = (0..<(w * h)).map { c / (sigma * sigma) * aty[$0] + step.beta * ptz[$0] }
        case .averaged:
            let counts = patchAdjoint(Matrix(rows: estimates.rows, columns: m * m, repeating: 1), size: m, width: w, height: h)
            mx = (0..<(w * h)).map { ata[$0] / (sigma * sigma) + step.beta * x.pixels[$0] }
            b = (0..<(w * h)).map { aty[$0] / (sigma * sigma) + step.beta * ptz[$0] / counts[$0] }
        }
        let r = zip(b, mx).reduce(0.0) { $0 + ($1.0 - $1.1) * ($1.0 - $1.1) }.squareRoot()
        return r / b.reduce(0) { $0 + $1 * $1 }.squareRoot()
    }

    @Test(arguments: [false, true])
    func solutionSatisfiesTheNormalEquations(blur: Bool) async {
        await propertyCheck(count: 20, input: Gen.int(in: 2...4), Gen.int(in: 0...6), Gen.int(in: 0...6), Gen.uint64()) { m, dw, dh, seed in
            var g = SeededGenerator(seed: seed)
            let (step, sigma, weighting, estimates) = try Self.randomStep(blur: blur, width: m + dw, height: m + dh, size: m, using: &g)
            let start = try randomImage(width: m + dw, height: m + dh, scale: 60, using: &g)
            let tolerance = 1e-9
            let solution = try step.solve(start: start, tolerance: tolerance, maxIterations: 1000)
            let residual = try Self.normalResidual(step, estimates: estimates, sigma: sigma, weighting: weighting, solution.image)
            // The reported residual is the true one; a few ulps of the products separate it
            // from the recomputed one.
            #expect(residual < 10 * tolerance, "relative residual \(residual)")
            #expect(abs(residual - solution.relativeResidual) < 1e-10)
            if !blur { #expect(solution.conjugateGradientIterations == 0) }
        }
    }

    @Test func identityClosedFormIsTheWeightedMeanOfObservationAndPatchAverage() async {
        await propertyCheck(count: 20, input: Gen.int(in: 2...4), Gen.int(in: 0...5), Gen.uint64()) { m, extra, seed in
            var g = SeededGenerator(seed: seed)
            let (step, sigma, weighting, estimates) = try Self.randomStep(blur: false, width: m + extra, height: m + 2, size: m, using: &g)
            let x = try step.solve(start: step.observed, tolerance: 1e-9, maxIterations: 1).image
            let ones = Matrix(rows: estimates.rows, columns: m * m, repeating: 1)
            let coverage = patchAdjoint(ones, size: m, width: m + extra, height: m + 2)
            let sums = patchAdjoint(estimates, size: m, width: m + extra, height: m + 2)
            let beta = step.beta
            let expected: [Double]
            switch weighting {
            case .patchSum(let c):  // (λ y + β Σ Pᵢᵀzᵢ) / (λ + β D), λ = c/σ²
                let lambda = c / (sigma * sigma)
                expected = (0..<coverage.count).map { u in (lambda * step.observed.pixels[u] + beta * sums[u]) / (lambda + beta * coverage[u]) }
            case .averaged:  // (y + βσ² x̄) / (1 + βσ²)
                let s2 = sigma * sigma
                expected = (0..<coverage.count).map { u in (step.observed.pixels[u] + beta * s2 * sums[u] / coverage[u]) / (1 + beta * s2) }
            }
            #expect(Tolerance.relativeError(x.pixels, expected) < 1e-12)
            #expect(step.coverage == coverage)
        }
    }

    @Test(arguments: [false, true])
    func theStepNeverRaisesTheObjective(blur: Bool) async {
        await propertyCheck(count: 20, input: Gen.int(in: 2...4), Gen.int(in: 0...6), Gen.int(in: 1...8), Gen.uint64()) { m, extra, cgSteps, seed in
            var g = SeededGenerator(seed: seed)
            let (step, _, _, estimates) = try Self.randomStep(blur: blur, width: m + extra, height: m + 3, size: m, using: &g)
            let start = try randomImage(width: m + extra, height: m + 3, scale: 60, using: &g)
            // Even conjugate gradients stopped after a few iterations must not raise E.
            let x = try step.solve(start: start, tolerance: 1e-12, maxIterations: cgSteps).image
            let before = try step.objective(start, estimates: estimates), after = try step.objective(x, estimates: estimates)
            #expect(after <= before * (1 + 1e-12), "E rose from \(before) to \(after)")
            // And the converged x is a minimum: no random direction lowers E.
            let converged = try step.solve(start: x, tolerance: 1e-11, maxIterations: 2000).image
            let best = try step.objective(converged, estimates: estimates)
            for _ in 0..<3 {
                let direction = g.gaussians(count: converged.pixels.count, standardDeviation: 1)
                let moved = try Image(width: converged.width, height: converged.height,
                                      pixels: zip(converged.pixels, direction).map { $0 + 0.01 * $1 })
                #expect(try step.objective(moved, estimates: estimates) >= best * (1 - 1e-12))
            }
        }
    }

    @Test func badStepInputsThrow() throws {
        var g = SeededGenerator(seed: 5)
        let image = try randomImage(width: 6, height: 6, using: &g)
        let z = RandomMatrices.gaussian(rows: 9, columns: 16, using: &g)
        let a = IdentityOperator()
        #expect(throws: RestorationError.self) { try EPLLImageStep(observed: image, degradation: a, noiseSigma: 0, beta: 1, patchSize: 4, estimates: z) }
        #expect(throws: RestorationError.self) { try EPLLImageStep(observed: image, degradation: a, noiseSigma: 1, beta: 1, weighting: .patchSum(dataMultiple: .infinity), patchSize: 4, estimates: z) }
        #expect(throws: RestorationError.self) { try EPLLImageStep(observed: image, degradation: a, noiseSigma: 1, beta: -1, patchSize: 4, estimates: z) }
        #expect(throws: RestorationError.self) { try EPLLImageStep(observed: image, degradation: a, noiseSigma: 1, beta: .nan, patchSize: 4, estimates: z) }
        #expect(throws: RestorationError.self) { try EPLLImageStep(observed: image, degradation: a, noiseSigma: 1, beta: 1, patchSize: 3, estimates: z) }
        let step = try EPLLImageStep(observed: image, degradation: a, noiseSigma: 1, beta: 1, patchSize: 4, estimates: z)
        #expect(throws: RestorationError.self) { try step.solve(start: randomImage(width: 5, height: 6, using: &g), tolerance: 1e-6, maxIterations: 10) }
        #expect(throws: RestorationError.self) { try step.objective(image, estimates: RandomMatrices.gaussian(rows: 8, columns: 16, using: &g)) }
        let wrongSize = try randomImage(width: 6, height: 5, using: &g)
        #expect(throws: RestorationError.self) { try EPLLImageStep(observed: image, degradation: a, noiseSigma: 1, beta: 1, patchSize: 4, patchAverage: wrongSize) }
        let notFinite = try Image(width: 6, height: 6, pixels: [.nan] + Array(image.pixels.dropFirst()))
        #expect(throws: ImageError.self) { try EPLLImageStep(observed: image, degradation: a, noiseSigma: 1, beta: 1, patchSize: 4, patchAverage: notFinite) }
        #expect(throws: RestorationError.self) { try EPLLImageStep(observed: image, degradation: a, noiseSigma: 1, beta: 1, patchSize: 7, patchAverage: image) }
        // Both initialisers make the same step.
        let fromAverage = try EPLLImageStep(observed: image, degradation: a, noiseSigma: 1, beta: 1, patchSize: 4, patchAverage: step.patchAverage)
        #expect(try fromAverage.solve(start: image, tolerance: 1e-9, maxIterations: 1).image == (try step.solve(start: image, tolerance: 1e-9, maxIterations: 1).image))
    }
}
