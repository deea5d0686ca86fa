import Foundation

/// What a chapter prints before its first step and after its last.
extension Chapter {
    /// `━━ 01-patches · Patches of MNIST digits ━━`, the question, and the options in force.
    func printHeader(_ options: ChapterOptions, console: any Console) {
        console.line(Layout.chapterHeading(slug: slug, title: title))
        console.line(question)
        let size = options.quick ? "quick (a small slice of the data)" : "full data"
        let figures = options.noFigures
            ? "no figures"
            : "figures in \(Self.figuresDirectory(figures: options.figures, slug: slug).path)"
        console.line("seed \(options.seed) · \(size) · data in \(options.data) · \(figures)")
    }

    /// Steps run, checks passed and failed, total time, where the results went (and which
    /// results file was `kept` as it was), and the verdict (on standard error when the
    /// chapter failed).
    func printSummary(_ record: ChapterRecord, written: [URL], kept: URL?, console: any Console) {
        console.line()
        console.line("── Summary ──")
        let run = record.steps.filter { $0.status != .skipped }.count
        let skipped = record.steps.count - run
        console.line(Layout.result(
            "steps run", "\(run) of \(steps.count)" + (skipped > 0 ? " (\(skipped) skipped)" : "")))
        console.line(Layout.result("checks passed", String(record.checksPassed)))
        console.line(Layout.result("checks failed", String(record.checksFailed)))
        console.line(Layout.result("total time", Format.seconds(record.seconds)))
        for url in written {
            console.line(Layout.result("results written to", url.path))
        }
        if let kept {
            console.line(Layout.result("results not written", "\(kept.path) (a step failed; an earlier one is kept)"))
        }
        switch record.outcome {
        case .passed:
            console.line("✓ \(slug) passed: \(record.checksPassed) of \(record.checks.count) checks")
        case .checksFailed:
            console.errorLine(
                "✗ \(slug) failed: \(record.checksFailed) of \(record.checks.count) checks failed: "
                    + record.checks.filter { !$0.passed }.map(\.label).joined(separator: "; "))
        case .stepFailed:
            for step in record.steps where step.status == .failed {
                console.errorLine("✗ \(slug) failed: step \(step.number) threw: \(step.error ?? "")")
            }
        }
    }
}
