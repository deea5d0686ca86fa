import Foundation
import Testing
import Workbook

/// `workbook report`, run as a user would.
@Suite struct ReportCommandLine {
    let executable = WorkbookProgram()
    let repository = RepositoryReport.repository

    @Test func noRunWeavesTheCommittedResults() throws {
        let output = try makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(at: output) }
        let (status, printed, errors) = try executable.workbook(
            ["report", "--no-run", "--chapters", "01", "03",
             "--sources", repository.appendingPathComponent("chapters").path,
             "--figures", repository.appendingPathComponent("figures").path,
             "--output", output.path])
        #expect(status == 0, "\(errors)")
        #expect(printed.contains("2 chapters woven") && printed.contains("report.md"))
        let markdown = try String(contentsOf: output.appendingPathComponent("report.md"), encoding: .utf8)
        #expect(markdown.contains("ch-01-patches") && markdown.contains("ch-03-lagrange-weights"))
        #expect(!markdown.contains("ch-02-em-gmm"))
    }

    @Test func aChapterWithoutResultsStopsTheReportWithItsName() throws {
        let empty = try makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(at: empty) }
        let (status, _, errors) = try executable.workbook(
            ["report", "--no-run", "--chapters", "1",
             "--sources", repository.appendingPathComponent("chapters").path,
             "--figures", empty.path, "--output", empty.appendingPathComponent("report").path])
        #expect(status == 1)
        #expect(errors.contains("chapter 01-patches has no results"))
        #expect(!FileManager.default.fileExists(atPath: empty.appendingPathComponent("report").path))
    }

    @Test(arguments: [["report", "--no-run", "--quick"], ["report", "--chapters", "99"], ["report", "--output", ""]])
    func badUsageExitsTwo(arguments: [String]) throws {
        let (status, _, _) = try executable.workbook(arguments)
        #expect(status == 2)
    }
}
