import ArgumentParser
import Foundation

/// What a step's closure receives: the chapter's options and directories, and the ways to
/// say what the step found (narrative, labelled results, verified checks, progress lines).
///
/// ```swift
/// chapter.step("Load the digits") { ctx in
///     let count = ctx.choose(full: 1000, quick: 100)
///     ctx.narrate("The first \(count) training digits, scaled to [0, 255].")
///     ctx.report("training images", count)
///     ctx.check("patch count", equals: 169, actual: patches.count)
/// }
/// ```
public final class StepContext {
    /// The shared options the chapter was started with.
    public let options: ChapterOptions
    /// The chapter's slug (`01-patches`).
    public let chapterSlug: String
    /// The step's number, from 1.
    public let stepNumber: Int
    private let extraOptions: any ParsableArguments
    private let console: any Console
    private let stopwatch = Stopwatch()
    private(set) var record: StepRecord

    init(
        chapterSlug: String, stepNumber: Int, title: String, options: ChapterOptions,
        extraOptions: any ParsableArguments, console: any Console
    ) {
        self.chapterSlug = chapterSlug
        self.stepNumber = stepNumber
        self.options = options
        self.extraOptions = extraOptions
        self.console = console
        record = StepRecord(
            number: stepNumber, title: title, narrative: [], results: [], checks: [],
            status: .completed, error: nil, seconds: 0)
    }

    // MARK: Options and places

    /// The base seed (`--seed`, 2026 by default).
    public var seed: UInt64 { UInt64(options.seed) }

    /// The seed of the random stream `name`, derived from ``seed`` (see ``StreamSeed``):
    /// `var noise = SeededGenerator(seed: ctx.seed(for: "noise"))`.
    public func seed(for name: String) -> UInt64 {
        StreamSeed.derive(base: seed, stream: name)
    }

    /// Whether the chapter runs on a small slice of the data (`--quick`).
    public var isQuick: Bool { options.quick }

    /// `full` normally, `quick` under `--quick`: `ctx.choose(full: 1000, quick: 100)`.
    public func choose<Value>(full: Value, quick: Value) -> Value {
        options.quick ? quick : full
    }

    /// The datasets directory (`--data`, `data` by default).
    public var dataDirectory: URL {
        URL(fileURLWithPath: options.data, isDirectory: true)
    }

    /// This chapter's figures directory: `<--figures>/<slug>/` (`figures/01-patches/`).
    /// It is not created here; whatever writes a figure creates it.
    public var figuresDirectory: URL {
        Chapter.figuresDirectory(figures: options.figures, slug: chapterSlug)
    }

    /// Whether figures are wanted (false under `--no-figures`).
    public var figuresEnabled: Bool { !options.noFigures }

    /// The chapter's own options, for a chapter created with `Chapter(..., options: T.self)`.
    public func extraOptions<T: ParsableArguments>(_ type: T.Type) -> T {
        guard let extra = extraOptions as? T else {
            preconditionFailure(
                "the chapter declared options \(Swift.type(of: extraOptions)), not \(T.self)")
        }
        return extra
    }

    // MARK: Saying what the step found

    /// Prints narrative text under the step's heading (and records it for the report).
    public func narrate(_ text: String) {
        record.narrative.append(text)
        console.line(Layout.narrative(text))
    }

    /// Reports a labelled whole number: `ctx.report("training images", 1000)`.
    public func report(_ label: String, _ value: Int, unit: String? = nil) {
        addResult(label, text: String(value), value: Double(value), unit: unit)
    }

    /// Reports a labelled real number to `digits` significant digits:
    /// `ctx.report("memory", 42.1, unit: "MiB")`.
    public func report(_ label: String, _ value: Double, unit: String? = nil, digits: Int = 6) {
        addResult(label, text: Format.significant(value, digits: digits), value: value, unit: unit)
    }

    /// Reports a labelled text: `ctx.report("best K", "12 (by BIC)")`.
    public func report(_ label: String, _ text: String) {
        addResult(label, text: text, value: nil, unit: nil)
    }

    private func addResult(_ label: String, text: String, value: Double?, unit: String?) {
        record.results.append(ResultRecord(label: label, text: text, value: value, unit: unit))
        console.line(Layout.result(label, unit.map { "\(text) \($0)" } ?? text))
    }

    /// Prints a progress line at once, with the seconds since the step began:
    /// `ctx.progress("iter 12  mean log-lik -123.456  Δ 1.2e-4")` prints
    /// `"  · iter 12  mean log-lik -123.456  Δ 1.2e-4  [3.1 s]"`. Progress is not recorded.
    public func progress(_ message: String) {
        console.line("  · \(message)  [\(Format.seconds(stopwatch.elapsed))]")
    }

    /// Seconds since the step began.
    public var elapsed: Double { stopwatch.elapsed }

    /// Runs `body` and returns the seconds it took.
    public func measure(_ body: () throws -> Void) rethrows -> Double {
        try Stopwatch.measure(body)
    }

    /// Runs `body` and returns its value with the seconds it took.
    public func timed<Value>(_ body: () throws -> Value) rethrows -> (value: Value, seconds: Double) {
        try Stopwatch.timed(body)
    }

    // MARK: Used by the chapter

    func addCheck(_ check: CheckRecord) {
        record.checks.append(check)
        console.line(Layout.check(check))
    }

    func finish(error: (any Error)?) {
        record.seconds = stopwatch.elapsed
        if let error {
            record.status = .failed
            record.error = String(describing: error)
        }
    }
}
