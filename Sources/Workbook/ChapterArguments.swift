import ArgumentParser
import Foundation

/// A chapter's whole command line: the shared ``ChapterOptions``, `--record FILE`, and the
/// options the chapter declares itself (`Extra`, ``NoExtraOptions`` when it declares none).
struct ChapterArguments<Extra: ParsableArguments>: ParsableCommand {
    static var configuration: CommandConfiguration {
        CommandConfiguration(commandName: executableName)
    }

    /// The name the program was started as (`ch01-patches`), for the usage line.
    private static var executableName: String {
        CommandLine.arguments.first.map { URL(fileURLWithPath: $0).lastPathComponent } ?? "chapter"
    }

    @OptionGroup var shared: ChapterOptions

    @Option(help: ArgumentHelp(
        "Also write the chapter's results (JSON) to this file.", valueName: "file"))
    var record: String?

    @OptionGroup var extra: Extra

    func validate() throws {
        if let record, record.isEmpty {
            throw ValidationError("--record needs a file name, got an empty path.")
        }
    }
}

/// What a chapter's command line parsed to.
struct ParsedChapterArguments {
    var shared: ChapterOptions
    var record: String?
    var extra: any ParsableArguments
}

/// Parses a chapter's command line for one choice of `Extra`, hiding the generic type so a
/// non-generic ``Chapter`` can hold it.
struct ChapterArgumentParser {
    let parse: ([String]) throws -> ParsedChapterArguments
    let exit: (any Error) -> CommandLineExit

    init<Extra: ParsableArguments>(_ extra: Extra.Type) {
        parse = { arguments in
            let parsed = try ChapterArguments<Extra>.parse(arguments)
            return ParsedChapterArguments(
                shared: parsed.shared, record: parsed.record, extra: parsed.extra)
        }
        exit = { error in CommandLineExit(error: error, command: ChapterArguments<Extra>.self) }
    }
}
