import ArgumentParser
import Foundation
import Imaging
import Mixtures
import Restoration
import Workbook

/// `workbook restore`: restores a noisy PNG the user already has (no clean image needed),
/// gray or colour, with a saved patch prior, by patch averaging or EPLL; σ is given or
/// estimated from the image (`estimatedNoiseSigma`).
///
/// The observation model is the protocol's, y = B x + σ ε on the model's pixel scale (B the
/// identity or the binomial blur). A colour image is restored with the gray prior one gray
/// channel at a time, in the opponent colour channels (luminance, red–blue, green–magenta, with
/// one common σ) or in R, G and B (as Zoran and Weiss's code does for colour): `ColourMode`.
struct RestoreCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "restore",
        abstract: "Restore your own noisy PNG (gray or colour) with a patch prior; σ given or estimated.",
        discussion: """
            The PNG is read in its own colours (gray or RGB; an alpha channel is not noise: it \
            is neither restored nor composited, but copied unchanged to the output) and its \
            values in [0, 1] are scaled to the model's pixels (× 1 for \
            photograph priors, × 255 for digit priors). A colour image is restored one gray \
            channel at a time with the gray prior: with --colour opponent in the orthonormal \
            opponent channels luminance (R + G + B)/√3, red–blue (R − B)/√2 and green–magenta \
            (R − 2G + B)/√6 (white noise of σ in R, G and B stays white noise of σ in them), \
            which needs one σ for R, G and B (the root mean square of the three with --sigma \
            auto); with --colour rgb in R, G and B, each with its own σ. \
            σ is the standard deviation of white Gaussian noise in those \
            units; --sigma auto (the default) estimates it for each channel from the finest \
            diagonal Haar detail of its visible pixels (median |h| / 0.6745, Donoho and \
            Johnstone; with alpha, over the 2 x 2 blocks with alpha > 0 throughout), which assumes \
            white noise and reads fine texture as noise (it then overestimates σ). The result \
            is clipped to the pixel range and written as a PNG with the input's channels, alpha \
            and bit depth (16 or 8; under alpha a < 1 a 16-bit file keeps colour only to within \
            about 1/(2 · 65535 a), a limit of libpng's premultiplied 16-bit format), atomically: \
            --output may be the input itself, which is replaced only when the restoration has \
            succeeded. --reference (a clean image of the same size and \
            channels) adds MSE and PSNR of the input and of the restoration.
            """
    )

    @Option(help: ArgumentHelp("The patch prior (.npz from `workbook fit`).", valueName: "file"))
    var model: String

    @Option(help: ArgumentHelp("The noisy PNG, gray or colour.", valueName: "file"))
    var input: String

    @Option(help: ArgumentHelp("The restored PNG; its directory must exist.", valueName: "file"))
    var output: String

    @Option(parsing: .unconditional, help: ArgumentHelp(
        "The noise standard deviation in the model's pixel units (0…1 for photograph priors, 0…255 for digit priors), or auto: estimated per channel.",
        valueName: "σ|auto"))
    var sigma: String = "auto"

    @Option(help: "mmse or map (patch averaging), or epll (whole-image EPLL with the evidence MAP patch step).")
    var estimator: String = "mmse"

    @Option(help: "binomial3 or none: the blur the image went through before the noise.")
    var blur: String = "none"

    @OptionGroup var epll: EPLLArguments

    @Option(help: ArgumentHelp(
        "How a colour image is restored: opponent (luminance, red–blue, green–magenta; one common σ) or rgb (R, G, B alone). A gray image ignores it.",
        valueName: "mode"))
    var colour: String = ColourMode.opponent.rawValue

    @Option(help: ArgumentHelp("A clean image of the same size and channels: report MSE and PSNR.", valueName: "file"))
    var reference: String?

    @Flag(help: "Print one JSON object instead of text (and no progress).")
    var json = false

    func validate() throws {
        guard output.lowercased().hasSuffix(".png") else {
            throw ValidationError("--output must name a .png file (the result is written as PNG), got '\(output)'")
        }
        _ = try givenSigma()
        guard Corruption.Blur(rawValue: blur) != nil else {
            throw ValidationError("--blur must be binomial3 or none, got '\(blur)'")
        }
        guard ColourMode(rawValue: colour) != nil else {
            throw ValidationError("--colour must be opponent or rgb, got '\(colour)'")
        }
        _ = try method()
    }

    /// σ from --sigma, or nil for auto.
    private func givenSigma() throws -> Double? {
        guard sigma != "auto" else { return nil }
        guard let value = Double(sigma), value > 0, value.isFinite else {
            throw ValidationError("--sigma must be positive and finite (in the model's pixel units) or auto, got '\(sigma)'")
        }
        return value
    }

    /// Patch averaging with the MMSE or MAP patch estimate, or EPLL.
    private func method() throws -> RestorationMethod {
        try RestorationMethod(estimator: estimator, beta: epll.beta, epllStart: epll.epllStart, offered: [.mmse, .map])
    }

    func run() throws {
        let method = try method()
        let console = StandardConsole()
        try OutputLocation.requireWritableFile(output, what: "the restored image")
        let patchModel = try PatchModel.load(from: URL(fileURLWithPath: model))
        let peak = patchModel.metadata.pixelScale, m = patchModel.metadata.patchSize
        let (file, alpha, bitDepth) = try PNGFile.readWithAlpha(input, as: .native)
        let noisy = file.scaled(by: peak)
        guard noisy.width >= m, noisy.height >= m else {
            throw InputError("the model's \(m) x \(m) patches do not fit in the \(noisy.width) x \(noisy.height) image '\(input)'")
        }
        let clean = try reference.map { try readReference($0, like: noisy, peak: peak) }
        let channels = try (0..<noisy.channels).map { try noisy.channel($0) }
        let names = noisy.isGray ? ["gray"] : ColourMode.rgbChannelNames
        let given = try givenSigma()
        let sigmas = try zip(channels, names).map { channel, name in
            try given ?? estimatedSigma(of: channel, named: name, visibleWhere: alpha)
        }
        if given == nil && !json {
            for (channel, name) in zip(channels, names) {
                if let note = Self.clippingNote(channel, named: name, peak: peak, visibleWhere: alpha) { console.errorLine(note) }
            }
        }
        let blurKind = Corruption.Blur(rawValue: blur)!
        let colourMode = ColourMode(rawValue: colour)!
        let parts = noisy.isGray ? [(channel: noisy, name: "gray", sigma: sigmas[0])]
            : try colourMode.split(noisy, rgbSigmas: sigmas)
        let opponent = !noisy.isGray && colourMode == .opponent
        if opponent && !json {
            console.errorLine("opponent colour channels: one σ = \(format(ColourMode.commonSigma(sigmas)))"
                              + (given == nil ? " (root mean square of the R, G, B estimates)" : ""))
        }

        var restored: [Image] = [], seconds: [Double] = []
        for (c, part) in parts.enumerated() {
            let corruption = try Corruption(blur: blurKind, sigma: part.sigma)
            let tag = noisy.isGray ? "" : "channel \(part.name): "
            if !json {
                let estimated = given == nil ? (opponent ? " (from the estimates)" : " (estimated)") : ""
                console.errorLine(tag + "σ = \(format(part.sigma))\(estimated), \(method.description(for: corruption))")
            }
            let start = Date()
            let result = try restoring(withModel: model) {
                try method.prepared(model: patchModel, corruption: corruption).restore([part.channel]) { line in
                    if !json { console.errorLine("  " + tag + line) }
                }
            }
            restored.append(result[0])
            seconds.append(Date().timeIntervalSince(start))
            if !json { console.errorLine("  " + tag + String(format: "restored in %.2f s", seconds[c])) }
        }
        let result = noisy.isGray ? restored[0] : try colourMode.merged(restored)
        try PNGFile.write(result.clipped(to: 0...peak).scaled(by: 1 / peak), alpha: alpha, to: output, bitDepth: bitDepth)
        let scores = try clean.map { clean in
            (input: try Score(noisy, against: clean, peak: peak), restored: try Score(result, against: clean, peak: peak))
        }
        let total = seconds.reduce(0, +)
        if json {
            var object: [String: Any] = [
                "input": input, "output": output, "model": model, "width": noisy.width, "height": noisy.height,
                "channels": noisy.channels, "estimator": estimator, "blur": blur, "sigma": sigmas,
                "sigma_estimated": given == nil, "seconds": total, "seconds_per_channel": seconds,
                "colour": noisy.isGray ? "gray" : colour, "channels_restored": parts.map(\.name),
                "sigma_restored": parts.map(\.sigma), "alpha": alpha != nil,
            ]
            if let scores {
                object["mse_input"] = scores.input.mse
                object["psnr_input"] = Score.json(scores.input.psnr)
                object["mse"] = scores.restored.mse
                object["psnr"] = Score.json(scores.restored.psnr)
            }
            let data = try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])
            print(String(decoding: data, as: UTF8.self))
        } else {
            print("restore: '\(input)' (\(noisy.shapeDescription)), model '\(model)' (\(patchModel.prior.kind), m = \(m), "
                  + "pixels 0…\(format(peak))), \(estimator), \(blurKind == .none ? "no blur" : "binomial 3x3 blur")")
            let perChannel = zip(names, sigmas).map { noisy.isGray ? format($1) : "\($0) \(format($1))" }
            print("  σ \(given == nil ? "estimated" : "given") (model units): " + perChannel.joined(separator: ", "))
            if !noisy.isGray {
                print("  colour: \(colour), restored " + parts.map { "\($0.name) (σ \(format($0.sigma)))" }.joined(separator: ", "))
            }
            if let scores, let reference {
                print("  against '\(reference)':")
                print(String(format: "    input     MSE %.6g  PSNR %.3f dB", scores.input.mse, scores.input.psnr))
                print(String(format: "    restored  MSE %.6g  PSNR %.3f dB", scores.restored.mse, scores.restored.psnr))
            }
            print(String(format: "  %.2f s; wrote ", total) + "'\(output)'" + (alpha != nil ? " (alpha kept)" : ""))
        }
    }

    /// σ̂ of one channel, from its visible pixels (alpha > 0; all of them without alpha); a
    /// channel without diagonal detail (σ̂ = 0) cannot be restored with it.
    private func estimatedSigma(of channel: Image, named name: String, visibleWhere alpha: Image?) throws -> Double {
        let which = name == "gray" ? "" : "channel \(name) of "
        let estimate: Double
        do {
            estimate = try estimatedNoiseSigma(channel, visibleWhere: alpha)
        } catch .invalidParameter(let reason) {
            throw InputError("\(which)'\(input)': \(reason); give --sigma")
        }
        guard estimate > 0 else {
            throw InputError("the noise level of \(which)'\(input)' is estimated as 0 (most of its 2 x 2 blocks have no "
                             + "diagonal detail: it looks noise-free, or its noise is not white); give --sigma")
        }
        return estimate
    }

    /// A warning when over 5% of a channel's visible pixels (alpha > 0; all of them without
    /// alpha) sit at 0 or at the peak. Noise clipped there is smaller than σ (on a digit's
    /// black background, about half of it is cut off), so σ̂ comes out too low, and the
    /// restoration keeps too much noise.
    static func clippingNote(_ channel: Image, named name: String, peak: Double, visibleWhere alpha: Image? = nil) -> String? {
        var visible = 0, clipped = 0
        for (index, value) in channel.pixels.enumerated() where alpha.map({ $0.pixels[index] > 0 }) ?? true {
            visible += 1
            if value <= 0 || value >= peak { clipped += 1 }
        }
        let fraction = Double(clipped) / Double(max(visible, 1))
        guard fraction > 0.05 else { return nil }
        let which = name == "gray" ? "the image's" : "channel \(name)'s"
        return String(format: "note: %.0f%% of %@ pixels are at 0 or at the peak %@: noise clipped there reads as less "
                      + "than it is, so the estimated σ is probably too low; give --sigma if you know it",
                      100 * fraction, which, String(format: "%g", peak))
    }

    /// The clean reference on the model's pixel scale, read as the input is; it must have the
    /// input's size and channels.
    private func readReference(_ path: String, like noisy: Image, peak: Double) throws -> Image {
        let clean = try PNGFile.read(path, as: .native).scaled(by: peak)
        guard clean.hasSameShape(as: noisy) else {
            throw InputError("the reference '\(path)' is \(clean.shapeDescription) but the input '\(input)' is "
                             + "\(noisy.shapeDescription): they must have the same size and channels")
        }
        return clean
    }

    /// The protocol's MSE and PSNR of an image against the reference (clipped to [0, peak]).
    private struct Score {
        let mse: Double
        let psnr: Double

        init(_ image: Image, against reference: Image, peak: Double) throws {
            mse = try meanSquaredError(estimate: image, reference: reference, clippedTo: peak)
            psnr = try peakSignalToNoiseRatio(estimate: image, reference: reference, peak: peak)
        }

        /// A PSNR for JSON, which has no infinity: null when the image equals the reference.
        static func json(_ psnr: Double) -> Any { psnr.isFinite ? psnr : NSNull() }
    }

    /// Four significant digits.
    private func format(_ value: Double) -> String { String(format: "%.4g", value) }
}
