import Foundation
import Testing
import Workbook

/// `workbook run` launches chapter executables in order, forwards the options, and stops at
/// the first failure. Stand-in executables (shell scripts) record how they were called.
@Suite struct ChapterLaunching {
    let entries = [
        ChapterEntry(slug: "01-aa", summary: "A", question: "Q1"),
        ChapterEntry(slug: "02-bb", summary: "B", question: "Q2"),
        ChapterEntry(slug: "03-cc", summary: "C", question: "Q3"),
    ]

    /// A directory of stand-in chapter executables; chapter `slug` runs `body` after
    /// appending its name and arguments to `calls.log`.
    func binaries(_ bodies: [String: String]) throws -> URL {
        let directory = try makeTemporaryDirectory()
        for entry in entries {
            let log = directory.appendingPathComponent("calls.log").path
            let script = """
                #!/bin/sh
                echo "\(entry.slug) $*" >> '\(log)'
                \(bodies[entry.slug] ?? "exit 0")
                """
            let url = directory.appendingPathComponent(entry.productName)
            try Data(script.utf8).write(to: url)
            try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: url.path)
        }
        return directory
    }

    func calls(in directory: URL) throws -> [String] {
        let url = directory.appendingPathComponent("calls.log")
        guard FileManager.default.fileExists(atPath: url.path) else { return [] }
        return try String(contentsOf: url, encoding: .utf8).split(separator: "\n").map(String.init)
    }

    @Test func runsEveryChapterInOrderWithTheForwardedOptions() throws {
        let directory = try binaries([:])
        defer { try? FileManager.default.removeItem(at: directory) }
        let console = RecordingConsole()
        let launcher = ChapterLauncher(binariesDirectory: directory, console: console)
        let options = ChapterOptions(quick: true, seed: 9, data: "d", figures: "f")
        let outcomes = try launcher.run(entries, arguments: options.arguments)
        #expect(outcomes.map(\.entry) == entries)
        #expect(outcomes.allSatisfy { $0.succeeded })
        #expect(outcomes.allSatisfy { $0.failure == nil })
        #expect(try calls(in: directory) == entries.map { "\($0.slug) --quick --seed 9 --data d --figures f" })
        launcher.printSummary(outcomes, of: entries)
        #expect(console.output.contains("▶ ch02-bb --quick --seed 9"))
        #expect(console.output.contains("  03-cc  ok"))
    }

    @Test func stopsAtTheFirstChapterThatFails() throws {
        let directory = try binaries(["02-bb": "exit 3"])
        defer { try? FileManager.default.removeItem(at: directory) }
        let console = RecordingConsole()
        let launcher = ChapterLauncher(binariesDirectory: directory, console: console)
        let outcomes = try launcher.run(entries, arguments: [])
        #expect(outcomes.map(\.entry.slug) == ["01-aa", "02-bb"])
        #expect(outcomes.map(\.termination) == [.exited(0), .exited(3)])
        #expect(outcomes.last?.failure == .chapterFailed(slug: "02-bb", status: 3))
        #expect(try calls(in: directory).map { $0.split(separator: " ")[0] } == ["01-aa", "02-bb"])
        launcher.printSummary(outcomes, of: entries)
        #expect(console.output.contains("02-bb  failed  "))
        #expect(console.output.contains("(exit status 3)"))
        #expect(console.output.contains("03-cc  not run"))
    }

    @Test func aChapterKilledByASignalIsAFailure() throws {
        let directory = try binaries(["01-aa": "kill -9 $$"])
        defer { try? FileManager.default.removeItem(at: directory) }
        let launcher = ChapterLauncher(binariesDirectory: directory, console: RecordingConsole())
        let outcomes = try launcher.run(entries, arguments: [])
        #expect(outcomes.map(\.termination) == [.killed(signal: 9)])
        #expect(outcomes[0].failure == .chapterKilled(slug: "01-aa", signal: 9))
    }

    @Test func aMissingExecutableStopsBeforeAnythingRuns() throws {
        let directory = try binaries([:])
        defer { try? FileManager.default.removeItem(at: directory) }
        try FileManager.default.removeItem(at: directory.appendingPathComponent("ch03-cc"))
        let launcher = ChapterLauncher(binariesDirectory: directory, console: RecordingConsole())
        #expect(throws: WorkbookError.missingChapterBinary(product: "ch03-cc", directory: directory.path)) {
            try launcher.run(entries, arguments: [])
        }
        #expect(try calls(in: directory).isEmpty)
        let message = WorkbookError.missingChapterBinary(product: "ch03-cc", directory: "/x").description
        #expect(message.contains("swift build -c release"))
    }

    /// The chapter runs in `workbook`'s process group, so that on a terminal it is in the
    /// foreground (its `--step` reads the keyboard instead of being stopped) and Ctrl-C
    /// reaches it. Foundation's `Process` would give it a group of its own.
    @Test func aChapterRunsInTheLaunchersProcessGroup() throws {
        let directory = try binaries(["01-aa": "cut -d' ' -f5 /proc/$$/stat > \"$(dirname \"$0\")/pgrp\""])
        defer { try? FileManager.default.removeItem(at: directory) }
        let launcher = ChapterLauncher(binariesDirectory: directory, console: RecordingConsole())
        let outcomes = try launcher.run(Array(entries.prefix(1)), arguments: [])
        #expect(outcomes.map(\.termination) == [.exited(0)])
        let record = directory.appendingPathComponent("pgrp")
        let group = try String(contentsOf: record, encoding: .utf8).trimmingCharacters(in: .whitespacesAndNewlines)
        #expect(group == String(getpgrp()))
    }

    @Test func theWaitStatusIsDecoded() {
        #expect(ForegroundProcess.termination(fromWaitStatus: 3 << 8) == .exited(3))
        #expect(ForegroundProcess.termination(fromWaitStatus: 0) == .exited(0))
        #expect(ForegroundProcess.termination(fromWaitStatus: 9) == .killed(signal: 9))
        #expect(ForegroundProcess.termination(fromWaitStatus: 0x80 | 11) == .killed(signal: 11))
    }
}
