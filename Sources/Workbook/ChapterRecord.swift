/// Everything a chapter run found, as written to `results.json` for the report generator.
public struct ChapterRecord: Codable, Equatable, Sendable {
    /// How a chapter run ended.
    public enum Outcome: String, Codable, Sendable {
        /// Every step ran and every check passed.
        case passed
        /// Every step ran, but at least one check failed.
        case checksFailed = "checks-failed"
        /// A step threw; the steps after it did not run.
        case stepFailed = "step-failed"
    }

    public var slug: String
    public var title: String
    public var question: String
    public var seed: UInt64
    public var quick: Bool
    public var steps: [StepRecord]
    public var outcome: Outcome
    /// Wall-clock seconds for the whole chapter.
    public var seconds: Double

    /// The checks of every step, in order.
    public var checks: [CheckRecord] { steps.flatMap(\.checks) }
    public var checksPassed: Int { checks.count(where: \.passed) }
    public var checksFailed: Int { checks.count(where: { !$0.passed }) }
}

/// One step of a chapter run.
public struct StepRecord: Codable, Equatable, Sendable {
    /// How a step ended.
    public enum Status: String, Codable, Sendable {
        /// The step ran to its end (its checks may still have failed).
        case completed
        /// The step threw; ``StepRecord/error`` says why.
        case failed
        /// A figure step skipped because of `--no-figures`.
        case skipped
    }

    /// 1, 2, … in the order of the chapter.
    public var number: Int
    public var title: String
    public var narrative: [String]
    public var results: [ResultRecord]
    public var checks: [CheckRecord]
    public var status: Status
    /// The description of the error the step threw, if it threw.
    public var error: String?
    /// Wall-clock seconds the step took.
    public var seconds: Double
}

/// A labelled result a step reported (`ctx.report("training images", 1000)`).
public struct ResultRecord: Codable, Equatable, Sendable {
    public var label: String
    /// The value as printed, without its unit.
    public var text: String
    /// The value as a number, when it is one.
    public var value: Double?
    public var unit: String?
}

/// A check a step verified (`ctx.check("reassembly is exact", value: e, below: 1e-12)`).
public struct CheckRecord: Codable, Equatable, Sendable {
    public var label: String
    public var passed: Bool
    /// The value found, as printed.
    public var actual: String
    /// What the value had to satisfy, as printed: `"≤ 1e-12"`, `"≥ 25"`, `"= 169"`, `"holds"`.
    public var requirement: String
    /// The value found, when it is a number.
    public var value: Double?
    /// The bound it was compared with, for `below:` and `above:` checks.
    public var bound: Double?
}
