import Foundation
import Testing
import Workbook

/// The built `workbook` executable (it sits beside the test bundle after
/// `swift build --build-tests`), run as a user would.
@Suite struct WorkbookExecutable {
    let executable = WorkbookProgram()

    func workbook(_ arguments: [String]) throws -> (status: Int32, output: String, errors: String) {
        try executable.workbook(arguments)
    }

    /// A directory holding a stand-in `ch01-patches` that records its arguments to `args`
    /// and exits with `status`.
    func fakeChapter(status: Int) throws -> URL {
        let directory = try makeTemporaryDirectory()
        let url = directory.appendingPathComponent("ch01-patches")
        let script = "#!/bin/sh\necho \"$*\" > '\(directory.path)/args'\nexit \(status)\n"
        try Data(script.utf8).write(to: url)
        try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: url.path)
        return directory
    }

    @Test func listShowsEveryChapter() throws {
        let (status, output, _) = try workbook(["list"])
        #expect(status == 0)
        let lines = output.split(separator: "\n")
        #expect(lines.count == ChapterCatalog.all.count)
        for (line, entry) in zip(lines, ChapterCatalog.all) {
            #expect(line.hasPrefix(entry.slug) && line.hasSuffix(entry.summary))
        }
    }

    @Test(arguments: [["run", "nope"], ["run", "--seed=-3"], ["run", "--bogus"], ["frobnicate"], ["help", "nosuch"],
                      ["help", "bench", "nosuch"]])
    func badUsageExitsTwo(arguments: [String]) throws {
        let (status, _, errors) = try workbook(arguments)
        #expect(status == 2)
        #expect(errors.contains("Usage:") || errors.contains("USAGE:"))
    }

    @Test(arguments: [["help"], ["help", "restore"], ["help", "bench", "epll"]])
    func helpOnAKnownSubcommandExitsZero(arguments: [String]) throws {
        let (status, output, _) = try workbook(arguments)
        #expect(status == 0)
        #expect(output.contains("USAGE: workbook"))
    }

    @Test func anUnknownChapterListsTheValidOnes() throws {
        let (_, _, errors) = try workbook(["run", "99"])
        #expect(errors.contains("unknown chapter '99'"))
        #expect(errors.contains("01-patches"))
    }

    @Test func runForwardsTheSharedOptions() throws {
        let directory = try fakeChapter(status: 0)
        defer { try? FileManager.default.removeItem(at: directory) }
        let (status, output, _) = try workbook(
            ["run", "1", "--quick", "--seed", "5", "--figures", "out", "--binaries", directory.path])
        #expect(status == 0)
        let forwarded = try String(contentsOf: directory.appendingPathComponent("args"), encoding: .utf8)
        #expect(forwarded == "--quick --seed 5 --data data --figures out\n")
        #expect(output.contains("01-patches  ok"))
    }

    @Test func aFailingChapterExitsOneNamingIt() throws {
        let directory = try fakeChapter(status: 1)
        defer { try? FileManager.default.removeItem(at: directory) }
        let (status, output, errors) = try workbook(["run", "01-patches", "--binaries", directory.path])
        #expect(status == 1)
        #expect(errors.contains("chapter 01-patches failed (exit status 1)"))
        #expect(output.contains("01-patches  failed"))
    }

    @Test func aMissingChapterExecutableSaysHowToBuildIt() throws {
        let directory = try makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let (status, _, errors) = try workbook(["run", "--binaries", directory.path])
        #expect(status == 1)
        #expect(errors.contains("ch01-patches"))
        #expect(errors.contains("swift build -c release"))
    }
}

/// The built `workbook` executable (beside the test bundle after `swift build --build-tests`).
struct WorkbookProgram {
    /// The directory of the build products (`.build/debug`).
    static let products: URL = {
        let runner = Bundle.main.executableURL ?? URL(fileURLWithPath: CommandLine.arguments[0])
        return runner.resolvingSymlinksInPath().deletingLastPathComponent()
    }()

    /// Runs `workbook arguments` and returns its exit status, standard output and error.
    func workbook(_ arguments: [String]) throws -> (status: Int32, output: String, errors: String) {
        let ending = try BuiltProduct(name: "workbook").run(arguments)
        return (ending.status, ending.output, ending.errors)
    }

}
