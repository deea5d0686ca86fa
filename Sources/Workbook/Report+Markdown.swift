import Foundation

/// The report as one Markdown document (GitHub's dialect with `$…$` / `$$…$$` math, which
/// pandoc reads as `commonmark_x`).
///
/// Layout: the title; a preface and a table of the chapters; then per chapter its
/// introduction (its heading demoted to level 2), a line on its run, its top-level code
/// folded in `<details>`, and per step a level-3 heading, the step's narrative and code in
/// source order, what it printed (narration, a results table, its checks) and its figures.
extension Report {
    /// The Markdown of the report, with links relative to `outputDirectory` (where the
    /// document is written).
    public func markdown(outputDirectory: URL) -> String {
        let links = ReportLinks(base: outputDirectory, sources: sourcesDirectory, figures: figuresDirectory)
        var blocks = ["# " + title, preface, overview(links)]
        for chapter in chapters {
            blocks += chapterBlocks(chapter, links: links)
        }
        return blocks.joined(separator: "\n\n") + "\n"
    }

    /// The anchor of a chapter's heading (`ch-01-patches`), the same on GitHub and in pandoc.
    public static func anchor(of slug: String) -> String { "ch-" + slug }

    private var preface: String {
        let checks = chapters.map(\.record.checks.count).reduce(0, +)
        let passed = chapters.map(\.record.checksPassed).reduce(0, +)
        return """
            Woven by `workbook report` from the chapters' sources (`chapters/NN-name/main.swift`) \
            and the results and figures of their last run (`figures/NN-name/`). Each chapter opens \
            with its question and derivation; each step shows its narrative and its code, what it \
            printed, the checks it verified, and the figures it drew. In these runs \(passed) of \
            \(checks) checks passed.
            """
    }

    private func overview(_ links: ReportLinks) -> String {
        let rows = chapters.map { chapter in
            let record = chapter.record
            return "| [\(MarkdownText.escaped(chapter.heading))](#\(Self.anchor(of: chapter.entry.slug))) | "
                + MarkdownText.escaped(record.question) + " | "
                + "\(record.checksPassed) of \(record.checks.count) | \(chapter.figureFiles.count) |"
        }
        return (["| chapter | question | checks passed | figures |", "|---|---|---|---|"] + rows)
            .joined(separator: "\n")
    }

    private func chapterBlocks(_ chapter: ReportChapter, links: ReportLinks) -> [String] {
        let slug = chapter.entry.slug
        var blocks = ["<a id=\"\(Self.anchor(of: slug))\"></a>"]
        blocks.append(chapter.introductionMarkdown)
        blocks.append(runLine(chapter, links: links))
        let figures = chapter.figuresByStep
        let chapterNumber = Int(slug.prefix { $0.isNumber }).map(String.init) ?? slug
        var figureCount = 0
        /// The figures with their numbers, "Figure 9.1", "Figure 9.2", … in the chapter's order.
        func numbered(_ names: [String], caption: String?) -> [String] {
            names.map { name in
                figureCount += 1
                return figure(name, number: "\(chapterNumber).\(figureCount)", caption: caption, slug: slug, links: links)
            }
        }
        var stepIndex = 0
        for block in chapter.source.blocks {
            switch block {
            case let .code(code):
                let summary = stepIndex == 0
                    ? "Set-up: the chapter's declarations, shared state and helpers"
                    : "Declarations"
                blocks.append(folded(code, summary: summary))
            case let .step(step):
                let record = chapter.recordedStep(stepIndex)
                let title = record?.title ?? step.title.written
                blocks += stepBlocks(step, title: title, record: record, number: stepIndex + 1)
                blocks += numbered(figures[stepIndex], caption: Self.caption(fromStepTitle: title))
                stepIndex += 1
            }
        }
        let others = chapter.unattributedFigures
        if !others.isEmpty {
            blocks.append("### Other figures of this chapter")
            blocks += numbered(others, caption: nil)
        }
        return blocks
    }

    private func runLine(_ chapter: ReportChapter, links: ReportLinks) -> String {
        let record = chapter.record
        let slug = chapter.entry.slug
        let verdict = switch record.outcome {
        case .passed: "\(record.checksPassed) of \(record.checks.count) checks passed"
        case .checksFailed: "**\(record.checksFailed) of \(record.checks.count) checks failed**"
        case .stepFailed: "**a step failed** (\(record.checksPassed) of \(record.checks.count) checks passed)"
        }
        let size = record.quick ? "**quick run** (a small slice of the data)" : "full data"
        return "**The run.** Seed \(record.seed), \(size); \(verdict) in \(Format.seconds(record.seconds)). "
            + "Source: [\(slug)/main.swift](\(links.source(slug))); "
            + "results: [results.json](\(links.results(slug)))."
    }

