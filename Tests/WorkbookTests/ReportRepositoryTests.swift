import Foundation
import Testing
import Workbook

/// The report woven from the repository itself: the chapters' sources and the results and
/// PNGs of their full runs committed under figures/ (what `workbook report --no-run` does
/// on a fresh clone).
@Suite struct RepositoryReport {
    static let repository = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    static let output = repository.appendingPathComponent("report", isDirectory: true)

    let report: Report
    let markdown: String

    init() throws {
        report = try Report.load(
            ChapterCatalog.all, sources: Self.repository.appendingPathComponent("chapters"),
            figures: Self.repository.appendingPathComponent("figures"))
        markdown = report.markdown(outputDirectory: Self.output)
    }

    @Test func everyChapterOfTheCatalogAppearsWithEveryStep() {
        #expect(report.chapters.map(\.entry) == ChapterCatalog.all)
        for chapter in report.chapters {
            let slug = chapter.entry.slug
            #expect(markdown.contains("<a id=\"ch-\(slug)\"></a>\n\n## "), "no heading for \(slug)")
            #expect(markdown.contains("](#ch-\(slug))"), "\(slug) is not in the chapter table")
            #expect(!chapter.source.steps.isEmpty, "\(slug) has no steps")
        }
        let steps = report.chapters.map(\.source.steps.count).reduce(0, +)
        #expect(markdown.components(separatedBy: "\n### Step ").count - 1 == steps)
    }

    @Test func everyLinkResolvesToAFile() {
        let links = fileLinks(in: markdown)
        #expect(!links.isEmpty)
        for link in links {
            let url = Self.output.appendingPathComponent(link.removingPercentEncoding ?? link).standardizedFileURL
            #expect(FileManager.default.fileExists(atPath: url.path), "\(link) does not resolve")
        }
    }

    @Test func everyCommittedFigureIsShownOnce() throws {
        let images = fileLinks(in: markdown).filter { $0.hasSuffix(".png") }
        #expect(Set(images).count == images.count)
        for chapter in report.chapters {
            let directory = Self.repository.appendingPathComponent("figures/\(chapter.entry.slug)")
            let pngs = try FileManager.default.contentsOfDirectory(atPath: directory.path)
                .filter { $0.hasSuffix(".png") }
            for png in pngs {
                #expect(images.contains("../figures/\(chapter.entry.slug)/\(png)"), "\(png) is not shown")
            }
            #expect(chapter.unattributedFigures.isEmpty, "\(chapter.entry.slug): no step names \(chapter.unattributedFigures)")
        }
    }

    @Test func everyMathBlockIsBalanced() {
        #expect(MathDelimiters.problems(in: markdown) == [])
        for chapter in report.chapters {
            #expect(MathDelimiters.problems(in: chapter.source.introduction) == [], "\(chapter.entry.slug)")
        }
    }

    @Test func theCommittedResultsMatchTheSources() {
        // Every step of every source has its full-run results, and every figure a step
        // names is committed: rerun a chapter (`workbook run NN`) after changing its steps.
        #expect(report.warnings == [])
    }
}
