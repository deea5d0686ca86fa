import Foundation
import Workbook

/// A fresh, empty temporary directory for one test.
func makeTemporaryDirectory() throws -> URL {
    let url = FileManager.default.temporaryDirectory
        .appendingPathComponent("workbook-tests-\(UUID().uuidString)", isDirectory: true)
    try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    return url
}

/// An error a test step throws.
struct StepFailure: Error, CustomStringConvertible {
    let reason: String
    var description: String { "the digits file is truncated: \(reason)" }
}

/// Runs `chapter` with `arguments` on a recording console, with figures in a fresh
/// temporary directory unless the arguments say otherwise.
func runCapturing(
    _ chapter: Chapter, _ arguments: [String], interactive: Bool = false
) -> (run: ChapterRun, console: RecordingConsole) {
    let console = RecordingConsole(isInteractive: interactive)
    return (chapter.run(arguments: arguments, console: console), console)
}
