import ArgumentParser
import Foundation

/// A chapter of the workbook: a titled sequence of steps that run in order, each printing
/// what it found and verifying its checks.
///
/// A chapter's `main.swift` opens with a doc comment (the question, the derivation), then
/// declares its steps and runs them:
///
/// ```swift
/// import Imaging
/// import Workbook
///
/// let chapter = Chapter("01-patches", title: "Patches of MNIST digits",
///                       question: "Simulation question 1")
/// var digits: [Image] = []   // what one step hands to the next
///
/// chapter.step("Load the digits") { ctx in
///     digits = try Datasets.mnistTraining(in: ctx.dataDirectory, count: ctx.choose(full: 1000, quick: 100))
///     ctx.report("training images", digits.count)
/// }
/// chapter.step("Reassemble by averaging") { ctx in
///     ctx.check("reassembly is exact", value: maxError, below: 1e-12)
/// }
/// chapter.figure("Draw the patch mosaic") { ctx in ... }   // skipped under --no-figures
/// chapter.run()
/// ```
///
/// Behaviour of ``run()``:
/// - parses the shared options (``ChapterOptions``), `--record FILE`, and the chapter's own
///   options if it declared some; a usage error prints the usage and exits 2, `--help`
///   prints the help and exits 0;
/// - runs the steps in order. A failed check does not stop the chapter: the remaining steps
///   still run (later checks are still informative), and the chapter exits 1 at the end.
///   A step that throws stops the chapter: its error is printed, the later steps do not
///   run (they usually need what it would have made), and the chapter exits 1;
/// - with `--step` on a terminal, waits for Enter between steps;
/// - prints a summary (steps run, checks passed and failed, total time);
/// - writes the record of the run (``ChapterRecord``) as JSON to
///   `<figures>/<slug>/results.json` (unless `--no-figures`) and to `--record FILE` if
///   given; a file that cannot be written is an error (exit 1). A run stopped by a step
///   that threw (bad data, say) does not replace `results.json`: the figures beside it
///   are those of an earlier run, and its record stays with them (`--record` still gets
///   the failed run's record).
public final class Chapter {
    /// `01-patches`: the chapter's folder under `chapters/`; the executable is `ch<slug>`.
    public let slug: String
    public let title: String
    /// The study question the chapter answers (`Simulation question 1`).
    public let question: String
    private let parser: ChapterArgumentParser
    private(set) var steps: [Step] = []

    struct Step {
        var title: String
        var isFigure: Bool
        var body: (StepContext) throws -> Void
    }

    /// A chapter with only the shared options.
    public convenience init(_ slug: String, title: String, question: String) {
        self.init(slug, title: title, question: question, options: NoExtraOptions.self)
    }

    /// A chapter with options of its own besides the shared ones (`--components K`, …);
    /// steps read them with `ctx.extraOptions(Extra.self)`.
    public init<Extra: ParsableArguments>(
        _ slug: String, title: String, question: String, options: Extra.Type
    ) {
        self.slug = slug
        self.title = title
        self.question = question
        parser = ChapterArgumentParser(options)
    }

    /// Adds a step. Steps run in the order they are added.
    public func step(_ title: String, _ body: @escaping (StepContext) throws -> Void) {
        steps.append(Step(title: title, isFigure: false, body: body))
    }

    /// Adds a step that draws figures; it is skipped under `--no-figures`.
    public func figure(_ title: String, _ body: @escaping (StepContext) throws -> Void) {
        steps.append(Step(title: title, isFigure: true, body: body))
    }

    /// Runs the chapter with the process's command line on the terminal, and exits with
    /// its status (0 passed, 1 a check failed or a step threw, 2 bad usage).
    public func run() -> Never {
        let result = run(arguments: Array(CommandLine.arguments.dropFirst()), console: StandardConsole())
        exit(result.status)
    }

    /// Runs the chapter with `arguments` (without the program name), writing to `console`.
    /// Returns the exit status and, unless the command line was rejected, the record.
    public func run(arguments: [String], console: any Console) -> ChapterRun {
        let parsed: ParsedChapterArguments
        do {
            parsed = try parser.parse(arguments)
        } catch {
            let exit = parser.exit(error)
            if !exit.isError {
                console.line("\(Layout.chapterHeading(slug: slug, title: title))\n\(question)\n")
            }
            exit.print(on: console)
            return ChapterRun(status: exit.status, record: nil)
        }
        return execute(parsed, console: console)
    }

    /// The figures directory of chapter `slug` under the figures root `figures`.
    static func figuresDirectory(figures: String, slug: String) -> URL {
        URL(fileURLWithPath: figures, isDirectory: true)
            .appendingPathComponent(slug, isDirectory: true)
    }
}

/// How a chapter run ended: its exit status and what it found.
public struct ChapterRun: Sendable {
    /// 0 passed, 1 a check failed or a step threw (or the results file could not be
    /// written), 2 bad usage.
    public let status: Int32
    /// The record of the run; nil when the command line was rejected (or was `--help`).
    public let record: ChapterRecord?
}
