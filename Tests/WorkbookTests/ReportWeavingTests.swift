import Foundation
import Testing
import Workbook

/// The demo chapter of ``DemoChapter`` run for real into a temporary `figures/`, with its
/// source in a temporary `chapters/` and three stand-in PNGs (two that its figure step
/// names, one that no step names).
struct DemoWorkspace {
    let root: URL
    var sources: URL { root.appendingPathComponent("chapters", isDirectory: true) }
    var figures: URL { root.appendingPathComponent("figures", isDirectory: true) }
    var output: URL { root.appendingPathComponent("report", isDirectory: true) }
    static let entry = ChapterEntry(slug: "01-demo", summary: "A demo", question: "Demo question")

    init(failFirstStep: Bool = false) throws {
        root = try makeTemporaryDirectory()
        let sourceDirectory = sources.appendingPathComponent("01-demo", isDirectory: true)
        try FileManager.default.createDirectory(at: sourceDirectory, withIntermediateDirectories: true)
        try Data(DemoChapter.source.utf8).write(to: sourceDirectory.appendingPathComponent("main.swift"))

        let chapter = Chapter("01-demo", title: "A demo chapter", question: "Demo question")
        chapter.step("Count the digits") { ctx in
            if failFirstStep { throw StepFailure(reason: "no digits") }
            ctx.report("count", 3)
            ctx.check("count is three", equals: 3, actual: 3)
        }
        let m = 8
        chapter.step("Size m = \(m)") { ctx in
            ctx.narrate(Format.table(["k", "log|Σ|"], [["1", "2.5"]]))
        }
        chapter.figure("Figure: mosaics") { _ in }
        // A failed run leaves figures/ as it was; its record comes through --record.
        let directory = figures.appendingPathComponent("01-demo", isDirectory: true)
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        _ = runCapturing(chapter, [
            "--figures", figures.path, "--record", directory.appendingPathComponent("results.json").path,
        ])

        for name in ["mosaic-m16", "mosaic-m8", "stray"] {
            try Data("not really a PNG".utf8)
                .write(to: figures.appendingPathComponent("01-demo/\(name).png"))
        }
    }

    func report() throws -> Report {
        try Report.load([Self.entry], sources: sources, figures: figures)
    }

    func remove() {
        try? FileManager.default.removeItem(at: root)
    }
}

/// The link destinations `](…)` of a Markdown text outside its fenced code, without the
/// in-page `#anchors`.
func fileLinks(in markdown: String) -> [String] {
    var links: [String] = []
    var inFence = false
    for line in markdown.split(separator: "\n") {
        if line.hasPrefix("```") { inFence.toggle() }
        guard !inFence else { continue }
        var rest = line[...]
        while let open = rest.range(of: "]("), let close = rest[open.upperBound...].firstIndex(of: ")") {
            let target = String(rest[open.upperBound..<close])
            if !target.hasPrefix("#") { links.append(target) }
            rest = rest[close...]
        }
    }
    return links
}

/// Whether `pieces` occur in `text` in this order.
func occursInOrder(_ pieces: [String], in text: String) -> Bool {
    var rest = text[...]
    for piece in pieces {
        guard let found = rest.range(of: piece) else { return false }
        rest = rest[found.upperBound...]
    }
    return true
}

@Suite struct ReportWeaving {
    @Test func aStepShowsItsNarrativeCodeOutputChecksAndFiguresInOrder() throws {
        let workspace = try DemoWorkspace()
        defer { workspace.remove() }
        let markdown = try workspace.report().markdown(outputDirectory: workspace.output)
        let pieces = [
            "<a id=\"ch-01-demo\"></a>",
            "## 01 · A demo chapter",
            "$$\\sum_k \\pi_k = 1.$$",
            "**The run.** Seed 2026, full data; 1 of 1 checks passed",
            "<details>", "var count = 0", "</details>",
            "### Step 1 · Count the digits",
            "We count.", "```swift\ncount = 3", "Then we check.", "```swift\nctx.check(",
            "| result | value |\n|---|---|\n| count | 3 |",
            "- ✓ count is three: 3 (= 3)",
            "### Step 2 · Size m = 8",
            "The size, with a \"quote\".",
            "| k | log\\|Σ\\| |\n|---|---|\n| 1 | 2.5 |",
            "### Step 3 · Figure: mosaics",
            "![Mosaics](../figures/01-demo/mosaic-m8.png)\n\n*Figure 1.1.* Mosaics (`mosaic-m8`)",
            "![Mosaics](../figures/01-demo/mosaic-m16.png)\n\n*Figure 1.2.* Mosaics (`mosaic-m16`)",
            "### Other figures of this chapter",
            "![stray](../figures/01-demo/stray.png)\n\n*Figure 1.3.* (`stray`)",
        ]
        for piece in pieces {
            #expect(markdown.contains(piece), "missing: \(piece)")
        }
        #expect(occursInOrder(pieces, in: markdown))
        #expect(!markdown.contains("import Workbook") && !markdown.contains("chapter.run()"))
        #expect(!markdown.contains("\n# 01 · A demo chapter\n"), "the chapter's heading is demoted below the title")
    }

