import Foundation

/// Running the steps of a chapter, and writing the record of the run.
extension Chapter {
    func execute(_ arguments: ParsedChapterArguments, console: any Console) -> ChapterRun {
        let options = arguments.shared
        let stopwatch = Stopwatch()
        printHeader(options, console: console)

        var records: [StepRecord] = []
        for (index, step) in steps.enumerated() {
            let record = run(step, number: index + 1, arguments: arguments, console: console)
            records.append(record)
            if record.status == .failed { break }
            if options.step && console.isInteractive && record.number < steps.count {
                console.write("Press Enter for step \(record.number + 1)…")
                console.waitForEnter()
            }
        }

        let record = ChapterRecord(
            slug: slug, title: title, question: question, seed: UInt64(options.seed),
            quick: options.quick, steps: records, outcome: Self.outcome(of: records),
            seconds: stopwatch.elapsed)
        var destinations: [URL] = []
        var kept: URL?
        if !options.noFigures {
            let results = Self.figuresDirectory(figures: options.figures, slug: slug)
                .appendingPathComponent("results.json")
            // After a step threw, the figures beside it are those of an earlier run: its
            // record stays with them.
            if record.outcome == .stepFailed { kept = results } else { destinations.append(results) }
        }
        if let path = arguments.record {
            destinations.append(URL(fileURLWithPath: path))
        }
        let written = write(record, to: destinations, console: console)
        printSummary(record, written: written, kept: kept, console: console)
        let succeeded = record.outcome == .passed && written.count == destinations.count
        return ChapterRun(status: succeeded ? ExitStatus.success : ExitStatus.failure, record: record)
    }

    /// Runs one step (or skips a figure step under `--no-figures`) and returns its record.
    private func run(
        _ step: Step, number: Int, arguments: ParsedChapterArguments, console: any Console
    ) -> StepRecord {
        console.line()
        console.line(Layout.stepHeading(number: number, title: step.title))
        if step.isFigure && arguments.shared.noFigures {
            console.line("  skipped (--no-figures)")
            return StepRecord(
                number: number, title: step.title, narrative: [], results: [], checks: [],
                status: .skipped, error: nil, seconds: 0)
        }
        let context = StepContext(
            chapterSlug: slug, stepNumber: number, title: step.title, options: arguments.shared,
            extraOptions: arguments.extra, console: console)
        do {
            try step.body(context)
            context.finish(error: nil)
            console.line("  (\(Format.seconds(context.record.seconds)))")
        } catch {
            let error = FileSystemError.readable(error)
            context.finish(error: error)
            console.errorLine("✗ Step \(number) · \(step.title) failed: \(error)")
        }
        return context.record
    }

    /// Writes `record` to each destination; returns those written, and prints why any was not.
    private func write(_ record: ChapterRecord, to destinations: [URL], console: any Console) -> [URL] {
        destinations.filter { destination in
            do {
                try record.write(to: destination)
                return true
            } catch {
                console.errorLine("✗ \(error)")
                return false
            }
        }
    }

    private static func outcome(of steps: [StepRecord]) -> ChapterRecord.Outcome {
        if steps.contains(where: { $0.status == .failed }) { return .stepFailed }
        if steps.contains(where: { $0.checks.contains { !$0.passed } }) { return .checksFailed }
        return .passed
    }
}
