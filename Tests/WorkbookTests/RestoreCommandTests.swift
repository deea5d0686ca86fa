import Foundation
import Imaging
import Randomness
import Testing

/// `workbook restore`, run as a user would, on a 64 x 64 crop of chelsea made noisy here
/// (σ = 0.1, seeded), with a small prior fitted in the suite's fixture.
@Suite(RestoreFixtures()) struct RestoreCommands {
    /// The true noise level of the noisy crops (photograph scale 0…1).
    static let sigma = 0.1

    let executable = WorkbookProgram()

    var fixtures: URL { get throws { try #require(RestoreFixtures.directory, "the suite's fixtures were not made") } }

    func path(_ name: String) throws -> String { try fixtures.appendingPathComponent(name).path }

    /// Runs `workbook restore` with the fixture model and `--json`; returns the JSON object.
    func restore(_ input: String, to output: String, _ extra: [String] = [], model: String = "model.npz") throws -> [String: Any] {
        let (status, text, errors) = try executable.workbook(
            ["restore", "--model", try path(model), "--input", input, "--output", output, "--json"] + extra)
        #expect(status == 0, "restore failed: \(errors)")
        #expect(errors.isEmpty, "--json prints no progress: \(errors)")
        return try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
    }

    static let methods: [[String]] = [["--estimator", "mmse"], ["--estimator", "map"],
                                      ["--estimator", "epll", "--beta", "1", "--beta", "4"]]

    /// Gray and colour, every method: the restoration is closer to the clean image than the
    /// noisy input is (PSNR with peak 1), and the output has the input's size and channels.
    @Test(arguments: methods, [false, true])
    func restoringImprovesPSNR(method: [String], colour: Bool) throws {
        let out = try makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(at: out) }
        let kind = colour ? "rgb" : "gray"
        let output = out.appendingPathComponent("restored.png").path
        let object = try restore(try path("noisy-\(kind).png"), to: output,
                                 method + ["--sigma", "0.1", "--reference", try path("clean-\(kind).png")])
        let psnr = try #require(object["psnr"] as? Double), input = try #require(object["psnr_input"] as? Double)
        #expect(psnr > input + 3, "\(method) \(kind): \(psnr) dB against the input's \(input) dB")
        #expect(object["sigma"] as? [Double] == Array(repeating: 0.1, count: colour ? 3 : 1))
        let restored = try PNGFile.read(output, as: .native)
        #expect(restored.width == 64 && restored.height == 64 && restored.channels == (colour ? 3 : 1))
        // The PSNR printed is the PSNR of the file written (up to its 8-bit rounding).
        let clean = try PNGFile.read(try path("clean-\(kind).png"), as: .native)
        let written = try peakSignalToNoiseRatio(estimate: restored, reference: clean, peak: 1)
        #expect(abs(written - psnr) < 0.05, "file \(written) dB, reported \(psnr) dB")
    }

    /// The same input gives the same output bytes (no randomness is involved).
    @Test(arguments: methods)
    func theOutputIsDeterministic(method: [String]) throws {
        let out = try makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(at: out) }
        let first = out.appendingPathComponent("first.png").path, second = out.appendingPathComponent("second.png").path
        _ = try restore(try path("noisy-rgb.png"), to: first, method)
        _ = try restore(try path("noisy-rgb.png"), to: second, method)
        #expect(try Data(contentsOf: URL(fileURLWithPath: first)) == Data(contentsOf: URL(fileURLWithPath: second)))
    }

    /// A colour image is restored channel by channel: channel c of the colour output equals
    /// the output for channel c alone, saved as a gray PNG (with σ estimated per channel,
    /// which gives the same σ̂ for the same values).
    @Test(arguments: methods)
    func colourIsEachChannelRestoredAlone(method: [String]) throws {
        let out = try makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(at: out) }
        let colourOutput = out.appendingPathComponent("colour.png").path
        let colour = try restore(try path("noisy-rgb.png"), to: colourOutput, method)
        let restored = try PNGFile.read(colourOutput, as: .native)
        #expect(restored.channels == 3)
        let sigmas = try #require(colour["sigma"] as? [Double])
        for c in 0..<3 {
            let grayOutput = out.appendingPathComponent("channel-\(c).png").path
            let gray = try restore(try path("noisy-channel-\(c).png"), to: grayOutput, method)
            #expect(gray["sigma"] as? [Double] == [sigmas[c]])
            let alone = try PNGFile.read(grayOutput, as: .native)
            #expect(alone.channels == 1)
            #expect(try restored.channel(c) == alone, "channel \(c) differs from its gray restoration")
        }
    }

    /// --sigma auto (the default) prints an estimate within 20 % of the σ that made the
    /// input, for each channel, in the text and in the JSON; the progress goes to stderr.
    @Test func sigmaAutoEstimatesTheNoiseLevel() throws {
        let out = try makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(at: out) }
        let object = try restore(try path("noisy-rgb.png"), to: out.appendingPathComponent("a.png").path)
        #expect(object["sigma_estimated"] as? Bool == true)
        let sigmas = try #require(object["sigma"] as? [Double])
        #expect(sigmas.count == 3)
        for estimate in sigmas { #expect(abs(estimate / Self.sigma - 1) < 0.2, "σ̂ = \(estimate), σ = \(Self.sigma)") }
        let (status, text, errors) = try executable.workbook(
            ["restore", "--model", try path("model.npz"), "--input", try path("noisy-gray.png"),
             "--output", out.appendingPathComponent("b.png").path, "--estimator", "epll", "--beta", "1", "--beta", "4"])
        #expect(status == 0, "restore failed: \(errors)")
        let line = try #require(text.split(separator: "\n").first { $0.contains("σ estimated") }, "no σ line in:\n\(text)")
        let estimate = try #require(Double(line.split(separator: " ").last ?? ""), "no number in '\(line)'")
        #expect(abs(estimate / Self.sigma - 1) < 0.2, "σ̂ = \(estimate)")
        #expect(errors.contains("EPLL 1/2: β = 1/σ²") && errors.contains("EPLL 2/2: β = 4/σ²"), "progress:\n\(errors)")
        #expect(errors.contains("(estimated), EPLL, 2 β steps from y"))
    }

    /// A digit prior (pixels 0…255) restores a digit PNG: the PNG's [0, 1] values are scaled
    /// to 0…255, σ is given in those units, and the output is scaled back.
    @Test func aDigitPriorRestoresADigitPNG() throws {
        let out = try makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(at: out) }
        let output = out.appendingPathComponent("digit.png").path
        let object = try restore(try path("noisy-digit.png"), to: output,
                                 ["--sigma", "20", "--reference", try path("clean-digit.png")], model: "digit-model.npz")
        // This small prior (K = 3, 30 digits, no blur) gains about 2.6 dB; a 0…255 prior
        // applied to values in [0, 1] would see σ = 20 as noise 255 times the image.
        let psnr = try #require(object["psnr"] as? Double), input = try #require(object["psnr_input"] as? Double)
        #expect(psnr > input + 1, "\(psnr) dB against the input's \(input) dB")
        let restored = try PNGFile.read(output, as: .native)
        let clean = try PNGFile.read(try path("clean-digit.png"), as: .native)
        let written = try peakSignalToNoiseRatio(estimate: restored, reference: clean, peak: 1)
        #expect(abs(written - psnr) < 0.05, "the output is on the PNG's scale: \(written) dB against \(psnr) dB")
    }

    /// --output may be the input: it is replaced, atomically, by the same restoration a
    /// separate output gets.
    @Test func theInputCanBeReplacedByItsRestoration() throws {
        let out = try makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(at: out) }
        let copy = out.appendingPathComponent("photo.png").path, separate = out.appendingPathComponent("separate.png").path
        try FileManager.default.copyItem(atPath: try path("noisy-rgb.png"), toPath: copy)
        _ = try restore(copy, to: separate)
        _ = try restore(copy, to: copy)
        #expect(try Data(contentsOf: URL(fileURLWithPath: copy)) == Data(contentsOf: URL(fileURLWithPath: separate)))
        let left = try FileManager.default.contentsOfDirectory(atPath: out.path).sorted()
        #expect(left == ["photo.png", "separate.png"], "no temporary file is left: \(left)")
    }

    /// On a full disk (every write fails) the earlier file at --output stays as it was and
    /// nothing else is left in its directory.
    @Test func anOutputThatCannotBeWrittenLeavesTheEarlierFile() throws {
        let out = try makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(at: out) }
        let output = out.appendingPathComponent("restored.png")
        try Data("earlier image".utf8).write(to: output)
        let ending = try BuiltProduct(name: "workbook").run(
            ["restore", "--model", try path("model.npz"), "--input", try path("noisy-gray.png"), "--output", output.path],
            fileSizeLimit: 0)
        #expect(ending.exited && ending.status == 1)
        #expect(ending.errors.contains(output.path) && ending.errors.contains("File too large"), "\(ending.errors)")
        #expect(try Data(contentsOf: output) == Data("earlier image".utf8))
        #expect(try FileManager.default.contentsOfDirectory(atPath: out.path) == ["restored.png"])
    }

    @Test(arguments: [
        (["--sigma", "0"], "--sigma must be positive"),
        (["--sigma", "nan"], "--sigma must be positive"),
        (["--sigma", "inf"], "--sigma must be positive"),
        (["--sigma", "loud"], "--sigma must be positive"),
        (["--estimator", "seed-map"], "--estimator must be mmse, map or epll"),
        (["--blur", "gaussian"], "--blur must be binomial3 or none"),
        (["--beta", "4"], "--beta sets EPLL's schedule"),
        (["--estimator", "epll", "--beta", "0"], "every --beta must be positive"),
        (["--epll-start", "patch-average"], "--epll-start sets where EPLL starts"),
    ])
    func badUsageExitsTwo(extra: [String], mentioned: String) throws {
        let (status, _, errors) = try executable.workbook(
            ["restore", "--model", "m.npz", "--input", "in.png", "--output", "out.png"] + extra)
        #expect(status == 2)
        #expect(errors.contains(mentioned), "\(errors)")
    }

    /// The fixtures: a prior fitted to a 64 x 64 crop of camera, the 64 x 64 crop of chelsea
    /// at (200, 60) in colour and gray, noisy copies (σ = 0.1, seeded, clipped to [0, 1] and
    /// rounded to 8 bits by the PNG writer), the noisy colour crop's channels as gray PNGs;
    /// a digit prior and a held-out digit, clean and noisy (σ = 20 on 0…255).
    static func makeFixtures() throws -> URL {
        let f = FileManager.default.temporaryDirectory.appendingPathComponent("restore-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: f, withIntermediateDirectories: true)
        func file(_ name: String) -> String { f.appendingPathComponent(name).path }
        let data = FitAndDenoiseCommands.repository.appendingPathComponent("data/images")
        let training = try PNGFile.read(data.appendingPathComponent("camera.png").path, as: .gray)
            .cropped(x: 200, y: 200, width: 64, height: 64)
        try PNGFile.write(training, to: file("train.png"))
        let colour = try PNGFile.read(data.appendingPathComponent("chelsea.png").path, as: .native)
            .cropped(x: 200, y: 60, width: 64, height: 64)
        var generator = SeededGenerator(seed: 2026)
        for (kind, clean) in [("rgb", colour), ("gray", colour.gray())] {
            try PNGFile.write(clean, to: file("clean-\(kind).png"))
            let reread = try PNGFile.read(file("clean-\(kind).png"), as: .native)
            try PNGFile.write(try addingGaussianNoise(to: reread, sigma: sigma, generator: &generator), to: file("noisy-\(kind).png"))
        }
        let noisy = try PNGFile.read(file("noisy-rgb.png"), as: .native)
        for c in 0..<3 { try PNGFile.write(try noisy.channel(c), to: file("noisy-channel-\(c).png")) }
        let digit = try IDXFile.readImages(at: FitAndDenoiseCommands.digits, limit: 1001)[1000]
        try PNGFile.write(digit.scaled(by: 1.0 / 255), to: file("clean-digit.png"))
        try PNGFile.write(try addingGaussianNoise(to: digit, sigma: 20, generator: &generator).scaled(by: 1.0 / 255),
                          to: file("noisy-digit.png"))
        let workbook = BuiltProduct(name: "workbook")
        for (images, name) in [(file("train.png"), "model.npz"), (FitAndDenoiseCommands.digits, "digit-model.npz")] {
            let fitted = try workbook.run(["fit", "--images", images, "--count", "30", "--patch", "6", "--components", "3",
                                           "--max-iterations", "5", "--output", file(name)])
            guard fitted.status == 0 else { throw FixtureError(reason: "fitting \(name): \(fitted.errors)") }
        }
        return f
    }
}

/// Makes the fixtures once for the whole suite and removes them after it.
struct RestoreFixtures: SuiteTrait, TestScoping {
    /// The fixtures directory, while the suite runs.
    @TaskLocal static var directory: URL?

    func provideScope(
        for test: Test, testCase: Test.Case?, performing function: @Sendable () async throws -> Void
    ) async throws {
        let directory = try RestoreCommands.makeFixtures()
        defer { try? FileManager.default.removeItem(at: directory) }
        try await Self.$directory.withValue(directory) { try await function() }
    }
}
