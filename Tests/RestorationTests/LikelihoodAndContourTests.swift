import Foundation
import Testing
import PropertyBased
import LinearAlgebra
import Randomness
import Restoration
import TestSupport

@Suite struct LikelihoodInCleanSpace {
    /// A model with random SPD Σ and Σ_y, random square W (invertible with probability 1)
    /// and random b.
    private func squareModel(_ d: Int, using g: inout SeededGenerator) throws -> LinearGaussianModel {
        try LinearGaussianModel(
            prior: Gaussian(mean: RandomMatrices.vector(d, using: &g), covariance: RandomMatrices.spd(d, using: &g)),
            operatorMatrix: RandomMatrices.gaussian(rows: d, columns: d, using: &g).adding(Matrix.identity(d).scaled(by: 3)),
            offset: RandomMatrices.vector(d, using: &g),
            noiseCovariance: RandomMatrices.spd(d, using: &g))
    }

    /// W m = y − b for the likelihood's mean m. m comes from (WᵀN⁻¹W)⁻¹ WᵀN⁻¹ (y − b), whose
    /// rounding grows with the conditioning of (WᵀN⁻¹W)⁻¹, which a random square W can make
    /// large: the tolerance scales with it (as in `differsFromTheObservationDensityByAConstant`).
    /// (A fixed 1e-9 failed about once in 40 runs, by 2e-9 to 5e-9, on PropertyBased's seed
    /// "/7oZzKCQDymqPZ//viOqWERIjO1CZVmn1/Tpsl1tENc=", which passes with this tolerance.)
    func checkMeanInvertsTheOperator() async {
        await propertyCheck(count: 40, input: Gen.int(in: 1...8), Gen.uint64()) { d, seed in
            var g = SeededGenerator(seed: seed)
            let model = try squareModel(d, using: &g)
            let y = RandomMatrices.vector(d, scale: 2, using: &g)
            let likelihood = try model.likelihoodOfCleanPatch(observed: y)
            let wm = try model.operatorMatrix.multiplied(byVector: likelihood.mean)
            let target = zip(y, model.offset).map { $0 - $1 }
            let eigenvalues = try likelihood.covariance.symmetricEigen().values
            let condition = eigenvalues.last! / eigenvalues.first!
            #expect(Tolerance.relativeError(wm, target) < 1e-13 * max(condition, 1e4), "condition \(condition)")
        }
    }

    @Test func meanInvertsTheOperator() async { await checkMeanInvertsTheOperator() }

    @Test func differsFromTheObservationDensityByAConstant() async {
        await propertyCheck(count: 40, input: Gen.int(in: 1...6), Gen.int(in: 0...3), Gen.uint64()) { d, extra, seed in
            var g = SeededGenerator(seed: seed)
            let p = d + extra  // tall W: full column rank with probability 1
            let model = try LinearGaussianModel(
                prior: Gaussian(mean: RandomMatrices.vector(d, using: &g), covariance: RandomMatrices.spd(d, using: &g)),
                operatorMatrix: RandomMatrices.gaussian(rows: p, columns: d, using: &g),
                offset: RandomMatrices.vector(p, using: &g),
                noiseCovariance: RandomMatrices.spd(p, using: &g))
            let y = RandomMatrices.vector(p, scale: 2, using: &g)
            let likelihood = try model.likelihoodOfCleanPatch(observed: y)
            let differences = try (0..<5).map { _ -> Double in
                let z = RandomMatrices.vector(d, using: &g)
                let wz = try model.operatorMatrix.multiplied(byVector: z)
                let mean = zip(wz, model.offset).map { $0 + $1 }
                return NaiveDensity.logGaussian(y, mean: mean, covariance: model.noiseCovariance)
                    - NaiveDensity.logGaussian(z, mean: likelihood.mean, covariance: likelihood.covariance)
            }
            let scale = differences.reduce(1) { max($0, abs($1)) }
            // Rounding grows with the conditioning of the likelihood's covariance
            // (WᵀN⁻¹W)⁻¹, which a random square W can make large.
            let eigenvalues = try likelihood.covariance.symmetricEigen().values
            let condition = eigenvalues.last! / eigenvalues.first!
            #expect((differences.max()! - differences.min()!) / scale < 1e-13 * max(condition, 1e4))
        }
    }

    @Test func priorTimesLikelihoodIsTheInformationForm() async {
        await propertyCheck(count: 40, input: Gen.int(in: 1...8), Gen.uint64()) { d, seed in
            var g = SeededGenerator(seed: seed)
            let model = try squareModel(d, using: &g)
            let y = RandomMatrices.vector(d, scale: 2, using: &g)
            let likelihood = try model.likelihoodOfCleanPatch(observed: y)
            let priorPrecision = try model.prior.covariance.spdInverse()
            let likelihoodPrecision = try likelihood.covariance.spdInverse()
            let precision = try priorPrecision.adding(likelihoodPrecision).symmetrized()
            let information = zip(try priorPrecision.multiplied(byVector: model.prior.mean),
                                  try likelihoodPrecision.multiplied(byVector: likelihood.mean)).map { $0 + $1 }
            let factor = try precision.cholesky()
            let expected = try model.posteriorByInformationForm(observed: y)
            #expect(Tolerance.relativeError(try factor.solve(vector: information), expected.mean) < 1e-8)
            #expect(Tolerance.relativeError(factor.inverse(), expected.covariance) < 1e-8)
        }
    }

