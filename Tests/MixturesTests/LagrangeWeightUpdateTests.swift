import Foundation
import LinearAlgebra
import Mixtures
import PropertyBased
import Randomness
import Testing

/// π = (1/N) Σᵢ cᵢₖ maximises Q(π) = Σᵢ Σₖ cᵢₖ log πₖ on the simplex (theory 1.1).
@Suite struct LagrangeWeightUpdate {
    /// Random responsibilities: rows drawn uniform (sometimes sharpened) and normalised.
    static func responsibilities(rows n: Int, columns k: Int, using g: inout SeededGenerator) -> Matrix {
        var c = Matrix(rows: n, columns: k)
        let sharpness = 1 + 2 * g.nextUniform()
        for i in 0..<n {
            let row = (0..<k).map { _ in pow(g.nextUniform() + 0.05, sharpness) }
            let total = row.reduce(0, +)
            for j in 0..<k { c[i, j] = row[j] / total }
        }
        return c
    }

    /// A uniform point of the simplex (normalised exponentials).
    static func simplexPoint(_ k: Int, using g: inout SeededGenerator) -> [Double] {
        let e = (0..<k).map { _ in -log(1 - g.nextUniform()) }
        return e.map { $0 / e.reduce(0, +) }
    }

    @Test func closedFormIsOnTheSimplex() async {
        await propertyCheck(count: 50, input: Gen.int(in: 1...30), Gen.int(in: 1...8), Gen.uint64()) { n, k, seed in
            var g = SeededGenerator(seed: seed)
            let pi = WeightUpdate.closedForm(responsibilities: Self.responsibilities(rows: n, columns: k, using: &g))
            #expect(abs(pi.reduce(0, +) - 1) < 1e-13)
            #expect(pi.allSatisfy { $0 > 0 })
        }
    }

    @Test func closedFormBeatsEveryOtherPointOfTheSimplex() async {
        await propertyCheck(count: 50, input: Gen.int(in: 1...30), Gen.int(in: 2...8), Gen.uint64()) { n, k, seed in
            var g = SeededGenerator(seed: seed)
            let c = Self.responsibilities(rows: n, columns: k, using: &g)
            let best = WeightUpdate.closedForm(responsibilities: c)
            let q = WeightUpdate.expectedLogLikelihood(weights: best, responsibilities: c)
            // Random points of the simplex.
            for _ in 0..<20 {
                let other = Self.simplexPoint(k, using: &g)
                #expect(WeightUpdate.expectedLogLikelihood(weights: other, responsibilities: c) < q)
            }
            // Small perturbations along the simplex: πₖ (1 + δ uₖ) with Σₖ πₖ uₖ = 0.
            for _ in 0..<20 {
                let direction = g.gaussians(count: k)
                let mean = zip(best, direction).reduce(0) { $0 + $1.0 * $1.1 }
                let u = direction.map { $0 - mean }
                let delta = 1e-2 / max(u.map(abs).max()!, 1e-300)
                let other = zip(best, u).map { $0 * (1 + delta * $1) }
                let value = WeightUpdate.expectedLogLikelihood(weights: other, responsibilities: c)
                // Q is smooth at the maximum: the drop is second order, N δ² Σₖ πₖ uₖ² / 2,
                // far above rounding.
                #expect(value < q)
            }
        }
    }

    @Test func lagrangianGradientVanishesWithMultiplierN() async {
        await propertyCheck(count: 50, input: Gen.int(in: 1...30), Gen.int(in: 1...8), Gen.uint64()) { n, k, seed in
            var g = SeededGenerator(seed: seed)
            let c = Self.responsibilities(rows: n, columns: k, using: &g)
            let pi = WeightUpdate.closedForm(responsibilities: c)
            let gradient = WeightUpdate.lagrangianGradient(weights: pi, responsibilities: c, multiplier: Double(n))
            // Each term Nₖ/πₖ = N up to rounding.
            #expect(gradient.allSatisfy { abs($0) < 1e-12 * Double(n) })
            // Any other multiplier leaves a gradient of that size.
            let off = WeightUpdate.lagrangianGradient(weights: pi, responsibilities: c, multiplier: Double(n) + 1)
            #expect(off.allSatisfy { abs($0 + 1) < 1e-9 })
        }
    }
}
