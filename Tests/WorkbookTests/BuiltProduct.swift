import Foundation

/// A program built beside the test bundle (`workbook`, `ch01-patches`, ...), run in a child
/// process with extra environment variables.
struct BuiltProduct {
    let name: String

    /// How the child ended.
    struct Ending {
        let status: Int32
        /// False when a signal ended it (a trap or crash).
        let exited: Bool
        let output: String
        let errors: String
    }

    /// Runs the program. With `fileSizeLimit` (in 512-byte blocks) it runs under
    /// `ulimit -f`, SIGXFSZ ignored, so that every write beyond the limit fails with
    /// EFBIG ("File too large") as on a full disk; 0 makes every write fail.
    func run(_ arguments: [String], environment: [String: String] = [:], fileSizeLimit: Int? = nil) throws -> Ending {
        let process = Process()
        let executable = WorkbookProgram.products.appendingPathComponent(name)
        if let fileSizeLimit {
            process.executableURL = URL(fileURLWithPath: "/bin/sh")
            process.arguments = ["-c", "trap '' XFSZ; ulimit -f \(fileSizeLimit); exec \"$0\" \"$@\"", executable.path] + arguments
        } else {
            process.executableURL = executable
            process.arguments = arguments
        }
        process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
        let output = Pipe(), errors = Pipe()
        process.standardOutput = output
        process.standardError = errors
        try process.run()
        // Read standard error on another thread so neither pipe can fill up and block the child.
        let errorData = ErrorCollector(errors.fileHandleForReading)
        let outputData = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return Ending(status: process.terminationStatus, exited: process.terminationReason == .exit,
                      output: String(decoding: outputData, as: UTF8.self),
                      errors: String(decoding: errorData.wait(), as: UTF8.self))
    }
}

/// Reads a file handle to its end on a background thread.
private final class ErrorCollector: @unchecked Sendable {
    private var data = Data()
    private let done = DispatchSemaphore(value: 0)

    init(_ handle: FileHandle) {
        Thread.detachNewThread { [self] in
            data = handle.readDataToEndOfFile()
            done.signal()
        }
    }

    func wait() -> Data {
        done.wait()
        return data
    }
}
