import ArgumentParser
import Foundation
import Testing
import Workbook

/// A chapter runs its steps in order, records what they report and check, and ends with
/// the status the project's rules give (0 passed, 1 check failed or step threw, 2 usage).
@Suite struct ChapterRuns {
    @Test func stepsRunInOrderAndPrintTheirHeadings() {
        let chapter = Chapter("07-order", title: "Order", question: "Q7")
        var order: [Int] = []
        for number in 1...4 {
            chapter.step("Step number \(number)") { ctx in
                order.append(number)
                #expect(ctx.stepNumber == number)
            }
        }
        let (run, console) = runCapturing(chapter, ["--no-figures"])
        #expect(run.status == 0)
        #expect(order == [1, 2, 3, 4])
        #expect(run.record?.steps.map(\.number) == [1, 2, 3, 4])
        #expect(run.record?.steps.map(\.title) == (1...4).map { "Step number \($0)" })
        let headings = (1...4).map { console.output.range(of: "── Step \($0) · Step number \($0) ──") }
        #expect(headings.allSatisfy { $0 != nil })
        let starts = headings.compactMap { $0?.lowerBound }
        #expect(starts == starts.sorted())
        #expect(console.output.contains("━━ 07-order · Order ━━"))
        #expect(console.errors.isEmpty)
    }

