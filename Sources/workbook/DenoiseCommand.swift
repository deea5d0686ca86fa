import ArgumentParser
import Figures
import Foundation
import Imaging
import Mixtures
import Restoration
import Workbook

/// `workbook denoise`: corrupts images under the protocol (blur, then seeded Gaussian
/// noise), restores them with a saved patch prior (patch averaging, or whole-image EPLL), and
/// reports MSE and PSNR.
struct DenoiseCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "denoise",
        abstract: "Corrupt images, restore them with a patch prior (patch averaging or EPLL), and measure MSE and PSNR.",
        discussion: """
            Digits: the images --offset ..< --offset + --count of an IDX file (the workbook's \
            test digits start at 1000). Photographs: one PNG, restored in gray. σ is in the \
            model's pixel units (0…255 for digits, 0…1 for photographs). --estimator epll \
            restores whole images by EPLL (Zoran and Weiss 2011) instead of averaging \
            independently restored patches.
            """
    )

    @Option(help: ArgumentHelp("The patch prior (.npz from `workbook fit`).", valueName: "file"))
    var model: String

    @Option(help: ArgumentHelp("An IDX file of digits or a PNG photograph.", valueName: "file"))
    var images: String

    @Option(name: .customLong("count"), parsing: .unconditional, help: "How many images of an IDX file (default: 100).")
    var countOption: Int?

    @Option(name: .customLong("offset"), parsing: .unconditional,
            help: "The index of the first image of an IDX file (default: 1000, the first test digit).")
    var offsetOption: Int?

    /// --count, 100 by default.
    var count: Int { countOption ?? 100 }
    /// --offset, 1000 by default.
    var offset: Int { offsetOption ?? 1000 }

    @Option(parsing: .unconditional, help: "The noise standard deviation (default 20 for digits, 20/255 for photographs).")
    var sigma: Double?

    @Option(help: "binomial3 or none (default: binomial3 for digits, none for photographs, as in the protocol).")
    var blur: String?

    @Option(help: "seed-map, map or mmse (patch averaging), or epll (whole-image EPLL with the evidence MAP patch step).")
    var estimator: String = "mmse"

    @OptionGroup var epll: EPLLArguments

    @Option(parsing: .unconditional, help: "The seed of the noise.")
    var seed: Int = 2026

    @Option(help: ArgumentHelp(
        "Write the corrupted and the restored images (corrupted-NNNN.png, restored-NNNN.png) and a grid figure here.",
        valueName: "dir"))
    var output: String?

    @Flag(help: "Print one JSON object instead of text.")
    var json = false

    func validate() throws {
        guard count >= 1, count <= Self.mostImages else {
            throw ValidationError("--count must be in 1…\(Self.mostImages), got \(count)")
        }
        guard offset >= 0, offset <= Self.mostImages else {
            throw ValidationError("--offset must be in 0…\(Self.mostImages), got \(offset)")
        }
        if let sigma { guard sigma > 0, sigma.isFinite else { throw ValidationError("--sigma must be positive, got \(sigma)") } }
        if let blur, Corruption.Blur(rawValue: blur) == nil {
            throw ValidationError("--blur must be binomial3 or none, got '\(blur)'")
        }
        _ = try method()
        guard seed >= 0 else { throw ValidationError("--seed must be 0 or more") }
    }

    /// The most images an IDX file can hold (its counts are 32-bit) bounds --count and --offset.
    static let mostImages = Int(Int32.max)

    func run() throws {
        if let output { try OutputLocation.prepareDirectory(output, what: "the output directory") }
        let patchModel = try PatchModel.load(from: URL(fileURLWithPath: model))
        let input = try ImageInput.read([images], count: offset + count)
        if !json { input.notes.forEach { StandardConsole().errorLine($0) } }
        if input.pixelScale == 1, countOption != nil || offsetOption != nil {
            throw InputError("--count and --offset choose digits of an IDX file, but '\(images)' is a photograph (PNG)")
        }
        let clean = input.pixelScale == 255 ? Array(input.images.dropFirst(offset)) : input.images
        guard !clean.isEmpty else {
            throw InputError("'\(images)' has \(input.images.count) images; none left after --offset \(offset)")
        }
        guard patchModel.metadata.pixelScale == input.pixelScale else {
            throw InputError("the model '\(model)' was fitted on pixels in \(ImageInput.range(patchModel.metadata.pixelScale)), "
                             + "but '\(images)' has pixels in \(ImageInput.range(input.pixelScale))")
        }
        let m = patchModel.metadata.patchSize
        guard clean[0].width >= m, clean[0].height >= m else {
            throw InputError("the model's \(m) x \(m) patches do not fit in the \(clean[0].width) x \(clean[0].height) images of '\(images)'")
        }
        let noise = sigma ?? 20 * input.pixelScale / 255
        let blurKind = blur.flatMap(Corruption.Blur.init(rawValue:)) ?? (input.pixelScale == 255 ? .binomial3 : .none)
        let corruption = try Corruption(blur: blurKind, sigma: noise)
        let experiment = try DenoisingExperiment(clean: clean, corruption: corruption, seed: UInt64(seed), peak: input.pixelScale)
        let result = try restoring(withModel: model) { try restore(experiment, with: patchModel) }
        let noisy = try experiment.corruptedScore()
        if let output { try write(experiment, result, to: output) }
        if json {
            let object: [String: Any] = [
                "images": clean.count, "estimator": estimator, "sigma": noise,
                "mse_noisy": noisy.mse, "psnr_noisy": noisy.psnr, "mse": result.mse, "psnr": result.psnr,
                "seconds": result.seconds,
            ]
            let data = try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])
            print(String(decoding: data, as: UTF8.self))
        } else {
            print("denoise: \(clean.count) image(s), \(corruption.blur == .none ? "no blur" : "binomial 3x3 blur"), "
                  + "σ = \(String(format: "%.4g", noise)), \(estimator), model \(patchModel.prior.kind) m = \(m)")
            print(String(format: "  corrupted  MSE %.6g  PSNR %.3f dB", noisy.mse, noisy.psnr))
            print(String(format: "  restored   MSE %.6g  PSNR %.3f dB", result.mse, result.psnr))
            print(String(format: "  %.3f s (%.3g ms per image)", result.seconds, 1000 * result.seconds / Double(clean.count)))
        }
    }

    /// The restoration the options choose (patch averaging or EPLL); every denoise estimator
    /// is offered.
    private func method() throws -> RestorationMethod {
        try RestorationMethod(estimator: estimator, beta: epll.beta, epllStart: epll.epllStart, offered: PatchEstimator.allCases)
    }

    /// Restores the corrupted images by patch averaging with a `PatchEstimator`, or by EPLL
    /// (from y, or from the patch-averaged MMSE images; the time includes that first pass).
    /// Progress lines go to standard error (none with --json).
    private func restore(_ experiment: DenoisingExperiment, with patchModel: PatchModel) throws -> Restored {
        let restoration = try method().prepared(model: patchModel, corruption: experiment.corruption)
        let console = StandardConsole()
        let start = Date()
        let restored = try restoration.restore(experiment.corrupted, progress: json ? nil : { console.errorLine("  " + $0) })
        let seconds = Date().timeIntervalSince(start)
        let (mse, psnr) = try experiment.score(restored)
        return Restored(images: restored, mse: mse, psnr: psnr, seconds: seconds)
    }

    /// The restored images of either method and their scores.
    private struct Restored {
        let images: [Image]
        let mse: Double
        let psnr: Double
        let seconds: Double
    }

    /// The corrupted and the restored images as PNG (clipped to [0, peak]; a corrupted one is
    /// a noisy image to try `workbook restore` on) and a grid of the first few.
    ///
    /// All of them are first written to a hidden staging directory inside `directory` (same
    /// file system) and renamed into place only when every one is complete, so a failure
    /// midway (a full disk, say) leaves `directory`, and any earlier files of the same
    /// names, as they were.
    private func write(_ experiment: DenoisingExperiment, _ result: Restored, to directory: String) throws {
        let staging = (directory as NSString).appendingPathComponent(".denoise-partial-\(UUID().uuidString.prefix(8))")
        guard mkdir(staging, 0o755) == 0 else {
            throw InputError("cannot write to the output directory '\(directory)': \(String(cString: strerror(errno)))")
        }
        defer { try? FileManager.default.removeItem(atPath: staging) }
        do {
            try writeFiles(experiment, result, to: staging)
        } catch {
            // Name the files where they were going, not the staging directory.
            throw InputError(String(describing: error).replacingOccurrences(of: staging, with: directory))
        }
        let files = try FileManager.default.contentsOfDirectory(atPath: staging).filter { !$0.hasPrefix(".") }.sorted()
        for name in files {
            let target = (directory as NSString).appendingPathComponent(name)
            guard rename((staging as NSString).appendingPathComponent(name), target) == 0 else {
                throw InputError("cannot move '\(name)' into '\(directory)': \(String(cString: strerror(errno)))")
            }
        }
        if !json { print("figure: \((directory as NSString).appendingPathComponent("denoise-grid.png"))") }
    }

    /// Writes the corrupted and restored images and the grid figure into `directory`.
    private func writeFiles(_ experiment: DenoisingExperiment, _ result: Restored, to directory: String) throws {
        let peak = experiment.peak
        for (prefix, images) in [("corrupted", experiment.corrupted), ("restored", result.images)] {
            for (index, image) in images.enumerated() {
                let name = String(format: "%@-%04d.png", prefix, index)
                try PNGFile.write(image.clipped(to: 0...peak).scaled(by: 1 / peak),
                                  to: (directory as NSString).appendingPathComponent(name))
            }
        }
        let shown = min(8, result.images.count)
        let rows = (0..<shown).map { i in
            [experiment.clean[i], experiment.corrupted[i], result.images[i]].map {
                ImageGrid.Cell(.gray($0.clipped(to: 0...peak), displayRange: 0...peak))
            }
        }
        try FigureWriter(directory: directory, announces: false).write(
            ImageGrid(rows: rows, title: "workbook denoise: \(estimator)",
                      columnTitles: ["original", "corrupted", "restored"]),
            name: "denoise-grid")
    }
}
