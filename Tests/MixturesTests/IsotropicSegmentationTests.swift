import Foundation
import LinearAlgebra
import Mixtures
import PropertyBased
import Randomness
import TestSupport
import Testing

/// The isotropic M-step maximises its part of the EM objective, and the quantisation of a
/// fitted mixture maps every sample to the mean of its most probable component.
@Suite struct IsotropicSegmentation {
    static func data(rows n: Int, columns d: Int, using g: inout SeededGenerator) -> (Matrix, [Double]) {
        var x = Matrix(rows: n, columns: d)
        for i in 0..<n { for j in 0..<d { x[i, j] = 3 * g.nextGaussian() + Double(j) } }
        return (x, (0..<n).map { _ in 0.05 + g.nextUniform() })
    }

    @Test func closedFormIsAStationaryMaximum() async throws {
        await propertyCheck(count: 40, input: Gen.int(in: 2...40), Gen.int(in: 1...5), Gen.uint64()) { n, d, seed in
            var g = SeededGenerator(seed: seed)
            let (x, c) = Self.data(rows: n, columns: d, using: &g)
            let q = try! IsotropicComponentObjective(x: x, responsibilities: c)
            let (mu, v) = q.maximizer
            let best = q.value(mean: mu, variance: v)
            let scale = abs(best) + c.reduce(0, +)
            let grad = q.gradient(mean: mu, variance: v)
            #expect(abs(grad.variance) * v < 1e-10 * scale)
            #expect(grad.mean.allSatisfy { abs($0) * sqrt(v) < 1e-10 * scale })
            for _ in 0..<5 {
                let other = mu.map { $0 + g.nextGaussian() }
                let otherV = v * exp(g.nextGaussian())
                #expect(q.value(mean: other, variance: otherV) <= best)
            }
        }
    }

    @Test func gradientMatchesFiniteDifferences() async throws {
        await propertyCheck(count: 30, input: Gen.int(in: 2...30), Gen.int(in: 1...4), Gen.uint64()) { n, d, seed in
            var g = SeededGenerator(seed: seed)
            let (x, c) = Self.data(rows: n, columns: d, using: &g)
            let q = try! IsotropicComponentObjective(x: x, responsibilities: c)
            let mu = (0..<d).map { _ in g.nextGaussian() }
            let v = 1 + 5 * g.nextUniform()
            let grad = q.gradient(mean: mu, variance: v)
            let h = 1e-5
            let numeric = (q.value(mean: mu, variance: v + h) - q.value(mean: mu, variance: v - h)) / (2 * h)
            #expect(abs(numeric - grad.variance) < 1e-5 * (abs(grad.variance) + 1))
            var up = mu; up[0] += h
            var down = mu; down[0] -= h
            let numericMean = (q.value(mean: up, variance: v) - q.value(mean: down, variance: v)) / (2 * h)
            #expect(abs(numericMean - grad.mean[0]) < 1e-5 * (abs(grad.mean[0]) + 1))
        }
    }

    /// Q is the responsibility-weighted log-density of the samples under N(μ, σ² I), each
    /// density computed naively with its covariance matrix (a wrong D or a missing 2π fails).
    @Test func valueIsTheWeightedLogDensity() async throws {
        await propertyCheck(count: 30, input: Gen.int(in: 1...20), Gen.int(in: 1...5), Gen.uint64()) { n, d, seed in
            var g = SeededGenerator(seed: seed)
            let (x, c) = Self.data(rows: n, columns: d, using: &g)
            let q = try! IsotropicComponentObjective(x: x, responsibilities: c)
            let mu = (0..<d).map { _ in 2 * g.nextGaussian() }
            let v = 0.2 + 5 * g.nextUniform()
            let covariance = Matrix.identity(d).scaled(by: v)
            var naive = 0.0
            for i in 0..<n { naive += c[i] * NaiveDensity.logGaussian(x.row(i), mean: mu, covariance: covariance) }
            let value = q.value(mean: mu, variance: v)
            #expect(abs(value - naive) <= 1e-11 * (abs(naive) + 1), "Q = \(value), naive \(naive)")
        }
    }

    @Test func badResponsibilitiesThrow() {
        let x = Matrix(rows: 3, columns: 2)
        #expect(throws: MixtureError.self) { try IsotropicComponentObjective(x: x, responsibilities: [1, 1]) }
        #expect(throws: MixtureError.self) { try IsotropicComponentObjective(x: x, responsibilities: [0, 0, 0]) }
        #expect(throws: MixtureError.self) { try IsotropicComponentObjective(x: x, responsibilities: [1, -1, 0]) }
    }

    @Test func quantisationUsesTheMostProbableComponent() async throws {
        await propertyCheck(count: 20, input: Gen.int(in: 1...40), Gen.int(in: 1...5), Gen.uint64()) { n, k, seed in
            var g = SeededGenerator(seed: seed)
            let model = try! Fixtures.mixture(.isotropic, components: k, dimension: 3, using: &g)
            let (x, _) = Self.data(rows: n, columns: 3, using: &g)
            let c = try! model.responsibilities(x)
            let (values, labels) = try! model.quantized(x)
            var error = 0.0
            for i in 0..<n {
                let row = c.row(i)
                #expect(row[labels[i]] == row.max()!)
                #expect(values.row(i) == model.means.row(labels[i]))
                error += zip(x.row(i), values.row(i)).reduce(0) { $0 + ($1.0 - $1.1) * ($1.0 - $1.1) }
            }
            let e = try! model.quantizationError(x)
            #expect(abs(e - error / Double(n)) <= 1e-12 * (error / Double(n) + 1))
        }
    }
}