    @Test func resultsNarrativeAndChecksAreRecordedAndPrinted() throws {
        let chapter = Chapter("02-record", title: "Record", question: "Q2")
        chapter.step("Report") { ctx in
            ctx.narrate("Some narrative.")
            ctx.report("training images", 1000)
            ctx.report("memory", 42.125, unit: "MiB", digits: 3)
            ctx.report("best K", "12 (by BIC)")
            ctx.check("reassembly is exact", value: 3e-16, below: 1e-12)
            ctx.check("patch count", equals: 169, actual: 169)
            ctx.check("gain", value: 4.5, above: 3)
            ctx.check("bound never decreases", holds: true, detail: "40 iterations")
        }
        let (run, console) = runCapturing(chapter, ["--no-figures"])
        #expect(run.status == 0)
        let record = try #require(run.record)
        #expect(record.outcome == .passed)
        let step = try #require(record.steps.first)
        #expect(step.narrative == ["Some narrative."])
        #expect(step.results.map(\.label) == ["training images", "memory", "best K"])
        #expect(step.results.map(\.text) == ["1000", "42.1", "12 (by BIC)"])
        #expect(step.results.map(\.value) == [1000, 42.125, nil])
        #expect(step.results.map(\.unit) == [nil, "MiB", nil])
        #expect(step.checks.map(\.label) == [
            "reassembly is exact", "patch count", "gain", "bound never decreases",
        ])
        #expect(step.checks.allSatisfy { $0.passed })
        #expect(step.checks[0].requirement == "≤ 1e-12")
        #expect(step.checks[0].bound == 1e-12)
        #expect(step.checks[1].actual == "169" && step.checks[1].value == 169)
        #expect(step.checks[3].actual == "40 iterations")
        #expect(record.checksPassed == 4 && record.checksFailed == 0)
        #expect(console.output.contains("  Some narrative."))
        #expect(console.output.contains("✓ reassembly is exact"))
        #expect(console.output.contains("(≤ 1e-12)"))
    }

    @Test func resultValuesLineUpInOneColumn() throws {
        let chapter = Chapter("02-align", title: "Align", question: "Q")
        chapter.step("Report") { ctx in
            ctx.report("n", 1)
            ctx.report("a much longer label", 2)
            ctx.check("short", equals: 3, actual: 3)
        }
        let (_, console) = runCapturing(chapter, ["--no-figures"])
        let lines = console.output.split(separator: "\n").map(String.init)
        let valueColumns = try ["1", "2", "3  (= 3)"].map { value in
            let line = try #require(lines.first { $0.hasSuffix(" " + value) })
            return line.count - value.count
        }
        #expect(Set(valueColumns).count == 1)
    }

    @Test func aFailedCheckRunsTheRemainingStepsAndExitsOne() throws {
        let chapter = Chapter("03-fail", title: "Fail", question: "Q3")
        var laterStepRan = false
        chapter.step("Check") { ctx in
            ctx.check("patch count", equals: 169, actual: 168)
            ctx.check("error is small", value: 0.5, below: 1e-12)
            ctx.check("fine", value: 1e-13, below: 1e-12)
        }
        chapter.step("Later") { _ in laterStepRan = true }
        let (run, console) = runCapturing(chapter, ["--no-figures"])
        #expect(run.status == 1)
        #expect(laterStepRan)
        let record = try #require(run.record)
        #expect(record.outcome == .checksFailed)
        #expect(record.checksFailed == 2 && record.checksPassed == 1)
        #expect(record.steps.map(\.status) == [.completed, .completed])
        #expect(console.output.contains("✗ patch count"))
        #expect(console.output.contains("FAILED"))
        #expect(console.errors.contains("patch count; error is small"))
    }

    @Test func aThrowingStepStopsTheChapterWithItsMessage() throws {
        let chapter = Chapter("04-throw", title: "Throw", question: "Q4")
        var laterStepRan = false
        chapter.step("Fine") { ctx in ctx.report("x", 1) }
        chapter.step("Load") { _ in throw StepFailure(reason: "12 of 784 bytes") }
        chapter.step("Later") { _ in laterStepRan = true }
        let (run, console) = runCapturing(chapter, ["--no-figures"])
        #expect(run.status == 1)
        #expect(!laterStepRan)
        let record = try #require(run.record)
        #expect(record.outcome == .stepFailed)
        #expect(record.steps.map(\.status) == [.completed, .failed])
        #expect(record.steps[1].error == "the digits file is truncated: 12 of 784 bytes")
        #expect(console.errors.contains("Step 2 · Load failed: the digits file is truncated: 12 of 784 bytes"))
    }

    @Test func aNaNCheckFailsAndIsStillWritten() throws {
        let directory = try makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let chapter = Chapter("05-nan", title: "NaN", question: "Q5")
        chapter.step("Check") { ctx in
            ctx.check("error is small", value: .nan, below: 1)
            ctx.check("gain", value: .nan, above: 0)
            ctx.report("log-likelihood", -Double.infinity)
        }
        let (run, _) = runCapturing(chapter, ["--figures", directory.path])
        #expect(run.status == 1)
        let written = try ChapterRecord.read(
            from: directory.appendingPathComponent("05-nan/results.json"))
        #expect(written.checks.map(\.passed) == [false, false])
        #expect(written.checks[0].value?.isNaN == true)
        #expect(written.steps[0].results[0].value == -.infinity)
    }
}

/// The shared options reach the steps; bad ones are a usage error (exit 2).
@Suite struct ChapterCommandLine {
    @Test func optionsReachTheSteps() throws {
        let chapter = Chapter("01-options", title: "Options", question: "Q")
        var seen: (seed: UInt64, quick: Bool, data: String, figures: String, size: Int)?
        chapter.step("Look") { ctx in
            seen = (ctx.seed, ctx.isQuick, ctx.dataDirectory.path, ctx.figuresDirectory.path,
                    ctx.choose(full: 60_000, quick: 500))
        }
        let (run, _) = runCapturing(
            chapter, ["--quick", "--seed", "7", "--data", "/tmp/d", "--figures", "/tmp/f", "--no-figures"])
        #expect(run.status == 0)
        let values = try #require(seen)
        #expect(values.seed == 7 && values.quick && values.size == 500)
        #expect(values.data == "/tmp/d")
        #expect(values.figures == "/tmp/f/01-options")
        #expect(run.record?.seed == 7 && run.record?.quick == true)
    }

