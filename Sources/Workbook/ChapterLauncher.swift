import Foundation

/// Runs chapter executables one after another, as `workbook run` does.
///
/// Each chapter runs as its own process (`<binaries>/chNN-slug <arguments>`), sharing this
/// process's standard input, output and error and its process group (`ForegroundProcess`),
/// so its output streams as it is written, `--step` reads the terminal, and Ctrl-C stops
/// the chapter with the run. The run stops at the first chapter that fails.
public struct ChapterLauncher {
    /// Where the chapter executables are (`.build/release`).
    public let binariesDirectory: URL
    private let console: any Console

    public init(binariesDirectory: URL, console: any Console) {
        self.binariesDirectory = binariesDirectory
        self.console = console
    }

    /// How one chapter ended.
    public struct Outcome: Equatable, Sendable {
        public let entry: ChapterEntry
        /// The exit status, or the signal that killed it.
        public let termination: Termination
        /// Wall-clock seconds.
        public let seconds: Double

        public var succeeded: Bool { termination == .exited(0) }

        /// The error that says how it failed, nil if it succeeded.
        public var failure: WorkbookError? {
            switch termination {
            case .exited(0): nil
            case let .exited(status): .chapterFailed(slug: entry.slug, status: status)
            case let .killed(signal): .chapterKilled(slug: entry.slug, signal: signal)
            }
        }
    }

    /// How a chapter process ended.
    public enum Termination: Equatable, Sendable {
        case exited(Int32)
        case killed(signal: Int32)
    }

    /// The executable of `entry`.
    public func executable(for entry: ChapterEntry) -> URL {
        binariesDirectory.appendingPathComponent(entry.productName)
    }

    /// Runs `entries` in order with `arguments`, stopping after the first that fails.
    /// Returns the outcome of each chapter that ran. Throws before running anything if an
    /// executable is missing.
    public func run(_ entries: [ChapterEntry], arguments: [String]) throws -> [Outcome] {
        for entry in entries where !FileManager.default.isExecutableFile(atPath: executable(for: entry).path) {
            throw WorkbookError.missingChapterBinary(
                product: entry.productName, directory: binariesDirectory.path)
        }
        var outcomes: [Outcome] = []
        for entry in entries {
            let outcome = try run(entry, arguments: arguments)
            outcomes.append(outcome)
            if !outcome.succeeded { break }
        }
        return outcomes
    }

    private func run(_ entry: ChapterEntry, arguments: [String]) throws -> Outcome {
        let url = executable(for: entry)
        console.line("▶ \(([entry.productName] + arguments).joined(separator: " "))")
        let stopwatch = Stopwatch()
        let termination = try ForegroundProcess.run(path: url.path, arguments: arguments)
        let outcome = Outcome(entry: entry, termination: termination, seconds: stopwatch.elapsed)
        console.line()
        return outcome
    }

    /// Prints one line per chapter that ran (slug, ok or failed, seconds) and one per
    /// chapter that did not run.
    public func printSummary(_ outcomes: [Outcome], of entries: [ChapterEntry]) {
        console.line("══ Workbook summary ══")
        let width = (entries.map(\.slug.count).max() ?? 0) + 2
        for entry in entries {
            let name = Layout.padded(entry.slug, to: width)
            guard let outcome = outcomes.first(where: { $0.entry == entry }) else {
                console.line("  \(name)not run")
                continue
            }
            let detail = switch outcome.termination {
            case .exited(0): ""
            case let .exited(status): "  (exit status \(status))"
            case let .killed(signal): "  (killed by signal \(signal))"
            }
            let verdict = Layout.padded(outcome.succeeded ? "ok" : "failed", to: 8)
            console.line("  \(name)\(verdict)\(Format.seconds(outcome.seconds))\(detail)")
        }
    }
}
