import ArgumentParser
import Foundation
import Workbook

/// `workbook run [CHAPTER...]`: runs chapter executables in order, forwarding the shared
/// options, and stops at the first that fails.
struct RunCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "Run chapters (all of them when none is named), in order.",
        discussion: """
            A chapter is named by its slug (01-patches), its number (01 or 1), or its \
            executable's name (ch01-patches). Each chapter runs as its own executable from \
            --binaries; build them first with `swift build -c release`.
            """
    )

    @Argument(help: "The chapters to run (all when none is given).")
    var chapters: [String] = []

    @OptionGroup var options: ChapterOptions

    @Option(help: ArgumentHelp(
        "The directory of the chapter executables (default: the directory of this program).",
        valueName: "dir"))
    var binaries: String?

    func validate() throws {
        do {
            _ = try ChapterCatalog.entries(named: chapters)
        } catch let error as WorkbookError {
            throw ValidationError(error.description)
        }
        if let binaries, binaries.isEmpty {
            throw ValidationError("--binaries needs a directory, got an empty path.")
        }
    }

    func run() throws {
        let entries = try ChapterCatalog.entries(named: chapters)
        let console = StandardConsole()
        let launcher = ChapterLauncher(binariesDirectory: ChapterBinaries.directory(binaries), console: console)
        let outcomes = try launcher.run(entries, arguments: options.arguments)
        launcher.printSummary(outcomes, of: entries)
        if let failure = outcomes.compactMap(\.failure).first {
            throw failure
        }
    }
}
