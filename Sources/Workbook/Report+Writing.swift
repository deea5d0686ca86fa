import Foundation

extension Report {
    /// What ``write(to:pandoc:)`` wrote, and what it warns about.
    public struct Written: Sendable {
        /// `report.md`.
        public let markdown: URL
        /// `report.html`, when pandoc was given.
        public let html: URL?
        /// Mismatches between sources, results and figures, unbalanced math, and pandoc's
        /// own warnings (a formula it could not turn into MathML).
        public let warnings: [String]
    }

    /// Writes `report.md` into `directory` (atomically, creating the directory), and with
    /// `pandoc` also the standalone `report.html` beside it.
    public func write(to directory: URL, pandoc: Pandoc?) throws -> Written {
        let markdownURL = directory.appendingPathComponent("report.md")
        let text = markdown(outputDirectory: directory)
        do {
            try AtomicFile.write(Data(text.utf8), to: markdownURL)
        } catch let error as WorkbookError {
            guard case let .cannotWriteRecord(path, reason) = error else { throw error }
            throw ReportError.cannotWrite(path: path, reason: reason)
        }
        var warnings = self.warnings + MathDelimiters.problems(in: text).map { "report.md: \($0)" }
        guard let pandoc else {
            return Written(markdown: markdownURL, html: nil, warnings: warnings)
        }
        let htmlURL = directory.appendingPathComponent("report.html")
        warnings += try pandoc.convert(markdown: text, linksFrom: directory, to: htmlURL).map { "pandoc: \($0)" }
        return Written(markdown: markdownURL, html: htmlURL, warnings: warnings)
    }

    /// The chapter table for the README: chapter (linked to its source), study question,
    /// and its figures (linked), with links relative to `base`.
    public func index(linkingFrom base: URL) -> String {
        let links = ReportLinks(base: base, sources: sourcesDirectory, figures: figuresDirectory)
        let rows = chapters.map { chapter in
            let slug = chapter.entry.slug
            let figures = chapter.figuresInReportOrder.map { "[\($0)](\(links.figure($0, slug: slug)))" }
            return "| [\(MarkdownText.escaped(chapter.heading))](\(links.source(slug))) | "
                + MarkdownText.escaped(chapter.record.question) + " | "
                + figures.joined(separator: ", ") + " |"
        }
        return (["| chapter | question | figures |", "|---|---|---|"] + rows).joined(separator: "\n")
    }
}
