import Foundation
import LinearAlgebra
import Mixtures
import PropertyBased
import Randomness
import TestSupport
import Testing

/// The scale floor of the Gaussian scale mixture: no scale below ρ times the largest, by a
/// generalised EM step (see `ScaleUpdate`).
@Suite struct GSMScaleFloor {
    /// N rows of zero-mean Gaussian data in dimension d, a fraction of them exactly 0 (an
    /// atom, like the blank patches of digits).
    static func zeroHeavy(rows n: Int, dimension d: Int, zeros: Double, using g: inout SeededGenerator) -> Matrix {
        var x = RandomMatrices.gaussian(rows: n, columns: d, scale: 2, using: &g)
        for i in 0..<Int(zeros * Double(n)) { for j in 0..<d { x[i, j] = 0 } }
        return x
    }

    @Test func flooredClosedFormsKeepTheLargestAndHoldTheSmallAtTheFloor() async {
        await propertyCheck(count: 50, input: Gen.int(in: 1...8), Gen.uint64()) { k, seed in
            var g = SeededGenerator(seed: seed)
            let closed = (0..<k).map { _ in exp(20 * (g.nextUniform() - 0.5)) }
            let rho = exp(-12 * g.nextUniform())
            let floored = ScaleUpdate.floored(closedForms: closed, floorRatio: rho)
            #expect(floored.max() == closed.max())
            for c in 0..<k {
                #expect(floored[c] >= rho * floored.max()!)
                #expect(floored[c] == (closed[c] >= rho * closed.max()! ? closed[c] : rho * closed.max()!))
            }
            // Each floored scale maximises its own Qₖ over s ≥ ρ max s*: Qₖ from random
            // responsibilities and Mahalanobis lengths whose closed form is closed[c].
            let d = 1 + g.nextInt(below: 6)
            for c in 0..<k {
                let weights = (0..<5).map { _ in g.nextUniform() + 0.1 }
                let raw = (0..<5).map { _ in g.nextUniform() + 0.1 }
                let unscaled = ScaleUpdate.closedForm(responsibilities: weights, mahalanobis: raw, dimension: d)
                let m = raw.map { $0 * closed[c] / unscaled }
                let q = { (s: Double) in ScaleUpdate.expectedLogLikelihood(scale: s, responsibilities: weights, mahalanobis: m, dimension: d) }
                let best = q(floored[c])
                // Above it, and below it while still feasible (s ≥ ρ max s*). Qₖ itself is
                // checked against densities of samples in `GSMScaleUpdate`.
                for factor in [1.0001, 1.5, 10, 1e4] {
                    #expect(q(floored[c] * factor) <= best + 1e-12 * abs(best))
                    let lower = floored[c] / factor
                    if lower >= rho * floored.max()! {
                        #expect(q(lower) <= best + 1e-12 * abs(best))
                    }
                }
            }
            // ρ = 0 is the closed form.
            #expect(ScaleUpdate.floored(closedForms: closed, floorRatio: 0) == closed)
        }
    }

