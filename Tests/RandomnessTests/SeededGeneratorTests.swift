import Testing
import Randomness

@Suite struct SeededGeneratorLaws {
    @Test func sameSeedSameSequence() {
        var a = SeededGenerator(seed: 42)
        var b = SeededGenerator(seed: 42)
        var c = SeededGenerator(seed: 43)
        let xs = (0..<100).map { _ in a.next() }
        #expect(xs == (0..<100).map { _ in b.next() })
        #expect(xs != (0..<100).map { _ in c.next() })
    }

    @Test func uniformInUnitInterval() {
        var g = SeededGenerator(seed: 7)
        let us = (0..<100_000).map { _ in g.nextUniform() }
        #expect(us.allSatisfy { $0 >= 0 && $0 < 1 })
        let mean = us.reduce(0, +) / Double(us.count)
        // Standard error of the mean of U(0,1) over 1e5 draws: sqrt(1/12/1e5) ≈ 9e-4.
        #expect(abs(mean - 0.5) < 5 * 9.2e-4)
    }

    @Test func gaussianHasUnitMoments() {
        var g = SeededGenerator(seed: 11)
        let n = 200_000
        let zs = (0..<n).map { _ in g.nextGaussian() }
        let mean = zs.reduce(0, +) / Double(n)
        let variance = zs.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / Double(n - 1)
        let fourth = zs.map { $0 * $0 * $0 * $0 }.reduce(0, +) / Double(n)
        // Standard errors: mean 1/sqrt(n) ≈ 2.2e-3; variance sqrt(2/n) ≈ 3.2e-3;
        // fourth moment (= 3 for a normal) sqrt(96/n) ≈ 2.2e-2. Five standard errors each.
        #expect(abs(mean) < 5 * 2.3e-3)
        #expect(abs(variance - 1) < 5 * 3.2e-3)
        #expect(abs(fourth - 3) < 5 * 2.2e-2)
    }

    @Test func sampleIndicesAreDistinctSortedAndInRange() {
        var g = SeededGenerator(seed: 3)
        let picked = g.sampleIndices(50, from: 120)
        #expect(picked.count == 50)
        #expect(Set(picked).count == 50)
        #expect(picked == picked.sorted())
        #expect(picked.allSatisfy { (0..<120).contains($0) })
    }
}