    @Test func defaultsAreTheFixedSeedAndFullData() throws {
        let chapter = Chapter("01-defaults", title: "Defaults", question: "Q")
        var seen: (seed: UInt64, quick: Bool, size: Int, figures: Bool)?
        chapter.step("Look") { ctx in
            seen = (ctx.seed, ctx.isQuick, ctx.choose(full: 60_000, quick: 500), ctx.figuresEnabled)
        }
        _ = runCapturing(chapter, ["--no-figures"])
        let values = try #require(seen)
        #expect(values.seed == 2026 && !values.quick && values.size == 60_000 && !values.figures)
    }

    @Test(arguments: [
        (["--seed=-1"], "--seed must be a non-negative integer, got -1."),
        (["--seed", "abc"], "--seed"),
        (["--bogus"], "Unknown option '--bogus'"),
        (["--figures", ""], "--figures needs a directory"),
        (["--data", ""], "--data needs a directory"),
        (["--record", ""], "--record needs a file name"),
        (["extra-argument"], "extra-argument"),
    ])
    func badOptionsAreAUsageError(arguments: [String], message: String) {
        let chapter = Chapter("01-bad", title: "Bad", question: "Q")
        var ran = false
        chapter.step("Never") { _ in ran = true }
        let (run, console) = runCapturing(chapter, arguments)
        #expect(run.status == 2)
        #expect(run.record == nil)
        #expect(!ran)
        #expect(console.errors.contains(message))
        #expect(console.errors.contains("Usage:"))
    }

    @Test func helpPrintsUsageAndExitsZero() {
        let chapter = Chapter("01-help", title: "Help me", question: "Simulation question 9")
        var ran = false
        chapter.step("Never") { _ in ran = true }
        let (run, console) = runCapturing(chapter, ["--help"])
        #expect(run.status == 0)
        #expect(!ran)
        #expect(console.output.contains("Help me"))
        #expect(console.output.contains("Simulation question 9"))
        #expect(console.output.contains("--quick"))
        #expect(console.errors.isEmpty)
    }

    struct ComponentOptions: ParsableArguments {
        @Option(help: "Number of mixture components.") var components = 3

        func validate() throws {
            guard components > 0 else { throw ValidationError("--components must be positive.") }
        }
    }

    @Test func aChapterCanDeclareItsOwnOptions() throws {
        let chapter = Chapter("08-extra", title: "Extra", question: "Q", options: ComponentOptions.self)
        var components: [Int] = []
        chapter.step("Read") { ctx in components.append(ctx.extraOptions(ComponentOptions.self).components) }
        #expect(runCapturing(chapter, ["--components", "5", "--quick", "--no-figures"]).run.status == 0)
        #expect(runCapturing(chapter, ["--no-figures"]).run.status == 0)
        #expect(components == [5, 3])
        let (bad, console) = runCapturing(chapter, ["--components", "0"])
        #expect(bad.status == 2)
        #expect(console.errors.contains("--components must be positive."))
        let (help, helpConsole) = runCapturing(chapter, ["--help"])
        #expect(help.status == 0)
        #expect(helpConsole.output.contains("--components"))
    }
}

/// `--step` pauses between steps, and only when a person can answer.
@Suite struct StepPauses {
    func threeSteps() -> Chapter {
        let chapter = Chapter("09-pause", title: "Pause", question: "Q")
        for number in 1...3 { chapter.step("S\(number)") { _ in } }
        return chapter
    }

    @Test func pausesBetweenStepsOnATerminal() {
        let (run, console) = runCapturing(threeSteps(), ["--step", "--no-figures"], interactive: true)
        #expect(run.status == 0)
        #expect(console.pauses == 2)
        #expect(console.output.contains("Press Enter for step 3"))
    }

