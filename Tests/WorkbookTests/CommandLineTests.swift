import ArgumentParser
import Testing
import Workbook

/// The shared options survive being forwarded by `workbook run`.
@Suite struct SharedOptions {
    @Test(arguments: [
        ChapterOptions(step: false),
        ChapterOptions(step: true, quick: true, seed: 7, data: "/d", figures: "/f", noFigures: true),
        ChapterOptions(quick: true, seed: 0, data: "my data", figures: "figs"),
    ])
    func forwardedArgumentsParseBackToTheSameOptions(options: ChapterOptions) throws {
        let parsed = try ChapterOptions.parse(options.arguments)
        #expect(parsed.step == options.step)
        #expect(parsed.quick == options.quick)
        #expect(parsed.seed == options.seed)
        #expect(parsed.data == options.data)
        #expect(parsed.figures == options.figures)
        #expect(parsed.noFigures == options.noFigures)
    }

    /// A quick run writes to figures-quick/ unless told otherwise, so that it never
    /// replaces the committed results of a full run (nor the priors cached next to them).
    @Test func aQuickRunHasItsOwnFiguresDirectory() throws {
        #expect(try ChapterOptions.parse([]).figures == "figures")
        #expect(try ChapterOptions.parse(["--quick"]).figures == "figures-quick")
        #expect(try ChapterOptions.parse(["--quick", "--figures", "figures"]).figures == "figures")
        #expect(try ChapterOptions.parse(["--figures", "f"]).figures == "f")
        #expect(throws: (any Error).self) { try ChapterOptions.parse(["--figures", ""]) }
    }
}

/// Usage errors exit 2 (not ArgumentParser's 64), help 0, other errors 1.
@Suite struct ExitStatuses {
    struct Command: ParsableCommand {
        @Option var count = 1
        func validate() throws {
            guard count > 0 else { throw ValidationError("--count must be positive.") }
        }
    }

    struct Broken: Error, CustomStringConvertible {
        var description: String { "the data file is missing" }
    }

    /// How parsing `arguments` ends (nil if it succeeds).
    func ending(_ arguments: [String]) -> CommandLineExit? {
        do {
            _ = try Command.parse(arguments)
            return nil
        } catch {
            return CommandLineExit(error: error, command: Command.self)
        }
    }

    @Test func aValidationErrorIsAUsageError() throws {
        let exit = try #require(ending(["--count", "0"]))
        #expect(exit.status == ExitStatus.usage && exit.isError)
        #expect(exit.message.contains("--count must be positive."))
    }

    @Test func anUnknownOptionIsAUsageError() throws {
        #expect(try #require(ending(["--nope"])).status == 2)
        #expect(try #require(ending(["--count", "x"])).status == 2)
    }

    @Test func helpExitsZeroOnStandardOutput() throws {
        let exit = try #require(ending(["--help"]))
        #expect(exit.status == 0 && !exit.isError && exit.message.contains("--count"))
    }

    @Test func validArgumentsDoNotEnd() {
        #expect(ending(["--count", "3"]) == nil)
    }

    @Test func aRuntimeErrorExitsOneWithItsDescription() {
        let exit = CommandLineExit(error: Broken(), command: Command.self)
        #expect(exit.status == ExitStatus.failure)
        #expect(exit.message.contains("the data file is missing"))
    }
}

/// `help` on a subcommand that does not exist is a usage error naming it, not the root's
/// help with status 0 (ArgumentParser's own behaviour).
@Suite struct HelpTopics {
    struct Root: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "tool", subcommands: [Bench.self, Fit.self])
    }
    struct Bench: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "bench", subcommands: [Fit.self])
    }
    struct Fit: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "fit")
    }

    @Test(arguments: [[], ["fit"], ["--quick"], ["help"], ["help", "fit"], ["help", "bench"], ["help", "bench", "fit"],
                      ["help", "fit", "--help"], ["fit", "nosuch"]])
    func knownTopicsAndOtherLinesAreLeftToArgumentParser(arguments: [String]) {
        #expect(HelpTopic.unknownSubcommand(in: arguments, of: Root.self) == nil)
    }

    @Test func anUnknownSubcommandIsAUsageErrorListingTheKnownOnes() throws {
        let exit = try #require(HelpTopic.unknownSubcommand(in: ["help", "nosuch"], of: Root.self))
        #expect(exit.status == ExitStatus.usage && exit.isError)
        #expect(exit.message.contains("'tool' has no subcommand 'nosuch'; its subcommands are bench, fit"))
        #expect(exit.message.contains("Usage: tool help <subcommand>"))
    }

    @Test func anUnknownNestedSubcommandNamesItsParent() throws {
        let nested = try #require(HelpTopic.unknownSubcommand(in: ["help", "bench", "em"], of: Root.self))
        #expect(nested.status == ExitStatus.usage)
        #expect(nested.message.contains("'tool bench' has no subcommand 'em'; its subcommands are fit"))
        let leaf = try #require(HelpTopic.unknownSubcommand(in: ["help", "fit", "extra"], of: Root.self))
        #expect(leaf.message.contains("'tool fit' has no subcommands, so none named 'extra'"))
    }
}