    @Test func everyLinkOfTheDemoReportResolves() throws {
        let workspace = try DemoWorkspace()
        defer { workspace.remove() }
        let markdown = try workspace.report().markdown(outputDirectory: workspace.output)
        let links = fileLinks(in: markdown)
        #expect(links.count == 5)   // source, results.json, three figures
        for link in links {
            let url = workspace.output.appendingPathComponent(link).standardizedFileURL
            #expect(FileManager.default.fileExists(atPath: url.path), "\(link) does not resolve")
        }
    }

    @Test func writingLeavesOnlyTheReport() throws {
        let workspace = try DemoWorkspace()
        defer { workspace.remove() }
        let report = try workspace.report()
        let written = try report.write(to: workspace.output, pandoc: nil)
        #expect(written.html == nil)
        #expect(written.warnings.isEmpty, "\(written.warnings)")
        let text = try String(contentsOf: written.markdown, encoding: .utf8)
        #expect(text == report.markdown(outputDirectory: workspace.output))
        #expect(try FileManager.default.contentsOfDirectory(atPath: workspace.output.path) == ["report.md"])
    }

    @Test func aFailedStepAndTheStepsThatDidNotRunAreShownAndWarned() throws {
        let workspace = try DemoWorkspace(failFirstStep: true)
        defer { workspace.remove() }
        let report = try workspace.report()
        let markdown = report.markdown(outputDirectory: workspace.output)
        #expect(markdown.contains("**a step failed**"))
        #expect(markdown.contains("**This step failed:** the digits file is truncated: no digits"))
        #expect(markdown.components(separatedBy: "*No results were recorded for this step").count == 3)
        #expect(report.warnings.count == 2)
        #expect(report.warnings.allSatisfy { $0.hasPrefix("01-demo: step ") && $0.contains("has no recorded results") })
    }

    @Test func theIndexListsEachChapterWithItsFiguresInReportOrder() throws {
        let workspace = try DemoWorkspace()
        defer { workspace.remove() }
        let index = try workspace.report().index(linkingFrom: workspace.root)
        #expect(index == """
            | chapter | question | figures |
            |---|---|---|
            | [01 · A demo chapter](chapters/01-demo/main.swift) | Demo question | \
            [mosaic-m8](figures/01-demo/mosaic-m8.png), [mosaic-m16](figures/01-demo/mosaic-m16.png), \
            [stray](figures/01-demo/stray.png) |
            """)
    }
}

@Suite struct ReportInputErrors {
    @Test func aMissingResultsFileIsAClearError() throws {
        let workspace = try DemoWorkspace()
        defer { workspace.remove() }
        let results = workspace.figures.appendingPathComponent("01-demo/results.json")
        try FileManager.default.removeItem(at: results)
        #expect(throws: ReportError.missingResults(slug: "01-demo", path: results.path)) {
            try workspace.report()
        }
        let message = ReportError.missingResults(slug: "01-demo", path: results.path).description
        #expect(message.contains(results.path) && message.contains("workbook run 01-demo"))
    }

    @Test func anUnreadableResultsFileSaysWhichAndWhy() throws {
        let workspace = try DemoWorkspace()
        defer { workspace.remove() }
        let results = workspace.figures.appendingPathComponent("01-demo/results.json")
        try Data("{ not json".utf8).write(to: results)
        do {
            _ = try workspace.report()
            Issue.record("a broken results.json was accepted")
        } catch let ReportError.unreadableResults(slug, path, reason) {
            #expect(slug == "01-demo" && path == results.path && !reason.isEmpty)
        }
    }

    @Test func everyUnavailableChapterIsNamedAtOnce() throws {
        let workspace = try DemoWorkspace()
        defer { workspace.remove() }
        let entries = [DemoWorkspace.entry,
                       ChapterEntry(slug: "02-x", summary: "", question: ""),
                       ChapterEntry(slug: "03-y", summary: "", question: "")]
        let expected = ReportError.chaptersUnavailable([
            .missingSource(slug: "02-x", path: workspace.sources.appendingPathComponent("02-x/main.swift").path),
            .missingSource(slug: "03-y", path: workspace.sources.appendingPathComponent("03-y/main.swift").path),
        ])
        #expect(throws: expected) {
            try Report.load(entries, sources: workspace.sources, figures: workspace.figures)
        }
        #expect(expected.description.contains("02-x") && expected.description.contains("03-y"))
    }
}
