import Foundation
import LinearAlgebra
import Mixtures
import PropertyBased
import Randomness
import TestSupport
import Testing

/// rₖ² = Σᵢ cᵢₖ mᵢ / (d Σᵢ cᵢₖ) maximises the expected log-likelihood in rₖ² (theory 1.2).
@Suite struct GSMScaleUpdate {
    @Test func derivativeVanishesAtTheClosedFormAndTheObjectiveIsLowerOnBothSides() async {
        await propertyCheck(count: 60, input: Gen.int(in: 1...40), Gen.int(in: 1...50), Gen.uint64()) { n, d, seed in
            var g = SeededGenerator(seed: seed)
            let c = (0..<n).map { _ in g.nextUniform() + 1e-3 }
            // Mahalanobis forms of d-dimensional samples: chi-square-like, times a random scale.
            let scale = exp(3 * g.nextGaussian())
            let m = (0..<n).map { _ in scale * g.gaussians(count: d).reduce(0) { $0 + $1 * $1 } + 1e-9 }
            let s = ScaleUpdate.closedForm(responsibilities: c, mahalanobis: m, dimension: d)
            #expect(s > 0)
            // Q′(s) = (Σ c m − d s Σ c) / (2s²): relative to the size of its two terms.
            let size = c.reduce(0, +) * Double(d) / (2 * s)
            #expect(abs(ScaleUpdate.derivative(scale: s, responsibilities: c, mahalanobis: m, dimension: d)) < 1e-12 * size)
            let q = ScaleUpdate.expectedLogLikelihood(scale: s, responsibilities: c, mahalanobis: m, dimension: d)
            for delta in [1e-3, 0.1, 0.5, 3] {
                for other in [s * (1 + delta), s / (1 + delta)] {
                    let value = ScaleUpdate.expectedLogLikelihood(scale: other, responsibilities: c, mahalanobis: m, dimension: d)
                    #expect(value < q, "Q(\(other)) = \(value) is not below Q(\(s)) = \(q)")
                }
            }
            // The derivative is positive below the maximiser and negative above it.
            #expect(ScaleUpdate.derivative(scale: s * 0.9, responsibilities: c, mahalanobis: m, dimension: d) > 0)
            #expect(ScaleUpdate.derivative(scale: s * 1.1, responsibilities: c, mahalanobis: m, dimension: d) < 0)
        }
    }

    /// Independently of the library's Qₖ: built from samples as Qₖ(s) = Σᵢ cᵢ log N(xᵢ; 0, sΣ)
    /// (NaiveDensity: explicit inverse and determinant of sΣ), and with mᵢ = xᵢᵀΣ⁻¹xᵢ read off
    /// the naive density, the closed form maximises it; the library's Q′ equals its
    /// central-difference slope, and the library's Q differs from it by a constant.
    @Test func closedFormMaximisesTheExpectedLogLikelihoodOfSamples() async {
        await propertyCheck(count: 30, input: Gen.int(in: 1...6), Gen.int(in: 2...30), Gen.uint64()) { d, n, seed in
            var g = SeededGenerator(seed: seed)
            let sigma = RandomMatrices.spd(d, ridge: 0.3, using: &g)
            let spread = exp(g.nextGaussian())
            let x = (0..<n).map { _ in g.gaussians(count: d).map { $0 * spread } }
            let c = (0..<n).map { _ in g.nextUniform() + 1e-3 }
            let zero = [Double](repeating: 0, count: d)
            func naiveQ(_ s: Double) -> Double {
                zip(c, x).reduce(0) { $0 + $1.0 * NaiveDensity.logGaussian($1.1, mean: zero, covariance: sigma.scaled(by: s)) }
            }
            let origin = NaiveDensity.logGaussian(zero, mean: zero, covariance: sigma)
            let m = x.map { -2 * (NaiveDensity.logGaussian($0, mean: zero, covariance: sigma) - origin) }
            let s = ScaleUpdate.closedForm(responsibilities: c, mahalanobis: m, dimension: d)
            let q = naiveQ(s)
            for delta in [1e-2, 0.1, 1] {
                for other in [s * (1 + delta), s / (1 + delta)] {
                    #expect(naiveQ(other) < q, "d = \(d): Q(\(other)) ≥ Q(\(s))")
                }
            }
            let size = c.reduce(0, +) * Double(d)
            for t in [0.5 * s, 2 * s] {
                let h = 1e-4 * t
                let slope = (naiveQ(t + h) - naiveQ(t - h)) / (2 * h)
                let library = ScaleUpdate.derivative(scale: t, responsibilities: c, mahalanobis: m, dimension: d)
                #expect(abs(slope - library) < 1e-5 * size / t, "Q′(\(t)): \(library) against the slope \(slope)")
            }
            func libraryQ(_ t: Double) -> Double {
                ScaleUpdate.expectedLogLikelihood(scale: t, responsibilities: c, mahalanobis: m, dimension: d)
            }
            let naiveStep = naiveQ(3 * s) - naiveQ(s), libraryStep = libraryQ(3 * s) - libraryQ(s)
            #expect(abs(naiveStep - libraryStep) < 1e-9 * (abs(naiveStep) + size))
        }
    }
}
