import Foundation
import Mixtures
import PropertyBased
import Randomness
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
}
