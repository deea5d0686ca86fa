import Foundation
import Workbook

// The `workbook` command: parses the command line, runs the subcommand, and exits with
// the project's statuses (0 ok, 1 failure, 2 bad usage).
let console = StandardConsole()
if let ending = HelpTopic.unknownSubcommand(in: Array(CommandLine.arguments.dropFirst()), of: WorkbookCommand.self) {
    ending.print(on: console)
    exit(ending.status)
}
do {
    var command = try WorkbookCommand.parseAsRoot()
    try command.run()
} catch {
    let ending = CommandLineExit(error: error, command: WorkbookCommand.self)
    ending.print(on: console)
    exit(ending.status)
}
