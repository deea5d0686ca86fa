import Testing
@testable import Figures

/// Ticks of logarithmic axes: every range gets at least three labelled ticks near its data.
@Suite struct LogarithmicAxisTicks {
    @Test(arguments: [(1.0, 25.0), (100.0, 830.0), (0.001, 1000.0), (3.1, 3.9), (2e-7, 5e-7), (1.0, 1e12)])
    func atLeastThreeTicksNearTheRange(low: Double, high: Double) {
        let ticks = LinePlot.logTicks(low: low, high: high)
        #expect(ticks.count >= 3, "\(ticks)")
        #expect(ticks.allSatisfy { $0 >= low / 1.15 && $0 <= high * 1.15 }, "\(ticks)")
        #expect(ticks == ticks.sorted())
    }

    @Test func wideRangesGetPowersOfTenNarrowOnesFinerSteps() {
        #expect(LinePlot.logTicks(low: 0.001, high: 1000) == [0.001, 0.01, 0.1, 1, 10, 100, 1000])
        #expect(LinePlot.logTicks(low: 100, high: 830) == [100, 200, 500])
        #expect(LinePlot.logTicks(low: 100, high: 100) == [100])
        #expect(LinePlot.logTicks(low: 3.1, high: 3.9).map { ($0 * 10).rounded() } == [32, 34, 36, 38])
    }
}