    /// A step's heading, prose and code, then what its run recorded (narration, results,
    /// checks); its figures follow (`chapterBlocks`).
    private func stepBlocks(_ step: ChapterSource.Step, title: String, record: StepRecord?, number: Int) -> [String] {
        var blocks = ["### Step \(number) · \(MarkdownText.escaped(title))"]
        for segment in step.segments {
            switch segment {
            case let .prose(text): blocks.append(text)
            case let .code(code): blocks.append(MarkdownText.codeBlock(code, language: "swift"))
            }
        }
        guard let record else {
            blocks.append("*No results were recorded for this step: the run stopped before it, "
                + "or its results.json is older than the source.*")
            return blocks
        }
        switch record.status {
        case .completed: break
        case .skipped: blocks.append("*Skipped in the recorded run (`--no-figures`).*")
        case .failed: blocks.append("**This step failed:** " + MarkdownText.escaped(record.error ?? "no reason given"))
        }
        blocks += record.narrative.map(MarkdownText.narration)
        if !record.results.isEmpty {
            blocks.append(MarkdownText.table(
                header: ["result", "value"],
                rows: record.results.map { result in [result.label, result.unit.map { "\(result.text) \($0)" } ?? result.text] }))
        }
        if !record.checks.isEmpty {
            blocks.append(record.checks.map(checkItem).joined(separator: "\n"))
        }
        return blocks
    }

    /// `- ✓ label: 3.1e-16 (≤ 1e-12)`; a check that simply holds shows only its label.
    private func checkItem(_ check: CheckRecord) -> String {
        let mark = check.passed ? "✓" : "✗"
        var item = "- \(mark) " + MarkdownText.escaped(check.label)
        if check.requirement == "holds" {
            if check.actual != "true" && check.actual != "false" { item += ": " + MarkdownText.escaped(check.actual) }
        } else {
            item += ": " + MarkdownText.escaped(check.actual) + " (" + MarkdownText.escaped(check.requirement) + ")"
        }
        return check.passed ? item : item + " — **failed**"
    }

    /// A figure and its numbered caption below it, a paragraph of its own, since neither
    /// GitHub nor the HTML shows an image's alt text: "*Figure 9.4.* PSNR of every test
    /// digit, restored against corrupted (`psnr-per-digit`)". The caption is also the alt text.
    private func figure(_ name: String, number: String, caption: String?, slug: String, links: ReportLinks) -> String {
        let text = caption.map(MarkdownText.escaped) ?? ""
        let image = "![\(text.isEmpty ? MarkdownText.escaped(name) : text)](\(links.figure(name, slug: slug)))"
        return image + "\n\n*Figure \(number).*" + (text.isEmpty ? "" : " " + text) + " (`\(name)`)"
    }

    /// The caption of the figures a step draws: its title without a leading "Figure: ",
    /// capitalised ("Figure: the posterior of one patch" → "The posterior of one patch").
    static func caption(fromStepTitle title: String) -> String {
        var text = Substring(title)
        if text.hasPrefix("Figure: ") { text = text.dropFirst("Figure: ".count) }
        return text.prefix(1).uppercased() + text.dropFirst()
    }

    /// Code folded in a `<details>` element (GitHub and pandoc both read the Markdown in it).
    private func folded(_ code: String, summary: String) -> String {
        let lines = code.split(separator: "\n", omittingEmptySubsequences: false).count
        return "<details>\n<summary>\(summary) (\(lines) lines)</summary>\n\n"
            + MarkdownText.codeBlock(code, language: "swift") + "\n\n</details>"
    }
}

extension ReportChapter {
    /// `01 · Patches of MNIST digits`: the number and the recorded title.
    public var heading: String {
        let number = entry.slug.prefix { $0.isNumber }
        return number.isEmpty ? record.title : "\(number) · \(record.title)"
    }

    /// The introduction with its headings one level deeper (its `#` title becomes the
    /// chapter's `##` heading); a heading is added when it has none.
    var introductionMarkdown: String {
        var inFence = false
        var lines = source.introduction.split(separator: "\n", omittingEmptySubsequences: false).map { line in
            let text = String(line)
            if text.hasPrefix("```") || text.hasPrefix("~~~") { inFence.toggle() }
            return !inFence && text.hasPrefix("#") ? "#" + text : text
        }
        if !(lines.first?.hasPrefix("## ") ?? false) {
            lines.insert(contentsOf: ["## " + MarkdownText.escaped(heading), ""], at: 0)
        }
        return lines.joined(separator: "\n")
    }
}

/// The links of the report, relative to the directory it is written to.
struct ReportLinks {
    let base: URL
    let sources: URL
    let figures: URL

    func source(_ slug: String) -> String {
        link(sources.appendingPathComponent(slug).appendingPathComponent("main.swift"))
    }

    func results(_ slug: String) -> String {
        link(figures.appendingPathComponent(slug).appendingPathComponent("results.json"))
    }

    func figure(_ name: String, slug: String) -> String {
        link(figures.appendingPathComponent(slug).appendingPathComponent(name + ".png"))
    }

    private func link(_ url: URL) -> String {
        RelativePath.linkDestination(RelativePath.from(base, to: url))
    }
}
