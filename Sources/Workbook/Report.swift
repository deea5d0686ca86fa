import Foundation

/// The workbook's report: every chapter woven into one document, from the chapters'
/// sources and the results and figures of their last run.
///
/// ```swift
/// let report = try Report.load(ChapterCatalog.all, sources: chaptersURL, figures: figuresURL)
/// let markdown = report.markdown(outputDirectory: reportURL)   // links relative to report/
/// ```
public struct Report: Equatable, Sendable {
    /// The document's title (its only level-1 heading).
    public var title: String
    public var chapters: [ReportChapter]
    /// Where the chapter sources are (`chapters/`), for the links to them.
    public var sourcesDirectory: URL
    /// Where the figures are (`figures/`), for the figure and results links.
    public var figuresDirectory: URL

    /// The title of the workbook's report.
    public static let defaultTitle =
        "The EM workbook: Gaussian mixtures and image denoising with patch priors"

    public init(title: String = Report.defaultTitle, chapters: [ReportChapter],
                sourcesDirectory: URL, figuresDirectory: URL) {
        self.title = title
        self.chapters = chapters
        self.sourcesDirectory = sourcesDirectory
        self.figuresDirectory = figuresDirectory
    }

    /// Loads `entries` from `sources` (`<slug>/main.swift`) and `figures`
    /// (`<slug>/results.json` and PNGs). Throws one error naming every chapter that cannot
    /// be loaded and why (a single problem is thrown as it is).
    public static func load(
        _ entries: [ChapterEntry], sources: URL, figures: URL, title: String = Report.defaultTitle
    ) throws -> Report {
        var chapters: [ReportChapter] = []
        var problems: [ReportError] = []
        for entry in entries {
            do {
                chapters.append(try ReportChapter.load(entry, sources: sources, figures: figures))
            } catch let error as ReportError {
                problems.append(error)
            }
        }
        if problems.count == 1 { throw problems[0] }
        if !problems.isEmpty { throw ReportError.chaptersUnavailable(problems) }
        return Report(title: title, chapters: chapters, sourcesDirectory: sources, figuresDirectory: figures)
    }

    /// The warnings of every chapter (see ``ReportChapter/warnings``).
    public var warnings: [String] {
        chapters.flatMap(\.warnings)
    }
}