    /// W (3 x 2) sees nothing of the second coordinate, so WᵀΣ_y⁻¹W = diag(5, 0) is singular
    /// (exactly: its leading minor of order 2 is 0) and the likelihood is no density of z.
    /// A well-shaped observation of length 3 must give `notPositiveDefinite`, not a shape error.
    @Test func rankDeficientOperatorThrows() throws {
        let model = try LinearGaussianModel(
            prior: Gaussian(mean: [0, 0], covariance: .identity(2)),
            operatorMatrix: Matrix(rowArrays: [[1, 0], [2, 0], [0, 0]]), noiseCovariance: .identity(3))
        #expect(throws: LinearAlgebraError.notPositiveDefinite(order: 2, minor: 2)) {
            try model.likelihoodOfCleanPatch(observed: [1, 2, 3])
        }
    }
}

@Suite struct GaussianContour {
    /// The contour at Mahalanobis radius r, with n + 1 points, of a random 2-D Gaussian.
    static func randomContour(radius r: Double, points n: Int, seed: UInt64) throws -> (Gaussian, (x: [Double], y: [Double])) {
        var g = SeededGenerator(seed: seed)
        let gaussian = try Gaussian(mean: RandomMatrices.vector(2, scale: 3, using: &g),
                                    covariance: RandomMatrices.spd(2, using: &g))
        return (gaussian, try gaussian.contour(radius: r, points: n))
    }

    @Test func pointsLieAtTheMahalanobisRadius() async {
        await propertyCheck(count: 40, input: Gen.double(in: 0.1...3), Gen.int(in: 3...100), Gen.uint64()) { r, n, seed in
            let (gaussian, curve) = try Self.randomContour(radius: r, points: n, seed: seed)
            #expect(curve.x.count == n + 1 && curve.y.count == n + 1)
            #expect(curve.x[0] == curve.x[n] && curve.y[0] == curve.y[n])
            let factor = try gaussian.covariance.cholesky()
            for j in 0...n {
                let d = [curve.x[j] - gaussian.mean[0], curve.y[j] - gaussian.mean[1]]
                let squared = zip(d, try factor.solve(vector: d)).reduce(0) { $0 + $1.0 * $1.1 }
                #expect(abs(squared.squareRoot() - r) < 1e-9 * max(1, r))
            }
        }
    }

    /// Whitened, the contour is the unit circle traversed once at constant speed: with
    /// Σ = L Lᵀ, wⱼ = L⁻¹(zⱼ − μ)/r = Q (cos tⱼ, sin tⱼ) for an orthogonal Q (L⁻¹ V diag(√λ)),
    /// so the angle from wⱼ to wⱼ₊₁ is the same ±2π/n for every j (the sign is Q's
    /// orientation), and the n steps add up to one full turn.
    @Test func whitenedPointsAreEquallySpacedRoundTheWholeCircle() async {
        await propertyCheck(count: 40, input: Gen.double(in: 0.1...3), Gen.int(in: 3...100), Gen.uint64()) { r, n, seed in
            let (gaussian, curve) = try Self.randomContour(radius: r, points: n, seed: seed)
            let l = try gaussian.covariance.cholesky().lower
            let whitened = (0...n).map { j -> (Double, Double) in
                let d0 = (curve.x[j] - gaussian.mean[0]) / r, d1 = (curve.y[j] - gaussian.mean[1]) / r
                let w0 = d0 / l[0, 0]
                return (w0, (d1 - l[1, 0] * w0) / l[1, 1])
            }
            let steps = (0..<n).map { j in
                let (a, b) = (whitened[j], whitened[j + 1])
                return atan2(a.0 * b.1 - a.1 * b.0, a.0 * b.0 + a.1 * b.1)
            }
            let step = 2 * Double.pi / Double(n)
            let orientation: Double = steps[0] > 0 ? 1 : -1
            for angle in steps { #expect(abs(angle - orientation * step) < 1e-9) }
            #expect(abs(abs(steps.reduce(0, +)) - 2 * .pi) < 1e-8)
        }
    }

    @Test func rejectsOtherDimensionsAndBadRadii() throws {
        let oneD = try Gaussian(mean: [0], covariance: .identity(1))
        #expect(throws: RestorationError.self) { try oneD.contour(radius: 1) }
        let twoD = try Gaussian(mean: [0, 0], covariance: .identity(2))
        #expect(throws: RestorationError.self) { try twoD.contour(radius: 0) }
        #expect(throws: RestorationError.self) { try twoD.contour(radius: 1, points: 2) }
    }
}
