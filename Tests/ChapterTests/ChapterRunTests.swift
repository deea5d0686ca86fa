import Foundation
import Testing
import Workbook

/// Every chapter runs with `--quick` (a small slice of the data), passes all its checks,
/// and writes the figures it promises, each with its PDF, script and data.
@Suite struct ChaptersRunQuickly {
    /// The figures each chapter must write (names without extension).
    static let expectedFigures: [String: [String]] = [
        "01-patches": ["digit-patch-grid", "mosaic-m8", "mosaic-m16", "patch-count"],
        "02-em-gmm": [
            "em-convergence", "cross-validation", "bic", "component-means",
            "covariance-eigenvectors", "samples-vs-patches",
        ],
        "03-lagrange-weights": ["simplex-objective", "objective-along-lines"],
        "04-degenerate-init": ["loglik-by-initialization", "symmetry-breaking", "component-means"],
        "05-gsm-scale": ["gsm-log-likelihood", "gsm-marginal-tails", "gsm-scales", "gsm-mnist-collapse"],
        "06-joint-gaussian": [
            "prior-likelihood-posterior-2d", "patch-posterior", "restored-digits",
            "joint-covariance-monte-carlo", "posterior-mean-limits",
        ],
        "07-gmm-posterior": ["posterior-1d", "posterior-weights-vs-y"],
        "08-why-gmm": ["heldout-loglik-vs-k", "prior-samples", "gmm-component-means"],
        "09-denoise": ["patch-posterior", "component-means", "seed-score-terms", "psnr-per-digit", "restored-digits"],
        "12-segmentation": ["segmented-grid", "error-vs-k", "bits-vs-error", "em-traces", "synthetic-flat-colours"],
        "11-model-comparison": ["gsm-log-likelihood", "denoised-chelsea"],
        "10-denoised-grid": ["denoised-grid", "psnr-vs-patch-size", "psnr-vs-components", "psnr-vs-noise"],
        "13-epll": ["psnr-per-iteration-digits", "psnr-per-iteration-chelsea", "epll-digits", "epll-chelsea"],
    ]

    /// The build products directory (`.build/debug`), where the chapter binaries are.
    static let products: URL = {
        let runner = Bundle.main.executableURL ?? URL(fileURLWithPath: CommandLine.arguments[0])
        return runner.resolvingSymlinksInPath().deletingLastPathComponent()
    }()

    static func run(_ entry: ChapterEntry, figures: URL) throws -> (status: Int32, output: String) {
        let process = Process()
        process.executableURL = products.appendingPathComponent(entry.productName)
        process.arguments = ["--quick", "--figures", figures.path]
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        try process.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: data, as: UTF8.self))
    }

    @Test(arguments: ChapterCatalog.all.map(\.slug))
    func chapterPassesAndWritesItsFigures(slug: String) throws {
        let entry = try ChapterCatalog.entry(named: slug)
        let figures = FileManager.default.temporaryDirectory
            .appendingPathComponent("chapter-test-\(slug)-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: figures) }
        let (status, output) = try Self.run(entry, figures: figures)
        #expect(status == 0, "\(slug) failed:\n\(output)")
        let directory = figures.appendingPathComponent(slug)
        let record = try ChapterRecord.read(from: directory.appendingPathComponent("results.json"))
        #expect(record.checksFailed == 0)
        #expect(record.checksPassed > 0)
        let names = try #require(Self.expectedFigures[slug], "no expected figures listed for \(slug)")
        for name in names {
            for ext in ["png", "pdf", "gp", "dat"] {
                let path = directory.appendingPathComponent("\(name).\(ext)").path
                #expect(FileManager.default.fileExists(atPath: path), "missing \(path)")
            }
        }
    }
}
