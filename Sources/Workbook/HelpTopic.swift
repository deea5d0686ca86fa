import ArgumentParser

/// `workbook help <name> ...` for a subcommand that does not exist. ArgumentParser prints
/// the root's help for it and exits 0, as if the name had been found; a script asking for
/// help on a misspelt subcommand could not tell. This names the unknown subcommand, lists
/// the known ones and ends as a usage error (status 2).
public enum HelpTopic {
    /// The exit for `arguments` (the command line without the program's name) when they ask
    /// `command` for help on a subcommand path that does not exist; nil otherwise (also for
    /// a plain `help`, which shows the root's help).
    public static func unknownSubcommand(in arguments: [String], of command: any ParsableCommand.Type) -> CommandLineExit? {
        guard arguments.first == "help" else { return nil }
        var current = command
        var path: [String] = []
        for name in arguments.dropFirst() where !name.hasPrefix("-") {
            let subcommands = current.configuration.subcommands
            guard let next = subcommands.first(where: { $0._commandName == name }) else {
                let asked = ([command._commandName] + path).joined(separator: " ")
                let known = subcommands.map { $0._commandName }
                let problem = known.isEmpty
                    ? "'\(asked)' has no subcommands, so none named '\(name)'"
                    : "'\(asked)' has no subcommand '\(name)'; its subcommands are \(known.joined(separator: ", "))"
                let usage = known.isEmpty ? "\(command._commandName) help \(path.joined(separator: " "))"
                    : "\(command._commandName) help \((path + ["<subcommand>"]).joined(separator: " "))"
                return CommandLineExit(usageError: "Error: \(problem)\nUsage: \(usage)")
            }
            current = next
            path.append(name)
        }
        return nil
    }
}
