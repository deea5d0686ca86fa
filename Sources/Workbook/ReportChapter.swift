import Foundation

/// One chapter as the report weaves it: its catalog entry, its parsed source, the record of
/// its last run (`figures/<slug>/results.json`) and the PNG figures in `figures/<slug>/`.
public struct ReportChapter: Equatable, Sendable {
    public let entry: ChapterEntry
    public let source: ChapterSource
    public let record: ChapterRecord
    /// The figure names (without `.png`) in the chapter's figures directory, in natural
    /// order (`mosaic-m8` before `mosaic-m16`).
    public let figureFiles: [String]

    public init(entry: ChapterEntry, source: ChapterSource, record: ChapterRecord, figureFiles: [String]) {
        self.entry = entry
        self.source = source
        self.record = record
        self.figureFiles = figureFiles.sorted { $0.compare($1, options: .numeric) == .orderedAscending }
    }

    /// Reads chapter `entry`: `<sources>/<slug>/main.swift` and `<figures>/<slug>/`.
    /// Throws ``ReportError/missingSource(slug:path:)``,
    /// ``ReportError/missingResults(slug:path:)`` or
    /// ``ReportError/unreadableResults(slug:path:reason:)`` with the path it looked at.
    public static func load(_ entry: ChapterEntry, sources: URL, figures: URL) throws -> ReportChapter {
        let sourceURL = sources.appendingPathComponent(entry.slug).appendingPathComponent("main.swift")
        guard let text = try? String(contentsOf: sourceURL, encoding: .utf8) else {
            throw ReportError.missingSource(slug: entry.slug, path: sourceURL.path)
        }
        let source = try ChapterSource.parse(text, path: sourceURL.path)
        let directory = figures.appendingPathComponent(entry.slug, isDirectory: true)
        let resultsURL = directory.appendingPathComponent("results.json")
        guard FileManager.default.fileExists(atPath: resultsURL.path) else {
            throw ReportError.missingResults(slug: entry.slug, path: resultsURL.path)
        }
        let record: ChapterRecord
        do {
            record = try ChapterRecord.read(from: resultsURL)
        } catch let error as WorkbookError {
            guard case let .cannotReadRecord(_, reason) = error else { throw error }
            throw ReportError.unreadableResults(slug: entry.slug, path: resultsURL.path, reason: reason)
        }
        let names = (try? FileManager.default.contentsOfDirectory(atPath: directory.path)) ?? []
        let figures = names.filter { $0.hasSuffix(".png") && !$0.hasPrefix(".") }.map { String($0.dropLast(4)) }
        return ReportChapter(entry: entry, source: source, record: record, figureFiles: figures)
    }

    // MARK: Matching the source with the run

    /// The record of source step `index` (0-based): the recorded step at the same place
    /// when its title fits the source's title, else the first recorded step whose title
    /// does; nil when the run recorded no such step (it failed earlier, or the results are
    /// older than the source).
    public func recordedStep(_ index: Int) -> StepRecord? {
        let steps = source.steps
        guard steps.indices.contains(index) else { return nil }
        let title = steps[index].title
        if record.steps.indices.contains(index), title.matches(record.steps[index].title) {
            return record.steps[index]
        }
        return record.steps.first { title.matches($0.title) }
    }

    /// The figures of each source step, in step order: the files its `name:` literals
    /// match, in the order of the literals (a file goes to the first step that names it).
    public var figuresByStep: [[String]] {
        var taken: Set<String> = []
        return source.steps.map { step in
            var found: [String] = []
            for name in step.figureNames {
                for file in figureFiles where !taken.contains(file) && name.matches(file) {
                    found.append(file)
                    taken.insert(file)
                }
            }
            return found
        }
    }

    /// The figures no step names (they are shown after the last step).
    public var unattributedFigures: [String] {
        let attributed = Set(figuresByStep.joined())
        return figureFiles.filter { !attributed.contains($0) }
    }

    /// Every figure, in the order the report shows them (step by step, then the others).
    public var figuresInReportOrder: [String] {
        Array(figuresByStep.joined()) + unattributedFigures
    }

    /// What the report should say about a mismatch between the source, its run and its
    /// figures: steps without a record, recorded steps the source lacks, and figure names
    /// no file matches.
    public var warnings: [String] {
        var warnings: [String] = []
        let slug = entry.slug
        if record.quick {
            warnings.append("\(slug): the results are from a --quick run (a small slice of the data).")
        }
        let steps = source.steps
        for (index, step) in steps.enumerated() where recordedStep(index) == nil {
            warnings.append("\(slug): step \(index + 1) \"\(step.title.written)\" has no recorded results "
                + "(the step did not run, or results.json is older than the source).")
        }
        let matched = Set(steps.indices.compactMap { recordedStep($0)?.number })
        for step in record.steps where !matched.contains(step.number) {
            warnings.append("\(slug): the recorded step \(step.number) \"\(step.title)\" is not in the source "
                + "(results.json is older than the source).")
        }
        for (index, step) in steps.enumerated() {
            let skipped = recordedStep(index)?.status == .skipped
            for name in step.figureNames where !skipped && !figureFiles.contains(where: name.matches) {
                warnings.append("\(slug): step \(index + 1) writes the figure \"\(name.written)\", "
                    + "but no such PNG is in the figures directory.")
            }
        }
        return warnings
    }
}
