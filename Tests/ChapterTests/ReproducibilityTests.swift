import Foundation
import Testing
import Workbook

/// The same chapter with the same seed prints the same numbers and draws the same PNGs.
@Suite struct ChaptersAreReproducible {
    /// Runs a chapter with `--quick` into a fresh folder and returns that folder.
    static func runQuick(_ slug: String, seed: Int) throws -> URL {
        let entry = try ChapterCatalog.entry(named: slug)
        let figures = FileManager.default.temporaryDirectory
            .appendingPathComponent("reproducible-\(slug)-\(UUID().uuidString)")
        let process = Process()
        process.executableURL = ChaptersRunQuickly.products.appendingPathComponent(entry.productName)
        process.arguments = ["--quick", "--seed", String(seed), "--figures", figures.path]
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        process.waitUntilExit()
        #expect(process.terminationStatus == 0)
        return figures.appendingPathComponent(slug)
    }

    /// The record without its timings: every result and check as printed, except those
    /// whose label, text or unit speaks of time (seconds, milliseconds, minutes), with the
    /// run's own output folder replaced by `<figures>`.
    static func numbers(in directory: URL) throws -> [String] {
        let record = try ChapterRecord.read(from: directory.appendingPathComponent("results.json"))
        let timeWords = ["time", "second", "ms", "µs", " s", "min", "/ s", "per s"]
        func isTiming(_ parts: String...) -> Bool {
            let text = parts.joined(separator: " ").lowercased()
            return timeWords.contains { text.contains($0) } || text.hasSuffix(" s")
        }
        let folder = directory.deletingLastPathComponent().path
        return record.steps.flatMap { step in
            step.results.filter { !isTiming($0.label, $0.text, $0.unit ?? "") }.map { "\($0.label) = \($0.text.replacingOccurrences(of: folder, with: "<figures>"))" }
                + step.checks.filter { !isTiming($0.label) }.map { "\($0.label) = \($0.actual) \($0.passed)" }
        }
    }

    @Test(arguments: ["01-patches", "04-degenerate-init", "09-denoise"])
    func twoRunsWithOneSeedAgree(slug: String) throws {
        let first = try Self.runQuick(slug, seed: 11), second = try Self.runQuick(slug, seed: 11)
        defer {
            try? FileManager.default.removeItem(at: first.deletingLastPathComponent())
            try? FileManager.default.removeItem(at: second.deletingLastPathComponent())
        }
        let numbers = try Self.numbers(in: first)
        #expect(numbers.count >= 5, "too few numbers to compare: \(numbers)")
        #expect(try numbers == Self.numbers(in: second))
        let pngs = try FileManager.default.contentsOfDirectory(atPath: first.path).filter { $0.hasSuffix(".png") }
        #expect(!pngs.isEmpty)
        for name in pngs {
            #expect(try Data(contentsOf: first.appendingPathComponent(name))
                    == Data(contentsOf: second.appendingPathComponent(name)), "\(name) differs between runs")
        }
    }
}
