import Foundation
import LinearAlgebra
import Mixtures
import PropertyBased
import Randomness
import TestSupport
import Testing

/// Data sampled from a known, well-separated mixture is fitted back.
@Suite struct Recovery {
    /// The permutation matching each true component to the fitted component with the nearest mean.
    static func matching(_ truth: KnownMixture, _ fitted: GaussianMixture) -> [Int] {
        (0..<truth.components).map { k in
            (0..<fitted.componentCount).min { a, b in
                distance(fitted.means.row(a), truth.means[k]) < distance(fitted.means.row(b), truth.means[k])
            }!
        }
    }

    static func distance(_ a: [Double], _ b: [Double]) -> Double {
        zip(a, b).reduce(0) { $0 + ($1.0 - $1.1) * ($1.0 - $1.1) }.squareRoot()
    }

    @Test func wellSeparatedMixtureIsRecovered() async {
        await propertyCheck(count: 8, input: Gen.int(in: 1...4), Gen.int(in: 1...4), Gen.uint64()) { k, d, seed in
            var g = SeededGenerator(seed: seed)
            // Means 40 apart per coordinate on average, covariances with eigenvalues in [0.3, 4.3].
            var truth = KnownMixture.random(components: k, dimension: d, separation: 40, using: &g)
            while (0..<k).contains(where: { a in (0..<k).contains { b in a != b && Self.distance(truth.means[a], truth.means[b]) < 20 } }) {
                truth = KnownMixture.random(components: k, dimension: d, separation: 40, using: &g)
            }
            let n = 3000
            let (x, _) = truth.sampleCovering(count: n, minimum: 300, using: &g)
            let fit = try GaussianMixture.fit(
                x, components: k, options: EMOptions(maxIterations: 200, tolerance: 1e-10, restarts: 3, seed: seed))
            #expect(fit.converged)
            let match = Self.matching(truth, fit.model)
            #expect(Set(match).count == k, "two true components matched the same fitted one")
            for c in 0..<k {
                let m = match[c]
                // Sampling error: weights ~ √(π(1−π)/N) ≤ 0.01, means ~ √(λ/Nₖ) ≤ 0.12; a
                // covariance entry's standard error is √((Σ_aa Σ_bb + Σ_ab²)/Nₖ) (Gaussian data),
                // and each entry must lie within 5 of them.
                #expect(abs(fit.model.weights[m] - truth.weights[c]) < 0.04)
                #expect(Self.distance(fit.model.means.row(m), truth.means[c]) < 0.5 * Double(d).squareRoot())
                let fitted = fit.model.covariance(m), sigma = truth.covariances[c]
                let count = fit.model.weights[m] * Double(n)
                for a in 0..<d {
                    for b in 0..<d {
                        let standardError = ((sigma[a, a] * sigma[b, b] + sigma[a, b] * sigma[a, b]) / count).squareRoot()
                        #expect(abs(fitted[a, b] - sigma[a, b]) < 5 * standardError,
                                "Σ[\(a), \(b)] = \(fitted[a, b]) against \(sigma[a, b]) ± \(standardError)")
                    }
                }
            }
        }
    }

    @Test func isotropicAndDiagonalTruthsAreRecovered() throws {
        var g = SeededGenerator(seed: 5)
        let truth = KnownMixture(
            weights: [0.3, 0.7], means: [[0, 0, 0], [10, -10, 10]],
            covariances: [.diagonal([1, 1, 1]), .diagonal([0.5, 2, 1])])
        let (x, _) = truth.sample(count: 4000, using: &g)
        let iso = try GaussianMixture.fit(x, components: 2, covariance: .isotropic).model
        let diag = try GaussianMixture.fit(x, components: 2, covariance: .diagonal).model
        for model in [iso, diag] {
            let first = Self.distance(model.means.row(0), [0, 0, 0]) < 1 ? 0 : 1
            #expect(abs(model.weights[first] - 0.3) < 0.03)
            #expect(Self.distance(model.means.row(first), [0, 0, 0]) < 0.2)
            #expect(Self.distance(model.means.row(1 - first), [10, -10, 10]) < 0.2)
        }
        let firstIso = Self.distance(iso.means.row(0), [0, 0, 0]) < 1 ? 0 : 1
        #expect(abs(iso.covariance(firstIso)[0, 0] - 1) < 0.1)
        let firstDiag = Self.distance(diag.means.row(0), [0, 0, 0]) < 1 ? 0 : 1
        let variances = diag.covariance(1 - firstDiag).diagonalEntries
        #expect(Fixtures.relativeError(variances, [0.5, 2, 1]) < 0.1)
    }
}
