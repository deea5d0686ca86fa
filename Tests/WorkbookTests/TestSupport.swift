import Foundation
import Workbook
import Testing

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

/// Makes the files a suite's tests share once, before them, and removes them after. The
/// suite reads its directory as `SuiteFixtures.directory(name)`.
struct SuiteFixtures: SuiteTrait, TestScoping {
    /// The fixture directories of the suites running now, by name.
    @TaskLocal static var directories: [String: URL] = [:]

    let name: String
    let make: @Sendable () throws -> URL

    /// The directory of the suite `name`, while it runs.
    static func directory(_ name: String) throws -> URL {
        try #require(directories[name], "the fixtures of \(name) were not made")
    }

    func provideScope(
        for test: Test, testCase: Test.Case?, performing function: @Sendable () async throws -> Void
    ) async throws {
        let directory = try make()
        defer { try? FileManager.default.removeItem(at: directory) }
        try await Self.$directories.withValue(Self.directories.merging([name: directory]) { $1 }) { try await function() }
    }
}
