import ArgumentParser

/// The options every chapter takes, and that `workbook run` forwards to each chapter.
///
/// `ch09-denoise --quick --seed 7 --figures /tmp/figs` runs chapter 09 on a small slice
/// of the data with seed 7 and writes its figures to `/tmp/figs/09-denoise/`.
public struct ChapterOptions: ParsableArguments, Sendable {
    @Flag(help: "Pause for Enter after each step (only when standard input is a terminal).")
    public var step = false

    @Flag(help: "Run on a small slice of the data (seconds; the tests use it).")
    public var quick = false

    @Option(parsing: .unconditional, help: "The seed every random stream is derived from (a non-negative integer).")
    public var seed: Int = ChapterOptions.defaultSeed

    @Option(help: ArgumentHelp("The directory holding the datasets.", valueName: "dir"))
    public var data = "data"

    @Option(name: .customLong("figures"), help: ArgumentHelp(
        "The directory of figures; a chapter writes to <dir>/<chapter>/ (default: figures, "
            + "or figures-quick with --quick, so that a quick run never replaces a full run's results).",
        valueName: "dir"))
    var figuresOption: String?

    /// The figures directory: `--figures`, else `defaultFigures(quick:)`.
    public var figures: String { figuresOption ?? Self.defaultFigures(quick: quick) }

    /// Where a chapter writes when `--figures` is not given: `figures` (the full run's
    /// results, committed) or, for a quick run, `figures-quick` (git-ignored).
    public static func defaultFigures(quick: Bool) -> String { quick ? "figures-quick" : "figures" }

    @Flag(help: "Skip the figure steps and do not write results.json.")
    public var noFigures = false

    /// The seed used when `--seed` is not given.
    public static let defaultSeed = 2026

    public init() {}

    /// Builds options in code, as parsing the corresponding flags would. (The plain `init()`
    /// is ArgumentParser's, for parsing only: its values cannot be read.)
    public init(
        step: Bool = false, quick: Bool = false, seed: Int = ChapterOptions.defaultSeed,
        data: String = "data", figures: String? = nil, noFigures: Bool = false
    ) {
        self.step = step
        self.quick = quick
        self.seed = seed
        self.data = data
        self.figuresOption = figures
        self.noFigures = noFigures
    }

    public func validate() throws {
        guard seed >= 0 else {
            throw ValidationError("--seed must be a non-negative integer, got \(seed).")
        }
        guard !data.isEmpty else {
            throw ValidationError("--data needs a directory, got an empty path.")
        }
        guard figuresOption?.isEmpty != true else {
            throw ValidationError("--figures needs a directory, got an empty path.")
        }
    }

    /// The command-line arguments that parse back to these options (what `workbook run`
    /// passes on to each chapter).
    public var arguments: [String] {
        var arguments: [String] = []
        if step { arguments.append("--step") }
        if quick { arguments.append("--quick") }
        arguments += ["--seed", String(seed), "--data", data, "--figures", figures]
        if noFigures { arguments.append("--no-figures") }
        return arguments
    }
}

/// The options of a chapter that adds none of its own.
public struct NoExtraOptions: ParsableArguments, Sendable {
    public init() {}
}
