import ArgumentParser

/// How a program ends after ArgumentParser (or a command's `run()`) threw: the text to print,
/// whether it goes to standard error, and the exit status.
///
/// ArgumentParser exits with `EX_USAGE` (64) on a usage error; the project's rule is that
/// bad usage exits with 2, so that status is translated. Help requests end with status 0
/// and their text on standard output; any other error prints its description and exits 1.
public struct CommandLineExit: Equatable, Sendable {
    /// The message, possibly empty (an `ExitCode` error carries none).
    public let message: String
    /// The exit status: 0 (help), 1 (failure) or 2 (usage).
    public let status: Int32
    /// Whether `message` belongs on standard error (true for anything but help).
    public let isError: Bool

    /// The exit for `error`, thrown while parsing or running `command`.
    public init(error: any Error, command: any ParsableArguments.Type) {
        let error = FileSystemError.readable(error)
        let code = command.exitCode(for: error).rawValue
        message = command.fullMessage(for: error)
        isError = code != ExitCode.success.rawValue
        status = code == ExitCode.validationFailure.rawValue ? ExitStatus.usage : code
    }

    /// A usage error (status 2) with `message`, found before ArgumentParser saw the line.
    public init(usageError message: String) {
        self.message = message
        status = ExitStatus.usage
        isError = true
    }

    /// Prints the message on `console` (if there is one).
    public func print(on console: any Console) {
        guard !message.isEmpty else { return }
        if isError {
            console.errorLine(message)
        } else {
            console.line(message)
        }
    }
}