    @Test func neverPausesWithoutATerminalOrWithoutTheFlag() {
        #expect(runCapturing(threeSteps(), ["--step", "--no-figures"], interactive: false).console.pauses == 0)
        #expect(runCapturing(threeSteps(), ["--no-figures"], interactive: true).console.pauses == 0)
    }
}

/// The record of a run is written as JSON where the report generator will look for it.
@Suite struct ResultsFile {
    func chapter() -> Chapter {
        let chapter = Chapter("06-json", title: "JSON", question: "Q6")
        chapter.step("Report") { ctx in
            ctx.report("images", 12)
            ctx.check("count", equals: 12, actual: 12)
        }
        chapter.figure("Draw") { ctx in ctx.report("figure", "drawn") }
        return chapter
    }

    @Test func writtenToTheFiguresDirectoryAndToRecord() throws {
        let directory = try makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let extra = directory.appendingPathComponent("elsewhere/run.json")
        let (run, console) = runCapturing(
            chapter(), ["--figures", directory.path, "--record", extra.path, "--quick"])
        #expect(run.status == 0)
        let record = try #require(run.record)
        let inFigures = directory.appendingPathComponent("06-json/results.json")
        #expect(try ChapterRecord.read(from: inFigures) == record)
        #expect(try ChapterRecord.read(from: extra) == record)
        #expect(record.steps.map(\.status) == [.completed, .completed])
        #expect(record.steps[1].results.first?.text == "drawn")
        #expect(record.quick)
        #expect(console.output.contains(inFigures.path))
        // Only the two results files: no temporary file is left behind.
        let left = try FileManager.default.contentsOfDirectory(atPath: inFigures.deletingLastPathComponent().path)
        #expect(left == ["results.json"])
    }

    @Test func theJSONHasTheDocumentedShape() throws {
        let directory = try makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        _ = runCapturing(chapter(), ["--figures", directory.path])
        let data = try Data(contentsOf: directory.appendingPathComponent("06-json/results.json"))
        let json = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        #expect(json["slug"] as? String == "06-json")
        #expect(json["outcome"] as? String == "passed")
        #expect(json["seed"] as? Int == 2026)
        let steps = try #require(json["steps"] as? [[String: Any]])
        #expect(steps.count == 2)
        let results = try #require(steps[0]["results"] as? [[String: Any]])
        #expect(results.first?["label"] as? String == "images")
        #expect(results.first?["value"] as? Double == 12)
        let checks = try #require(steps[0]["checks"] as? [[String: Any]])
        #expect(checks.first?["passed"] as? Bool == true)
    }

    @Test func noFiguresSkipsFigureStepsAndWritesNothing() throws {
        let directory = try makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let (run, console) = runCapturing(chapter(), ["--figures", directory.path, "--no-figures"])
        #expect(run.status == 0)
        #expect(run.record?.steps.map(\.status) == [.completed, .skipped])
        #expect(console.output.contains("skipped (--no-figures)"))
        #expect(try FileManager.default.contentsOfDirectory(atPath: directory.path).isEmpty)
    }

    @Test func anUnwritableResultsFileIsAFailure() throws {
        let directory = try makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        // A plain file where the chapter's directory should be.
        let blocker = directory.appendingPathComponent("06-json")
        #expect(FileManager.default.createFile(atPath: blocker.path, contents: Data("x".utf8)))
        let (run, console) = runCapturing(chapter(), ["--figures", directory.path])
        #expect(run.status == 1)
        #expect(run.record?.outcome == .passed)
        #expect(console.errors.contains("cannot write the results file"))
        #expect(console.errors.contains(blocker.appendingPathComponent("results.json").path))
    }

    @Test func aMalformedResultsFileIsAClearError() throws {
        let directory = try makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let file = directory.appendingPathComponent("results.json")
        try Data("{\"slug\": 3}".utf8).write(to: file)
        #expect {
            try ChapterRecord.read(from: file)
        } throws: { error in
            String(describing: error).contains("cannot read the results file \(file.path)")
        }
    }
}
