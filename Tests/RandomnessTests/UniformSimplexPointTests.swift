import Foundation
import Randomness
import Testing

/// `uniformSimplexPoint` draws from the flat Dirichlet distribution.
@Suite struct UniformSimplexPointLaws {
    @Test func pointsLieOnTheSimplex() {
        var g = SeededGenerator(seed: 5)
        for k in 1...12 {
            for _ in 0..<200 {
                let p = g.uniformSimplexPoint(dimension: k)
                #expect(p.count == k)
                #expect(p.allSatisfy { $0 >= 0 })
                #expect(abs(p.reduce(0, +) - 1) < 1e-14)
            }
        }
    }

    @Test func coordinatesHaveTheBetaMarginal() {
        // P(π₁ ≤ t) = 1 − (1 − t)^(K−1). Compared with the empirical CDF at a few t over
        // n draws (binomial standard error √(p(1−p)/n) ≤ 0.5/√n ≈ 2.2e-3 for n = 50,000),
        // allowing five standard errors; and the mean of every coordinate is 1/K.
        var g = SeededGenerator(seed: 9)
        let n = 50_000
        for k in [2, 3, 7] {
            let points = (0..<n).map { _ in g.uniformSimplexPoint(dimension: k) }
            for t in [0.05, 0.2, 0.5, 0.8] {
                let empirical = Double(points.count { $0[0] <= t }) / Double(n)
                let exact = 1 - pow(1 - t, Double(k - 1))
                #expect(abs(empirical - exact) < 5 * 2.3e-3, "K = \(k), t = \(t)")
            }
            for j in 0..<k {
                let mean = points.reduce(0) { $0 + $1[j] } / Double(n)
                // The Beta(1, K−1) standard deviation is below 1/K; its mean's error below 1/(K√n).
                #expect(abs(mean - 1 / Double(k)) < 5 / (Double(k) * Double(n).squareRoot()))
            }
        }
    }

    @Test func sameSeedSamePoints() {
        var a = SeededGenerator(seed: 77), b = SeededGenerator(seed: 77)
        #expect((0..<10).map { _ in a.uniformSimplexPoint(dimension: 4) }
                == (0..<10).map { _ in b.uniformSimplexPoint(dimension: 4) })
    }
}
