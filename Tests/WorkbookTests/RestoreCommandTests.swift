import Foundation
import Imaging
import Randomness
import Testing

/// `workbook restore`, run as a user would, on a 64 x 64 crop of chelsea made noisy here
/// (σ = 0.1, seeded), with a small prior fitted in the suite's fixture.
@Suite(SuiteFixtures(name: "restore", make: makeRestoreFixtures)) struct RestoreCommands {
    /// The true noise level of the noisy crops (photograph scale 0…1).
    static let sigma = 0.1

    let executable = WorkbookProgram()

    var fixtures: URL { get throws { try SuiteFixtures.directory("restore") } }

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

    /// Gray, and colour in either --colour mode, every method: the restoration is closer to
    /// the clean image than the noisy input is (PSNR with peak 1), and the output has the
    /// input's size and channels. The JSON names the colour mode and the channels restored.
    @Test(arguments: methods, [nil, "opponent", "rgb"])
    func restoringImprovesPSNR(method: [String], colourMode: String?) throws {
        let out = try makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(at: out) }
        let colour = colourMode != nil, kind = colour ? "rgb" : "gray"
        let output = out.appendingPathComponent("restored.png").path
        // A gray image ignores --colour; it is given to show that.
        let object = try restore(try path("noisy-\(kind).png"), to: output,
                                 method + ["--sigma", "0.1", "--reference", try path("clean-\(kind).png"),
                                           "--colour", colourMode ?? "rgb"])
        let psnr = try #require(object["psnr"] as? Double), input = try #require(object["psnr_input"] as? Double)
        #expect(psnr > input + 3, "\(method) \(colourMode ?? "gray"): \(psnr) dB against the input's \(input) dB")
        #expect(object["sigma"] as? [Double] == Array(repeating: 0.1, count: colour ? 3 : 1))
        #expect(object["colour"] as? String == colourMode ?? "gray")
        let names = try #require(object["channels_restored"] as? [String])
        let restoredSigmas = try #require(object["sigma_restored"] as? [Double])
        switch colourMode {
        case nil: #expect(names == ["gray"] && restoredSigmas == [0.1])
        case "rgb": #expect(names == ["R", "G", "B"] && restoredSigmas == [0.1, 0.1, 0.1])
        default: #expect(names == ["luminance", "red–blue", "green–magenta"] && restoredSigmas == [0.1, 0.1, 0.1])
        }
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

    /// With --colour rgb a colour image is restored channel by channel: channel c of the
    /// colour output equals the output for channel c alone, saved as a gray PNG (with σ
    /// estimated per channel, which gives the same σ̂ for the same values).
    @Test(arguments: methods)
    func rgbIsEachChannelRestoredAlone(method: [String]) throws {
        let out = try makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(at: out) }
        let colourOutput = out.appendingPathComponent("colour.png").path
        let colour = try restore(try path("noisy-rgb.png"), to: colourOutput, method + ["--colour", "rgb"])
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
    /// input, for each channel, in the text and in the JSON; the progress goes to stderr. In
    /// opponent mode (the default for colour) the one σ is the root mean square of the R, G,
    /// B estimates.
    @Test func sigmaAutoEstimatesTheNoiseLevel() throws {
        let out = try makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(at: out) }
        let object = try restore(try path("noisy-rgb.png"), to: out.appendingPathComponent("a.png").path)
        #expect(object["sigma_estimated"] as? Bool == true)
        #expect(object["colour"] as? String == "opponent")
        let sigmas = try #require(object["sigma"] as? [Double])
        #expect(sigmas.count == 3)
        for estimate in sigmas { #expect(abs(estimate / Self.sigma - 1) < 0.2, "σ̂ = \(estimate), σ = \(Self.sigma)") }
        let rms = (sigmas.map { $0 * $0 }.reduce(0, +) / 3).squareRoot()
        let used = try #require(object["sigma_restored"] as? [Double])
        #expect(used.count == 3 && used.allSatisfy { abs($0 / rms - 1) < 1e-14 }, "\(used) against \(rms)")
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

    /// Opponent mode's progress and summary name the opponent channels, with the one σ.
    @Test func opponentProgressNamesTheChannels() throws {
        let out = try makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(at: out) }
        let (status, text, errors) = try executable.workbook(
            ["restore", "--model", try path("model.npz"), "--input", try path("noisy-rgb.png"),
             "--output", out.appendingPathComponent("a.png").path, "--colour", "opponent", "--sigma", "0.1"])
        #expect(status == 0, "restore failed: \(errors)")
        #expect(errors.contains("opponent colour channels: one σ = 0.1\n"), "\(errors)")
        for line in ["channel luminance: σ = 0.1, mmse patch averaging", "channel red–blue: σ = 0.1, mmse",
                     "channel green–magenta: σ = 0.1, mmse", "channel green–magenta: restored in"] {
            #expect(errors.contains(line), "no '\(line)' in:\n\(errors)")
        }
        #expect(text.contains("colour: opponent, restored luminance (σ 0.1), red–blue (σ 0.1), green–magenta (σ 0.1)"), "\(text)")
    }

    /// A gray photograph stored as RGB (R = G = B) with independent noise in each channel:
    /// in opponent mode its chroma is pure noise, which the prior removes far more than in R,
    /// G and B, so the output stays nearly gray. Chroma is measured as the root mean square of
    /// x_c − (R + G + B)/3 over pixels and channels (√(2/3) σ ≈ 0.082 for the noise). It
    /// does not reach 0: a prior fitted with the patch mean removed takes each patch's noisy
    /// mean (noise σ/m) as it is, and averaging the overlapping patches only smooths it (to
    /// about 0.11 · √(2/3) σ ≈ 0.009 for m = 6). Measured on this fixture: opponent leaves
    /// 0.64, 0.62 and 0.49 times the chroma rgb leaves (mmse, map, EPLL), 1/7 to 1/9 of the noise's.
    @Test(arguments: [["--estimator", "mmse"], ["--estimator", "map"], ["--estimator", "epll"]])
    func aGrayPhotographStaysGray(method: [String]) throws {
        let out = try makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(at: out) }
        func chroma(_ image: Image) -> Double {
            var sum = 0.0
            for i in 0..<image.pixelCount {
                let rgb = image.pixels[3 * i..<3 * i + 3], mean = rgb.reduce(0, +) / 3
                sum += rgb.map { ($0 - mean) * ($0 - mean) }.reduce(0, +)
            }
            return (sum / Double(3 * image.pixelCount)).squareRoot()
        }
        let input = try path("noisy-grayrgb.png")
        var measured: [String: Double] = [:]
        for mode in ["opponent", "rgb"] {
            let output = out.appendingPathComponent("\(mode).png").path
            _ = try restore(input, to: output, method + ["--colour", mode, "--sigma", "0.1"], model: "model-mean-removed.npz")
            measured[mode] = chroma(try PNGFile.read(output, as: .native))
        }
        let noisy = chroma(try PNGFile.read(input, as: .native))
        let opponent = try #require(measured["opponent"]), rgb = try #require(measured["rgb"])
        #expect(opponent < noisy / 5, "\(method): chroma \(opponent) after opponent restoration, \(noisy) before")
        #expect(opponent < 0.8 * rgb, "\(method): chroma \(opponent) (opponent) against \(rgb) (rgb)")
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

    /// σ auto on a digit: most of its pixels are black, the noise there is clipped at 0, and
    /// σ̂ comes out low; the command says so (and says nothing on the photograph crop, with
    /// few clipped pixels).
    @Test func sigmaAutoWarnsAboutClippedPixels() throws {
        let out = try makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(at: out) }
        func errors(_ input: String, model: String) throws -> String {
            let (status, _, errors) = try executable.workbook(
                ["restore", "--model", try path(model), "--input", try path(input),
                 "--output", out.appendingPathComponent("a.png").path])
            #expect(status == 0, "restore failed: \(errors)")
            return errors
        }
        let digit = try errors("noisy-digit.png", model: "digit-model.npz")
        #expect(digit.contains("pixels are at 0 or at the peak 255") && digit.contains("give --sigma"), "\(digit)")
        #expect(!(try errors("noisy-gray.png", model: "model.npz")).contains("at 0 or at the peak"))
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

    /// A 16-bit input gives a 16-bit output, an 8-bit input an 8-bit one; the 16-bit
    /// restoration differs from the 8-bit one by no more than the 8-bit rounding.
    @Test func theOutputKeepsTheInputBitDepth() throws {
        let out = try makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(at: out) }
        let deep = out.appendingPathComponent("noisy-16.png").path
        try PNGFile.write(try PNGFile.read(try path("noisy-gray.png")), to: deep, bitDepth: .sixteen)
        let from16 = out.appendingPathComponent("from-16.png").path, from8 = out.appendingPathComponent("from-8.png").path
        _ = try restore(deep, to: from16, ["--sigma", "0.1"])
        _ = try restore(try path("noisy-gray.png"), to: from8, ["--sigma", "0.1"])
        let (sixteen, _, depth16) = try PNGFile.readWithAlpha(from16), (eight, _, depth8) = try PNGFile.readWithAlpha(from8)
        #expect(depth16 == .sixteen && depth8 == .eight)
        let gap = zip(sixteen.pixels, eight.pixels).map { abs($0 - $1) }.max()!
        #expect(gap <= 0.5 / 255 + 1e-12, "largest difference \(gap)")
        #expect(sixteen.pixels.contains { ($0 * 255).rounded() != $0 * 255 }, "the 16-bit output keeps levels between 8-bit ones")
    }

    /// An input with alpha (RGBA at 8 bits, gray + alpha at 16) gives an output with the
    /// input's alpha, unchanged, at the input's bit depth; the colours are restored as they
    /// are without alpha (at 8 bits, where the file keeps colour exactly under any alpha, the
    /// very same values). The JSON and the text say so; an input without alpha has none.
    @Test(arguments: [("rgb", PNGFile.BitDepth.eight), ("gray", .sixteen)])
    func theInputsAlphaIsKept(kind: String, bitDepth: PNGFile.BitDepth) throws {
        let out = try makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(at: out) }
        let colour = try PNGFile.read(try path("noisy-\(kind).png"))
        let maximum = bitDepth == .eight ? 255 : 65535
        var generator = SeededGenerator(seed: 77)
        // Transparent, opaque and translucent pixels, in blocks and at random.
        let levels = (0..<colour.pixelCount).map { i in i % 64 < 16 ? 0 : i % 64 < 32 ? maximum : generator.nextInt(below: maximum + 1) }
        let alpha = try Image(width: colour.width, height: colour.height, pixels: levels.map { Double($0) / Double(maximum) })
        let input = out.appendingPathComponent("with-alpha.png").path, plain = out.appendingPathComponent("plain.png").path
        try PNGFile.write(colour, alpha: alpha, to: input, bitDepth: bitDepth)
        try PNGFile.write(try PNGFile.read(input), to: plain, bitDepth: bitDepth)
        let output = out.appendingPathComponent("restored.png").path
        let object = try restore(input, to: output, ["--sigma", "0.1", "--colour", "rgb"])
        #expect(object["alpha"] as? Bool == true)
        let restored = try PNGFile.readWithAlpha(output)
        let kept = restored.alpha == alpha
        #expect(kept, "the output's alpha (\(restored.alpha?.shapeDescription ?? "none")) is not the input's")
        #expect(restored.bitDepth == bitDepth && restored.image.channels == colour.channels)
        let withoutAlpha = out.appendingPathComponent("restored-plain.png").path
        #expect(try restore(plain, to: withoutAlpha, ["--sigma", "0.1", "--colour", "rgb"])["alpha"] as? Bool == false)
        let alone = try PNGFile.readWithAlpha(withoutAlpha)
        #expect(alone.alpha == nil)
        if bitDepth == .eight {
            #expect(restored.image == alone.image)
        } else {
            // The 16-bit file stores colour under alpha level A to within 65535 / (2A) + 2.5
            // levels (PNGFile's note on alpha); transparent pixels' colours are lost.
            for i in 0..<colour.pixelCount where levels[i] > 0 {
                let tolerance = (65535 / (2 * Double(levels[i])) + 2.5) / 65535
                #expect(abs(restored.image.pixels[i] - alone.image.pixels[i]) <= tolerance, "pixel \(i), alpha level \(levels[i])")
            }
        }
        let (status, text, errors) = try executable.workbook(
            ["restore", "--model", try path("model.npz"), "--input", input, "--output", output, "--sigma", "0.1"])
        #expect(status == 0, "restore failed: \(errors)")
        #expect(text.contains("wrote '\(output)' (alpha kept)"), "\(text)")
    }

    /// σ auto reads the noise only where the input is visible: a picture whose left two thirds
    /// are transparent and stored as 0 gets the σ̂ of its visible part alone (the very same
    /// blocks: the cut is at an even column), and no note about pixels clipped at 0.
    @Test func sigmaAutoIgnoresTransparentPixels() throws {
        let out = try makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(at: out) }
        let colour = try PNGFile.read(try path("noisy-rgb.png"))
        let cut = 2 * (colour.width / 3), visibleWidth = colour.width - cut
        let hidden = try Image(width: colour.width, height: colour.height, channels: 3, pixels: colour.pixels.indices.map {
            ($0 / 3) % colour.width < cut ? 0 : colour.pixels[$0]
        })
        let alpha = try Image(width: colour.width, height: colour.height,
                              pixels: (0..<colour.pixelCount).map { $0 % colour.width < cut ? 0 : 1 })
        let visible = try Image(width: visibleWidth, height: colour.height, channels: 3, pixels: colour.pixels.indices.compactMap {
            ($0 / 3) % colour.width < cut ? nil : colour.pixels[$0]
        })
        let input = out.appendingPathComponent("mostly-transparent.png").path
        let visiblePart = out.appendingPathComponent("visible-part.png").path
        try PNGFile.write(hidden, alpha: alpha, to: input)
        try PNGFile.write(visible, to: visiblePart)
        let output = out.appendingPathComponent("restored.png").path
        let sigmas = try #require(try restore(input, to: output)["sigma"] as? [Double])
        let alone = try #require(try restore(visiblePart, to: output)["sigma"] as? [Double])
        #expect(sigmas == alone && sigmas.allSatisfy { $0 > 0 }, "\(sigmas) against \(alone)")
        let (status, _, errors) = try executable.workbook(
            ["restore", "--model", try path("model.npz"), "--input", input, "--output", output])
        #expect(status == 0, "restore failed: \(errors)")
        #expect(!errors.contains("at 0 or at the peak"), "\(errors)")
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
        (["--colour", "lab"], "--colour must be opponent or rgb, got 'lab'"),
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
    /// a digit prior and a held-out digit, clean and noisy (σ = 20 on 0…255); the gray crop
    /// stored as RGB (R = G = B) with noise of σ = 0.1 drawn for each channel, and a prior
    /// fitted with the patch mean removed to a 128 x 128 crop of camera (K = 5, m = 6).
    static func makeFixtures() throws -> URL {
        let f = FileManager.default.temporaryDirectory.appendingPathComponent("restore-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: f, withIntermediateDirectories: true)
        func file(_ name: String) -> String { f.appendingPathComponent(name).path }
        let data = FitAndDenoiseCommands.repository.appendingPathComponent("data/images")
        let training = try PNGFile.read(data.appendingPathComponent("camera.png").path, as: .gray)
            .cropped(x: 200, y: 200, width: 64, height: 64)
        try PNGFile.write(training, to: file("train.png"))
        try PNGFile.write(try PNGFile.read(data.appendingPathComponent("camera.png").path, as: .gray)
            .cropped(x: 100, y: 100, width: 128, height: 128), to: file("train-128.png"))
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
        let grayAsRGB = try PNGFile.read(file("clean-gray.png"), as: .native).rgb()
        try PNGFile.write(try addingGaussianNoise(to: grayAsRGB, sigma: sigma, generator: &generator), to: file("noisy-grayrgb.png"))
        let workbook = BuiltProduct(name: "workbook")
        for (images, name) in [(file("train.png"), "model.npz"), (FitAndDenoiseCommands.digits, "digit-model.npz")] {
            let fitted = try workbook.run(["fit", "--images", images, "--count", "30", "--patch", "6", "--components", "3",
                                           "--max-iterations", "5", "--output", file(name)])
            guard fitted.status == 0 else { throw FixtureError(reason: "fitting \(name): \(fitted.errors)") }
        }
        let fitted = try workbook.run(["fit", "--images", file("train-128.png"), "--patch", "6", "--components", "5",
                                       "--max-iterations", "10", "--remove-patch-mean", "--output", file("model-mean-removed.npz")])
        guard fitted.status == 0 else { throw FixtureError(reason: "fitting model-mean-removed.npz: \(fitted.errors)") }
        return f
    }
}

/// The suite's fixtures, named by a function outside the suite (its `@Suite` attribute cannot
/// name the suite's own members).
private func makeRestoreFixtures() throws -> URL { try RestoreCommands.makeFixtures() }
