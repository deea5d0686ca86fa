import Foundation
import Testing
@testable import Figures

/// The session over the C bridge: commands, binary data, exit status, broken pipes.
@Suite struct GnuplotSessionBridge {
    @Test func binaryMatrixDrawsAnImage() throws {
        try withFigureDirectory("session") { directory in
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
            let output = directory + "/matrix.png"
            let session = try GnuplotSession()
            try session.command("set terminal pngcairo size 320,240")
            try session.command("set output \(GnuplotSyntax.quoted(output))")
            try session.command("plot '-' binary array=(4,3) format='%float64' with image")
            try session.send(doubles: (0..<12).map(Double.init))
            try session.command("unset output")
            let exit = try session.close()
            #expect(exit.status == 0, "gnuplot said: \(exit.output)")
            #expect(try pngSize(output) == PixelSize(width: 320, height: 240))
        }
    }

    @Test func inlineTextDataIsRead() throws {
        let session = try GnuplotSession()
        try session.command("set table '/dev/null'")
        try session.command("plot '-' using 1:2 with lines")
        try session.send(text: "1 2\n2 4\n3 8\ne\n")
        try session.command("unset table")
        try session.command("print GPVAL_DATA_Y_MAX")
        let exit = try session.close()
        #expect(exit.status == 0)
        #expect(exit.output.trimmingCharacters(in: .whitespacesAndNewlines) == "8.0")
    }

    @Test func failingCommandGivesNonZeroExitAndMessage() throws {
        let session = try GnuplotSession()
        try session.command("plot undefined_function_here(x)")
        let exit = try session.close()
        #expect(exit.status != 0)
        #expect(exit.output.contains("undefined function"), "gnuplot said: \(exit.output)")
    }

    @Test func writingAfterGnuplotExitedThrowsInsteadOfKillingUs() throws {
        let session = try GnuplotSession()
        try session.command("exit")
        let megabyte = [Double](repeating: 1, count: 1 << 17)
        var failed = false
        for _ in 0..<1000 where !failed {
            do { try session.send(doubles: megabyte) } catch { failed = true }
        }
        #expect(failed, "once gnuplot is gone, writing to it fails")
        #expect(try session.close().status == 0)
    }

    @Test func usingAClosedSessionThrows() throws {
        let session = try GnuplotSession()
        _ = try session.close()
        #expect(throws: FigureError.self) { try session.command("print 1") }
        #expect(throws: FigureError.self) { try session.close() }
    }

    @Test func missingExecutableIsReportedAsNotFound() {
        #expect(throws: FigureError.gnuplotNotFound) { try GnuplotSession(executable: "no-such-gnuplot-binary") }
        #expect(throws: FigureError.gnuplotNotFound) { try GnuplotSession(executable: "/nonexistent/gnuplot") }
    }
}
