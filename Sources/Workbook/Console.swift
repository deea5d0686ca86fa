import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Where a chapter (or the `workbook` command) writes what it has to say, and how it pauses.
///
/// The runtime never prints directly: it writes to a `Console`, so tests can capture the
/// output (``RecordingConsole``) while the executables write to the terminal
/// (``StandardConsole``).
public protocol Console: AnyObject {
    /// Writes `text` (already terminated by a newline where one is wanted) to standard output.
    func write(_ text: String)
    /// Writes `text` to standard error.
    func writeError(_ text: String)
    /// Whether a person can answer a pause: standard input is a terminal.
    var isInteractive: Bool { get }
    /// Waits until the person presses Enter.
    func waitForEnter()
}

extension Console {
    /// Writes one line (a newline is appended) to standard output.
    public func line(_ text: String = "") {
        write(text + "\n")
    }

    /// Writes one line (a newline is appended) to standard error.
    public func errorLine(_ text: String) {
        writeError(text + "\n")
    }
}

/// The process's own standard output, standard error and standard input.
///
/// Every write is flushed at once, so progress lines appear while the work runs and the
/// output of a chapter launched by `workbook run` interleaves correctly with its own.
public final class StandardConsole: Console {
    public init() {}

    public func write(_ text: String) {
        print(text, terminator: "")
        fflush(nil)
    }

    /// By write(2), which reports a failed write (a full disk, a closed pipe) by its return
    /// value, here ignored: `FileHandle.write` would trap, and a message must never crash
    /// the program that is trying to report a problem.
    public func writeError(_ text: String) {
        fflush(nil)
        var bytes = Array(text.utf8)[...]
        while !bytes.isEmpty {
            let written = bytes.withUnsafeBytes { Glibc.write(STDERR_FILENO, $0.baseAddress, $0.count) }
            guard written > 0 else { return }
            bytes = bytes.dropFirst(written)
        }
    }

    public var isInteractive: Bool {
        isatty(0) == 1
    }

    public func waitForEnter() {
        _ = readLine()
    }
}

/// A console that keeps everything written to it, for tests.
public final class RecordingConsole: Console {
    /// Everything written to standard output, in order.
    public private(set) var output = ""
    /// Everything written to standard error, in order.
    public private(set) var errors = ""
    /// How many times the runtime waited for Enter.
    public private(set) var pauses = 0
    public let isInteractive: Bool

    /// - Parameter isInteractive: whether to pretend that standard input is a terminal.
    public init(isInteractive: Bool = false) {
        self.isInteractive = isInteractive
    }

    public func write(_ text: String) {
        output += text
    }

    public func writeError(_ text: String) {
        errors += text
    }

    public func waitForEnter() {
        pauses += 1
    }
}
