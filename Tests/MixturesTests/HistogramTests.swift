import Foundation
import Mixtures
import PropertyBased
import Randomness
import Testing

/// `Histogram` is a normalised count of values per bin.
@Suite struct HistogramLaws {
    @Test func massInsideTheRangeIsTheFractionOfValuesInside() async {
        await propertyCheck(count: 50, input: Gen.int(in: 1...500), Gen.int(in: 1...40), Gen.uint64()) { n, bins, seed in
            var g = SeededGenerator(seed: seed)
            let values = g.gaussians(count: n, standardDeviation: 2)
            let a = -3 * g.nextUniform(), b = 3 * g.nextUniform() + 0.1
            let h = try Histogram(values, bins: bins, range: a...b)
            let inside = values.count { (a...b).contains($0) }
            #expect(h.counts.reduce(0, +) == inside)
            let mass = h.densities.reduce(0, +) * h.binWidth
            #expect(abs(mass - Double(inside) / Double(n)) < 1e-12)
            #expect(h.centres.count == bins)
        }
    }

    @Test func valuesFallInTheirBins() throws {
        // Bins of width 1 over [0, 4]: 0 and 0.99 in bin 0, 1 in bin 1, 3.5 and 4 in bin 3.
        let h = try Histogram([0, 0.99, 1, 3.5, 4, -0.1, 4.1], bins: 4, range: 0...4)
        #expect(h.counts == [2, 1, 0, 2])
        #expect(h.total == 7)
        #expect(h.centres == [0.5, 1.5, 2.5, 3.5])
        #expect(abs(h.densities[0] - 2.0 / 7.0) < 1e-15)
    }

    @Test func approachesTheDensityOfTheSamples() throws {
        // 200,000 standard normals in bins of width 0.25 over [−2, 2]: the count of a bin
        // has relative standard error about 1/√(n p) ≤ 1/√(200,000 · 0.013) ≈ 0.02; the
        // bin average differs from the centre value by about h² f''/24 (relative ≤ 0.01).
        var g = SeededGenerator(seed: 3)
        let h = try Histogram(g.gaussians(count: 200_000), bins: 16, range: -2...2)
        for (x, f) in zip(h.centres, h.densities) {
            let exact = exp(-x * x / 2) / (2 * Double.pi).squareRoot()
            #expect(abs(f - exact) / exact < 0.1)
        }
    }

    @Test func badInputThrows() {
        #expect(throws: MixtureError.self) { try Histogram([1], bins: 0, range: 0...1) }
        #expect(throws: MixtureError.self) { try Histogram([1], bins: 3, range: 1...1) }
        #expect(throws: MixtureError.self) { try Histogram([], bins: 3, range: 0...1) }
        #expect(throws: MixtureError.self) { try Histogram([.nan], bins: 3, range: 0...1) }
        #expect(throws: MixtureError.self) { try Histogram([1], bins: 3, range: 0...Double.infinity) }
    }
}
