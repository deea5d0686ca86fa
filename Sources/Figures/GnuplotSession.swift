import GnuplotBridge

/// One gnuplot process, driven through its standard input (over the GnuplotBridge C API).
///
/// Send commands and inline data, then `close()` to learn how gnuplot ended: gnuplot reading
/// from a pipe exits with status 1 after any error, and its messages come back in the result.
/// Closing is required to see the exit status; a session dropped unclosed is closed silently.
public final class GnuplotSession {
    /// How a gnuplot process ended.
    public struct Exit: Sendable, Equatable {
        /// The exit status (0: every command succeeded; 128 + n: killed by signal n).
        public let status: Int32
        /// What gnuplot printed on standard output and standard error.
        public let output: String
    }

    private var handle: OpaquePointer?
    private static let messageCapacity = 1024
    private static let outputCapacity = 64 * 1024

    /// Starts `executable` (a path, or a name searched on PATH).
    /// Throws `FigureError.gnuplotNotFound` when it is not installed.
    public init(executable: String = "gnuplot") throws {
        var status = GNUPLOT_BRIDGE_OK
        var message = [CChar](repeating: 0, count: Self.messageCapacity)
        handle = gnuplot_bridge_open(executable, &status, &message, message.count)
        if handle == nil {
            if status == GNUPLOT_BRIDGE_NOT_FOUND { throw FigureError.gnuplotNotFound }
            throw FigureError.gnuplotSession(Self.text(message))
        }
    }

    deinit {
        if let handle {
            var status: Int32 = 0
            _ = gnuplot_bridge_close(handle, &status, nil, 0)
        }
    }

    /// Sends one command line (a newline is added).
    public func command(_ line: String) throws {
        let handle = try openHandle()
        try Self.check { message, capacity in gnuplot_bridge_command(handle, line, message, capacity) }
    }

    /// Sends text as is, e.g. the lines of `plot '-'` data followed by "e\n".
    public func send(text: String) throws {
        let handle = try openHandle()
        try Self.check { message, capacity in gnuplot_bridge_send_text(handle, text, message, capacity) }
    }

    /// Sends doubles as raw float64 bytes in native byte order, the data of a preceding
    /// `plot '-' binary array=(w,h) format='%float64' ...` (w x h values, row-major).
    public func send(doubles values: [Double]) throws {
        let handle = try openHandle()
        try values.withUnsafeBufferPointer { buffer in
            try Self.check { message, capacity in
                gnuplot_bridge_send_doubles(handle, buffer.baseAddress, buffer.count, message, capacity)
            }
        }
    }

    /// Closes gnuplot's input, waits for it to finish and returns how it ended.
    public func close() throws -> Exit {
        let handle = try openHandle()
        self.handle = nil
        var status: Int32 = -1
        var output = [CChar](repeating: 0, count: Self.outputCapacity)
        let result = gnuplot_bridge_close(handle, &status, &output, output.count)
        guard result == GNUPLOT_BRIDGE_OK else { throw FigureError.gnuplotSession(Self.text(output)) }
        return Exit(status: status, output: Self.text(output))
    }

    private func openHandle() throws -> OpaquePointer {
        guard let handle else { throw FigureError.gnuplotSession("the session is already closed") }
        return handle
    }

    private static func check(
        _ call: (UnsafeMutablePointer<CChar>, Int) -> GnuplotBridgeStatus
    ) throws {
        var message = [CChar](repeating: 0, count: messageCapacity)
        let status = message.withUnsafeMutableBufferPointer { buffer in
            call(buffer.baseAddress!, buffer.count)
        }
        if status != GNUPLOT_BRIDGE_OK { throw FigureError.gnuplotSession(text(message)) }
    }

    /// The NUL-terminated UTF-8 text in `buffer`.
    private static func text(_ buffer: [CChar]) -> String {
        let bytes = buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }
        return String(decoding: bytes, as: UTF8.self)
    }
}
