import Testing
import Workbook

/// Each kind of check passes exactly when its condition holds, boundaries included.
@Suite struct CheckSemantics {
    /// Runs one step with `body` and returns the single check it recorded.
    func check(_ body: @escaping (StepContext) -> Void) throws -> CheckRecord {
        let chapter = Chapter("00-check", title: "Check", question: "Q")
        chapter.step("Check", body)
        let (run, _) = runCapturing(chapter, ["--no-figures"])
        return try #require(run.record?.checks.first)
    }

    @Test(arguments: [
        (0.5, 1.0, true), (1.0, 1.0, true), (1.5, 1.0, false), (-2.0, 0.0, true),
        (Double.nan, 1.0, false), (Double.infinity, 1e300, false), (0, 0, true),
    ])
    func belowPassesWhenTheValueIsAtMostTheTolerance(value: Double, tolerance: Double, passes: Bool) throws {
        #expect(try check { $0.check("c", value: value, below: tolerance) }.passed == passes)
    }

    @Test(arguments: [
        (31.2, 25.0, true), (25.0, 25.0, true), (24.9, 25.0, false), (Double.nan, 0.0, false),
    ])
    func abovePassesWhenTheValueIsAtLeastTheBound(value: Double, bound: Double, passes: Bool) throws {
        let record = try check { $0.check("c", value: value, above: bound) }
        #expect(record.passed == passes)
        #expect(record.requirement.hasPrefix("≥ "))
    }

    @Test func equalsComparesValuesOfAnyEquatableType() throws {
        #expect(try check { $0.check("c", equals: 169, actual: 169) }.passed)
        #expect(try !check { $0.check("c", equals: 169, actual: 170) }.passed)
        #expect(try check { $0.check("c", equals: "gray", actual: "gray") }.passed)
        #expect(try !check { $0.check("c", equals: [1, 2], actual: [2, 1]) }.passed)
        let real = try check { $0.check("c", equals: 0.25, actual: 0.25) }
        #expect(real.value == 0.25 && real.requirement == "= 0.25")
        #expect(try check { $0.check("c", equals: "a", actual: "a") }.value == nil)
    }

    @Test func holdsRecordsTheConditionAndItsDetail() throws {
        let failed = try check { $0.check("monotone", holds: false) }
        #expect(!failed.passed && failed.actual == "false")
        let passed = try check { $0.check("monotone", holds: true, detail: "40 iterations") }
        #expect(passed.passed && passed.actual == "40 iterations")
    }
}
