import Foundation
import Testing
import Workbook

/// The same chapter with the same seed prints the same numbers and draws the same PNGs.
@Suite struct ChaptersAreReproducible {
    /// Runs a chapter with `--quick` into a fresh folder (with `environment` added to its
    /// own) and returns that folder.
    static func runQuick(_ slug: String, seed: Int, environment: [String: String] = [:]) throws -> URL {
        let entry = try ChapterCatalog.entry(named: slug)
        let figures = FileManager.default.temporaryDirectory
            .appendingPathComponent("reproducible-\(slug)-\(UUID().uuidString)")
        let process = Process()
        process.executableURL = ChaptersRunQuickly.products.appendingPathComponent(entry.productName)
        process.arguments = ["--quick", "--seed", String(seed), "--figures", figures.path]
        process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        process.waitUntilExit()
        #expect(process.terminationStatus == 0)
        return figures.appendingPathComponent(slug)
    }

    /// The record without its timings (and, unless `checkValues`, without the values the
    /// checks measured, only whether they passed): every result and check as printed, except those
    /// whose label, text or unit speaks of time (seconds, milliseconds, minutes), with the
    /// run's own output folder replaced by `<figures>`.
    static func numbers(in directory: URL, checkValues: Bool = true) throws -> [String] {
        let record = try ChapterRecord.read(from: directory.appendingPathComponent("results.json"))
        let timeWords = ["time", "second", "ms", "µs", " s", "min", "/ s", "per s"]
        func isTiming(_ parts: String...) -> Bool {
            let text = parts.joined(separator: " ").lowercased()
            return timeWords.contains { text.contains($0) } || text.hasSuffix(" s")
        }
        let folder = directory.deletingLastPathComponent().path
        return record.steps.flatMap { step in
            step.results.filter { !isTiming($0.label, $0.text, $0.unit ?? "") }.map { "\($0.label) = \($0.text.replacingOccurrences(of: folder, with: "<figures>"))" }
                + step.checks.filter { !isTiming($0.label) }.map { "\($0.label) = \(checkValues ? $0.actual : "") \($0.passed)" }
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

    /// On one OpenBLAS thread and on two (and so on one and two EM pass threads, whose
    /// default follows OpenBLAS) a chapter fits the same models, reports the same results
    /// and draws the same PNGs: fits and restorations do not depend on the thread count.
    /// The values of its checks are compared for pass or fail only: a check's value is the
    /// rounding-level difference between two computations (10⁻¹⁴), and the chapters' own
    /// verification arithmetic calls OpenBLAS multi-threaded.
    @Test(arguments: ["04-degenerate-init", "09-denoise"])
    func oneAndTwoBLASThreadsAgree(slug: String) throws {
        let one = try Self.runQuick(slug, seed: 5, environment: ["OPENBLAS_NUM_THREADS": "1"])
        let two = try Self.runQuick(slug, seed: 5, environment: ["OPENBLAS_NUM_THREADS": "2"])
        defer {
            try? FileManager.default.removeItem(at: one.deletingLastPathComponent())
            try? FileManager.default.removeItem(at: two.deletingLastPathComponent())
        }
        let numbers = try Self.numbers(in: one, checkValues: false)
        #expect(numbers.count >= 5)
        #expect(try numbers == Self.numbers(in: two, checkValues: false))
        let pngs = try FileManager.default.contentsOfDirectory(atPath: one.path).filter { $0.hasSuffix(".png") }
        #expect(!pngs.isEmpty)
        for name in pngs {
            #expect(try Data(contentsOf: one.appendingPathComponent(name))
                    == Data(contentsOf: two.appendingPathComponent(name)), "\(name) differs between 1 and 2 threads")
        }
    }
}