    /// One EM iteration equals the floored ECM step computed naively: π, the scales with
    /// the old Σ held at the floor (or kept, if that lowers Q), Σ with them, normalised.
    @Test func oneIterationIsTheNaiveFlooredStep() async {
        await propertyCheck(count: 25, input: Gen.int(in: 2...4), Gen.int(in: 1...4), Gen.uint64()) { k, d, seed in
            var g = SeededGenerator(seed: seed)
            let x = Self.zeroHeavy(rows: 30 * d + 40, dimension: d, zeros: 0.3, using: &g)
            let raw = (0..<k).map { _ in 1 + g.nextUniform() }
            // The smallest start scale lies near the floor, so that the floor binds.
            let rho = 0.05
            var startScales = (0..<k).map { _ in exp(g.nextUniform()) }
            startScales[0] = rho * startScales.max()! * (1 + g.nextUniform())
            let start = try GaussianScaleMixture(
                weights: raw.map { $0 / raw.reduce(0, +) }, scales: startScales,
                covariance: RandomMatrices.spd(d, ridge: 0.3, using: &g))
            let next = try GaussianScaleMixture.fit(
                x, components: k, initialization: .parameters(start),
                options: EMOptions(maxIterations: 1, tolerance: 0, regularization: .absolute(0), scaleFloor: rho))
            let r = try start.responsibilities(x)
            let m = try start.mahalanobisForms(x)
            let n = x.rows
            let totals = (0..<k).map { c in (0..<n).reduce(0) { $0 + r[$1, c] } }
            let weights = totals.map { $0 / Double(n) }
            let closed = (0..<k).map { c in
                ScaleUpdate.closedForm(responsibilities: (0..<n).map { r[$0, c] }, mahalanobis: m, dimension: d)
            }
            let top = closed.max()!
            let candidate = closed.map { max($0, rho * top) }
            func q(_ s: [Double]) -> Double {
                (0..<k).reduce(0) { sum, c in
                    sum + ScaleUpdate.expectedLogLikelihood(scale: s[c], responsibilities: (0..<n).map { r[$0, c] },
                                                            mahalanobis: m, dimension: d)
                }
            }
            let scales = q(candidate) >= q(startScales) ? candidate : startScales
            var sigma = Matrix(rows: d, columns: d)
            for i in 0..<n {
                let w = (0..<k).reduce(0) { $0 + r[i, $1] / scales[$1] } / Double(n)
                for a in 0..<d { for b in 0..<d { sigma[a, b] += w * x[i, a] * x[i, b] } }
            }
            let s = zip(weights, scales).reduce(0) { $0 + $1.0 * $1.1 }
            #expect(Fixtures.relativeError(next.model.scales, scales.map { $0 / s }) < 1e-10)
            #expect(Tolerance.relativeError(next.model.covariance, sigma.scaled(by: s)) < 1e-10)
            #expect(next.model.scales.min()! >= rho * next.model.scales.max()! * (1 - 1e-12))
            let held = candidate.indices.filter { candidate[$0] > closed[$0] }
            #expect(next.events == (held.isEmpty ? [] : [.scalesFloored(iteration: 1, components: held)]))
        }
    }

    /// Zero-heavy data: without the floor a scale collapses onto the atom (or EM fails on a
    /// singular covariance); with it EM runs to convergence, the floor holds after every
    /// iteration, ℓ never decreases, and the floor is reported as an event.
    @Test func zeroHeavyDataFitCompletesWithTheFloor() async {
        await propertyCheck(count: 10, input: Gen.int(in: 2...4), Gen.int(in: 2...4), Gen.uint64()) { k, d, seed in
            var g = SeededGenerator(seed: seed)
            let x = Self.zeroHeavy(rows: 60 * d + 100, dimension: d, zeros: 0.2 + 0.3 * g.nextUniform(), using: &g)
            let unfloored = EMOptions(maxIterations: 150, tolerance: 0, regularization: .absolute(0), scaleFloor: 0)
            do {
                let collapsed = try GaussianScaleMixture.fit(x, components: k, options: unfloored).model
                #expect(collapsed.scales.min()! / collapsed.scales.max()! < 1e-8, "no collapse without the floor")
            } catch MixtureError.singularCovariance {
                // The collapse ended in a singular covariance.
            }
            let rho = 1e-3
            var options = EMOptions(maxIterations: 1, tolerance: 0, regularization: .absolute(0), scaleFloor: rho)
            var model = try GaussianScaleMixture.fit(x, components: k, options: EMOptions(maxIterations: 0)).model
            var trace: [Double] = [], events: [FitEvent] = []
            for _ in 0..<40 {
                let step = try GaussianScaleMixture.fit(x, components: k, initialization: .parameters(model), options: options)
                if trace.isEmpty { trace.append(step.meanLogLikelihoods[0]) }
                trace.append(step.meanLogLikelihoods[1])
                events += step.events
                model = step.model
                #expect(model.scales.min()! >= rho * model.scales.max()! * (1 - 1e-12))
            }
            for t in 1..<trace.count {
                #expect(trace[t] >= trace[t - 1] - 1e-10 * abs(trace[t - 1]), "ℓ fell at iteration \(t): \(trace)")
            }
            #expect(events.contains { if case .scalesFloored = $0 { return true } else { return false } })
            // Bounded: EM converges.
            options.maxIterations = 2000
            options.tolerance = 1e-9
            let fit = try GaussianScaleMixture.fit(x, components: k, initialization: .parameters(model), options: options)
            #expect(fit.converged)
            #expect(fit.model.scales.min()! >= rho * fit.model.scales.max()! * (1 - 1e-12))
        }
    }
}
