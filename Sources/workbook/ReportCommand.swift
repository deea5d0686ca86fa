import ArgumentParser
import Foundation
import Workbook

/// `workbook report`: runs the chapters (full size) and weaves their sources, results and
/// figures into `report/report.md`, and with pandoc installed `report/report.html`.
struct ReportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "report",
        abstract: "Run the chapters and weave them into report/report.md (and report.html with pandoc).",
        discussion: """
            Each chapter's /// comments become prose with its math, its steps' code follows \
            their narrative, then what each step printed, the checks it verified and its \
            figures (linked from report/ to figures/<chapter>/). With --no-run the report is \
            woven from the results.json and PNGs already in figures/ (the repository commits \
            those of a full run). With pandoc on PATH, report.html is written too: standalone, \
            math as MathML, figures embedded, with a table of contents. Run it from the \
            repository root (or give --sources, --figures and --output).
            """
    )

    @Option(parsing: .upToNextOption, help: ArgumentHelp(
        "The chapters to weave (slug, number or chNN-slug; all when not given).", valueName: "chapter"))
    var chapters: [String] = []

    @Flag(help: "Do not run the chapters: weave the results and figures already in --figures.")
    var noRun = false

    @Flag(help: "Run the chapters on a small slice of the data (into figures-quick/ unless --figures is given).")
    var quick = false

    @Option(parsing: .unconditional, help: "The seed the chapters run with (a non-negative integer).")
    var seed: Int = ChapterOptions.defaultSeed

    @Option(help: ArgumentHelp("The directory holding the datasets.", valueName: "dir"))
    var data = "data"

    @Option(name: .customLong("figures"), help: ArgumentHelp(
        "The figures directory (results.json and PNGs per chapter; default: figures, or figures-quick with --quick).",
        valueName: "dir"))
    var figuresOption: String?

    /// `--figures`, else where the chapters write by default (`ChapterOptions.defaultFigures`).
    var figures: String { figuresOption ?? ChapterOptions.defaultFigures(quick: quick) }

    @Option(help: ArgumentHelp("The directory of the chapter sources (<dir>/NN-name/main.swift).", valueName: "dir"))
    var sources = "chapters"

    @Option(help: ArgumentHelp("Where report.md and report.html are written.", valueName: "dir"))
    var output = "report"

    @Option(help: ArgumentHelp(
        "The directory of the chapter executables (default: the directory of this program).",
        valueName: "dir"))
    var binaries: String?

    @Flag(help: "Print the chapter table for the README (links relative to the current directory) and write nothing.")
    var index = false

    func validate() throws {
        do {
            _ = try ChapterCatalog.entries(named: chapters)
        } catch let error as WorkbookError {
            throw ValidationError(error.description)
        }
        guard seed >= 0 else {
            throw ValidationError("--seed must be a non-negative integer, got \(seed).")
        }
        for (name, value) in [("--data", data), ("--figures", figuresOption ?? "."), ("--sources", sources),
                              ("--output", output), ("--binaries", binaries ?? ".")] where value.isEmpty {
            throw ValidationError("\(name) needs a directory, got an empty path.")
        }
        if noRun && quick {
            throw ValidationError("--quick runs the chapters; it cannot go with --no-run.")
        }
    }

    func run() throws {
        let entries = try ChapterCatalog.entries(named: chapters)
        let console = StandardConsole()
        if !noRun && !index {
            try runChapters(entries, console: console)
        }
        let report = try Report.load(
            entries, sources: URL(fileURLWithPath: sources, isDirectory: true),
            figures: URL(fileURLWithPath: figures, isDirectory: true))
        if index {
            console.line(report.index(linkingFrom: URL(fileURLWithPath: ".", isDirectory: true)))
            return
        }
        let pandoc = Pandoc.find()
        let written = try report.write(to: URL(fileURLWithPath: output, isDirectory: true), pandoc: pandoc)
        for warning in written.warnings {
            console.errorLine("warning: \(warning)")
        }
        console.line("══ Report ══")
        console.line("  \(entries.count) chapters woven")
        console.line("  \(written.markdown.relativePath)  \(Self.size(of: written.markdown))")
        if let html = written.html {
            console.line("  \(html.relativePath)  \(Self.size(of: html))")
        } else {
            console.line("  report.html not written: pandoc is not installed "
                + "(`make report` installs it; or `apt-get install pandoc`).")
        }
    }

    /// Runs `entries` as `workbook run` does, full size unless --quick; stops at the first
    /// chapter that fails.
    private func runChapters(_ entries: [ChapterEntry], console: any Console) throws {
        let options = ChapterOptions(quick: quick, seed: seed, data: data, figures: figures)
        let launcher = ChapterLauncher(binariesDirectory: ChapterBinaries.directory(binaries), console: console)
        let outcomes = try launcher.run(entries, arguments: options.arguments)
        launcher.printSummary(outcomes, of: entries)
        if let failure = outcomes.compactMap(\.failure).first {
            throw failure
        }
        console.line()
    }

    private static func size(of url: URL) -> String {
        let bytes = (try? FileManager.default.attributesOfItem(atPath: url.path)[.size] as? Int) ?? 0
        return Format.bytes(bytes)
    }
}
