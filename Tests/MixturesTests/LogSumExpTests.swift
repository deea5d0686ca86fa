import Foundation
import Mixtures
import PropertyBased
import Randomness
import Testing

/// log Σ exp, computed without overflow.
@Suite struct LogSumExpLaws {
    @Test func shiftMovesTheResultByTheShift() async {
        await propertyCheck(count: 100, input: Gen.int(in: 1...20), Gen.uint64()) { n, seed in
            var g = SeededGenerator(seed: seed)
            let a = g.gaussians(count: n, standardDeviation: 10)
            let c = (g.nextUniform() - 0.5) * 4000  // far beyond exp's range
            let shifted = logSumExp(a.map { $0 + c })
            #expect(abs(shifted - (logSumExp(a) + c)) <= 1e-12 * max(1, abs(c)))
        }
    }

    @Test func liesBetweenTheMaximumAndTheMaximumPlusLogN() async {
        await propertyCheck(count: 100, input: Gen.int(in: 1...20), Gen.uint64()) { n, seed in
            var g = SeededGenerator(seed: seed)
            let a = g.gaussians(count: n, standardDeviation: 100)
            let l = logSumExp(a), m = a.max()!
            #expect(l >= m)
            #expect(l <= m + log(Double(n)) + 1e-12 * abs(m))
        }
    }

    @Test func agreesWithTheDirectFormulaInRange() async {
        await propertyCheck(count: 100, input: Gen.int(in: 1...20), Gen.uint64()) { n, seed in
            var g = SeededGenerator(seed: seed)
            let a = g.gaussians(count: n, standardDeviation: 3)
            let direct = log(a.reduce(0) { $0 + exp($1) })
            #expect(abs(logSumExp(a) - direct) <= 1e-13 * max(1, abs(direct)))
        }
    }

    @Test func emptyAndAllMinusInfinityGiveMinusInfinity() {
        #expect(logSumExp([]) == -.infinity)
        #expect(logSumExp([-.infinity, -.infinity]) == -.infinity)
        #expect(logSumExp([-.infinity, 0]) == 0)
    }
}
