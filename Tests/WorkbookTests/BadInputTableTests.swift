import Foundation
import Imaging
import Testing

/// Bad input to `workbook fit`, `workbook denoise`, `workbook restore` and a chapter (`ch01-patches --data`),
/// run as a user would: every row ends with one clear message that names the input and the
/// problem, exit status 1 (2 for a usage error), no crash, and the output destination
/// exactly as it was before: the earlier files there (sentinels written first) intact, and
/// no new, temporary or partial file beside them. The README's "Troubleshooting: bad
/// input" section is this table.
@Suite(SuiteFixtures(name: "bad input", make: makeBadInputFixtures)) struct BadInputTable {
    /// One row. In `arguments` and `mentions`, "$F" stands for the fixtures directory and
    /// "$OUT" for a fresh output directory that already holds the program's sentinel files.
    struct Row: Sendable, CustomTestStringConvertible {
        let input: String
        let program: String
        let arguments: [String]
        let status: Int32
        let mentions: [String]
        var testDescription: String { input }
    }

    static let digits = FitAndDenoiseCommands.digits
    static let labels = FitAndDenoiseCommands.labels

    static func fit(_ input: String, images: String, _ extra: [String] = [], status: Int32 = 1, mentions: [String]) -> Row {
        Row(input: input, program: "workbook",
            arguments: ["fit", "--images", images, "--patch", "4", "--components", "2", "--max-iterations", "2",
                        "--output", "$OUT/model.npz"] + extra,
            status: status, mentions: mentions)
    }

    static func denoise(_ input: String, model: String = "$F/model.npz", images: String = digits, _ extra: [String] = [],
                        status: Int32 = 1, mentions: [String]) -> Row {
        Row(input: input, program: "workbook",
            arguments: ["denoise", "--model", model, "--images", images, "--count", "3", "--offset", "0",
                        "--output", "$OUT"] + extra,
            status: status, mentions: mentions)
    }

    static func restore(_ input: String, model: String = "$F/photo-model.npz", image: String = "$F/photo.png",
                        output: String = "$OUT/restored-0000.png", _ extra: [String] = [], status: Int32 = 1,
                        mentions: [String]) -> Row {
        Row(input: input, program: "workbook",
            arguments: ["restore", "--model", model, "--input", image, "--output", output] + extra,
            status: status, mentions: mentions)
    }

    static func chapter(_ input: String, data: String, _ extra: [String] = [], status: Int32 = 1, mentions: [String]) -> Row {
        Row(input: input, program: "ch01-patches", arguments: ["--quick", "--data", data, "--figures", "$OUT"] + extra,
            status: status, mentions: mentions)
    }

    static let rows: [Row] = [
        fit("IDX: missing file", images: "$F/missing.idx", mentions: ["'$F/missing.idx'", "does not exist"]),
        fit("a directory instead of a file", images: "$F/a-directory", mentions: ["'$F/a-directory'", "is a directory"]),
        fit("IDX: empty file", images: "$F/empty.idx", mentions: ["'$F/empty.idx'", "is empty"]),
        fit("IDX: wrong magic number", images: "$F/wrong-magic.idx", mentions: ["'$F/wrong-magic.idx'", "magic number 1234"]),
        fit("IDX: truncated data", images: "$F/truncated.idx", mentions: ["'$F/truncated.idx'", "is truncated"]),
        fit("IDX: absurd dimension (2³¹ rows)", images: "$F/absurd-rows.idx",
            mentions: ["'$F/absurd-rows.idx'", "corrupt header", "2147483648 x 28"]),
        fit("IDX: 2³¹ images announced", images: "$F/absurd-count.idx", ["--count", "5"],
            mentions: ["'$F/absurd-count.idx'", "is truncated"]),
        fit("IDX: a label file given as images", images: labels, mentions: ["'\(labels)'", "label file"]),
        fit("PNG: truncated", images: "$F/truncated.png", mentions: ["'$F/truncated.png'", "is truncated: the \"IDAT\" chunk"]),
        fit("PNG: corrupt", images: "$F/corrupt.png", mentions: ["'$F/corrupt.png'", "truncated or corrupt"]),
        fit("PNG: not a PNG", images: "$F/not-a-png.png", mentions: ["'$F/not-a-png.png'", "not a PNG file"]),
        fit("a JPEG photograph", images: "$F/photo.jpg", mentions: ["'$F/photo.jpg' is a JPEG file, not a PNG", "convert"]),
        fit("image smaller than the patch", images: "$F/tiny.png", ["--patch", "6"],
            mentions: ["'$F/tiny.png'", "6 x 6 patches do not fit in the 5 x 5 images"]),
        fit("m < 1", images: digits, ["--patch", "0"], status: 2, mentions: ["--patch must be at least 1"]),
        fit("K < 1", images: digits, ["--components", "0"], status: 2, mentions: ["--components (K) must be at least 1"]),
        fit("a constant image (no variance)", images: "$F/constant.png",
            mentions: ["every patch of constant.png is the same", "nothing to fit"]),
        fit("m negative", images: digits, ["--patch", "-3"], status: 2, mentions: ["--patch must be at least 1, got -3"]),
        fit("IDX: gzip trailer cut off", images: "$F/cut-trailer.idx.gz", ["--count", "1"],
            mentions: ["'$F/cut-trailer.idx.gz'", "the file ends before the gzip stream does"]),
        fit("K > number of samples", images: digits, ["--count", "1", "--patch", "28"],
            mentions: ["1 images of \((digits as NSString).lastPathComponent)", "K must not exceed the number of samples"]),
        Row(input: "help on a subcommand that does not exist", program: "workbook", arguments: ["help", "nosuch"],
            status: 2, mentions: ["'workbook' has no subcommand 'nosuch'; its subcommands are list, run, fit"]),
        Row(input: "model output under a regular file", program: "workbook",
            arguments: ["fit", "--images", digits, "--count", "5", "--patch", "4", "--output", "$F/regular-file/model.npz"],
            status: 1, mentions: ["'$F/regular-file/model.npz'", "'$F/regular-file' is not a directory"]),

        denoise("model: missing file", model: "$F/missing.npz", mentions: ["'$F/missing.npz'", "no such file"]),
        denoise("model: a directory", model: "$F/a-directory", mentions: ["'$F/a-directory'", "is a directory"]),
        denoise("model: empty file", model: "$F/empty.idx", mentions: ["'$F/empty.idx'", "empty"]),
        denoise("model: corrupt .npz", model: "$F/corrupt.npz", mentions: ["'$F/corrupt.npz'", "bad CRC-32"]),
        denoise("model: truncated .npz", model: "$F/truncated.npz", mentions: ["'$F/truncated.npz'", "not a .npz file"]),
        denoise("model: NaN in a mean", model: "$F/nan-mean.npz", mentions: ["'$F/nan-mean.npz'", "non-finite"]),
        denoise("model: infinite covariance entry", model: "$F/inf-covariance.npz",
                mentions: ["'$F/inf-covariance.npz'", "non-finite"]),
        denoise("model: patch size not matching its dimension", model: "$F/wrong-patch-size.npz",
                mentions: ["'$F/wrong-patch-size.npz'", "'means' has shape (2, 36), expected (2, 25)", "5 x 5 patches"]),
        denoise("model: patch_mean_removed = 2", model: "$F/mean-removed-2.npz",
                mentions: ["'$F/mean-removed-2.npz'", "'patch_mean_removed' is 2; it must be 0 or 1"]),
        denoise("model: a device, not a file", model: "/dev/null", mentions: ["'/dev/null'", "not a regular file"]),
        denoise("model: covariances of 10³⁰⁰ (seed rule)", model: "$F/huge-covariances.npz", ["--estimator", "seed-map"],
                mentions: ["restoring with the model '$F/huge-covariances.npz' failed", "not positive definite"]),
        Row(input: "--count beyond any IDX file", program: "workbook",
            arguments: ["denoise", "--model", "$F/model.npz", "--images", digits, "--count", "9223372036854775807"],
            status: 2, mentions: ["--count must be in 1…2147483647"]),
        denoise("model: pixel scale 0", model: "$F/zero-pixel-scale.npz",
                mentions: ["'$F/zero-pixel-scale.npz'", "the pixel scale is 0.0"]),
        denoise("model from another pixel scale", model: "$F/photo-model.npz",
                mentions: ["'$F/photo-model.npz'", "pixels in 0…1", "'\(digits)' has pixels in 0…255"]),
        Row(input: "image smaller than the model's patch", program: "workbook",
            arguments: ["denoise", "--model", "$F/photo-model.npz", "--images", "$F/tiny.png", "--output", "$OUT"],
            status: 1, mentions: ["'$F/tiny.png'", "6 x 6 patches do not fit"]),
        denoise("--count for a photograph", model: "$F/photo-model.npz", images: "$F/photo.png",
                mentions: ["--count and --offset choose digits of an IDX file, but '$F/photo.png' is a photograph"]),
        denoise("σ = 0", ["--sigma", "0"], status: 2, mentions: ["--sigma must be positive"]),
        denoise("σ < 0", ["--sigma=-1"], status: 2, mentions: ["--sigma must be positive"]),
        denoise("σ = NaN", ["--sigma", "nan"], status: 2, mentions: ["--sigma must be positive"]),
        denoise("images: missing file", images: "$F/missing.idx", mentions: ["'$F/missing.idx'", "does not exist"]),
        Row(input: "output directory under a regular file", program: "workbook",
            arguments: ["denoise", "--model", "$F/model.npz", "--images", digits, "--count", "3", "--offset", "0",
                        "--output", "$F/regular-file/out"],
            status: 1, mentions: ["'$F/regular-file/out'", "'$F/regular-file' exists and is not a directory"]),

        restore("restore --input: missing file", image: "$F/missing.png", mentions: ["'$F/missing.png'", "does not exist"]),
        restore("restore --input: truncated PNG", image: "$F/truncated.png",
                mentions: ["'$F/truncated.png'", "is truncated: the \"IDAT\" chunk"]),
        restore("restore --input: corrupt PNG", image: "$F/corrupt.png", mentions: ["'$F/corrupt.png'", "truncated or corrupt"]),
        restore("restore --input: not a PNG", image: "$F/not-a-png.png", mentions: ["'$F/not-a-png.png'", "not a PNG file"]),
        restore("restore --input: a JPEG photograph", image: "$F/photo.jpg",
                mentions: ["'$F/photo.jpg' is a JPEG file, not a PNG", "lossy compression"]),
        restore("restore --input: an IDX file", image: digits, mentions: ["'\(digits)'", "not a PNG file"]),
        restore("restore --model: missing file", model: "$F/missing.npz", mentions: ["'$F/missing.npz'", "no such file"]),
        restore("restore --model: corrupt .npz", model: "$F/corrupt.npz", mentions: ["'$F/corrupt.npz'", "bad CRC-32"]),
        restore("restore: image smaller than the model's patch", image: "$F/tiny.png",
                mentions: ["6 x 6 patches do not fit in the 5 x 5 image '$F/tiny.png'"]),
        restore("restore: σ = 0", ["--sigma", "0"], status: 2, mentions: ["--sigma must be positive"]),
        restore("restore: σ = inf", ["--sigma", "inf"], status: 2, mentions: ["--sigma must be positive"]),
        restore("restore: σ = NaN", ["--sigma", "nan"], status: 2, mentions: ["--sigma must be positive"]),
        restore("restore: --colour unknown", ["--colour", "lab"], status: 2, mentions: ["--colour must be opponent or rgb, got 'lab'"]),
        restore("restore: σ estimated as 0 (no noise)", image: "$F/flat.png",
                mentions: ["'$F/flat.png'", "is estimated as 0", "give --sigma"]),
        restore("restore: σ auto, no 2 x 2 block visible (alpha > 0)", image: "$F/checkerboard-alpha.png",
                mentions: ["'$F/checkerboard-alpha.png': the noise level is estimated from 2 x 2 blocks of visible pixels",
                           "give --sigma"]),
        restore("restore --reference: another size", ["--reference", "$F/tiny.png"],
                mentions: ["the reference '$F/tiny.png' is 5x5 gray but the input '$F/photo.png' is 24x24 gray"]),
        restore("restore --reference: missing file", ["--reference", "$F/missing.png"],
                mentions: ["'$F/missing.png'", "does not exist"]),
        restore("restore --output: directory missing", output: "$OUT/no-such-directory/restored.png",
                mentions: ["'$OUT/no-such-directory/restored.png'", "the directory '$OUT/no-such-directory' does not exist"]),
        restore("restore --output: a directory", output: "$F/a-directory.png",
                mentions: ["'$F/a-directory.png'", "it is a directory"]),
        restore("restore --output: a symbolic link", output: "$F/link.png",
                mentions: ["'$F/link.png'", "it is a symbolic link (to '$F/regular-file')"]),
        restore("restore --output: a FIFO", output: "$F/fifo.png",
                mentions: ["'$F/fifo.png'", "it is not a regular file"]),
        restore("restore --output: not a .png name", output: "$OUT/restored.jpg", status: 2,
                mentions: ["--output must name a .png file", "'$OUT/restored.jpg'"]),
        restore("restore: σ absurdly large", ["--sigma", "1e160"], mentions: ["sigma = 1e+160 is absurdly large"]),
        Row(input: "bench: no timed iteration", program: "workbook", arguments: ["bench", "segment", "--iterations", "0"],
            status: 2, mentions: ["--iterations must be in 1…1000, got 0"]),

        chapter("--data: no such directory", data: "$F/no-such-directory",
                mentions: ["'$F/no-such-directory/mnist/mnist-4k-images-idx3-ubyte.gz'", "does not exist"]),
        chapter("--data: truncated digits", data: "$F/data-truncated",
                mentions: ["'$F/data-truncated/mnist/mnist-4k-images-idx3-ubyte.gz'", "is truncated"]),
        chapter("--data: labels in place of the digits", data: "$F/data-labels", mentions: ["label file"]),
        chapter("--data: a directory in place of the digits", data: "$F/data-directory",
                mentions: ["'$F/data-directory/mnist/mnist-4k-images-idx3-ubyte.gz'", "is a directory"]),
        Row(input: "--figures under a regular file", program: "ch01-patches",
            arguments: ["--quick", "--data", FitAndDenoiseCommands.repository.appendingPathComponent("data").path,
                        "--figures", "$F/regular-file/figures"],
            status: 1, mentions: ["'$F/regular-file/figures'", "Not a directory"]),
        chapter("--seed < 0", data: "$F/data-truncated", ["--seed=-1"], status: 2,
                mentions: ["--seed must be a non-negative integer"]),
    ]

    /// The files already at the destination before each run, by program (path under $OUT).
    static func sentinels(for program: String) -> [String: Data] {
        switch program {
        case "ch01-patches":
            return ["01-patches/results.json": Data("{\"earlier\": true}".utf8),
                    "01-patches/patches-m16.npy": Data("earlier patches".utf8)]
        default:
            return ["model.npz": Data("earlier model".utf8), "restored-0000.png": Data("earlier image".utf8),
                    "denoise-grid.png": Data("earlier grid".utf8)]
        }
    }

    @Test(arguments: rows)
    func rowEndsCleanly(row: Row) throws {
        let f = try SuiteFixtures.directory("bad input").path
        let out = try makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(at: out) }
        let sentinels = Self.sentinels(for: row.program)
        for (name, data) in sentinels {
            let url = out.appendingPathComponent(name)
            try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try data.write(to: url)
        }
        func expand(_ text: String) -> String {
            text.replacingOccurrences(of: "$F", with: f).replacingOccurrences(of: "$OUT", with: out.path)
        }
        let ending = try BuiltProduct(name: row.program).run(row.arguments.map(expand))
        #expect(ending.exited, "\(row.input): killed by a signal\n\(ending.errors)")
        #expect(ending.status == row.status, "\(row.input): status \(ending.status)\n\(ending.errors)")
        for mention in row.mentions.map(expand) {
            #expect(ending.errors.contains(mention), "\(row.input): the message lacks \"\(mention)\":\n\(ending.errors)")
        }
        #expect(!ending.errors.contains("Fatal error") && !ending.errors.contains("Error Domain="))
        if row.program == "workbook" {
            #expect(ending.errors.components(separatedBy: "Error: ").count == 2, "one message:\n\(ending.errors)")
        }
        // The destination is as it was: the sentinels intact, nothing added.
        for (name, data) in sentinels {
            #expect(try Data(contentsOf: out.appendingPathComponent(name)) == data, "\(row.input): \(name) changed")
        }
        let present = FileManager.default.enumerator(atPath: out.path)!.compactMap { $0 as? String }
            .filter { !sentinels.keys.contains($0) && !$0.hasSuffix("01-patches") }
        #expect(present.isEmpty, "\(row.input): files left behind: \(present)")
    }

    /// The malformed files of the table, made once.
    static func makeFixtures() throws -> URL {
        let f = FileManager.default.temporaryDirectory.appendingPathComponent("bad-input-\(UUID().uuidString)")
        let manager = FileManager.default
        try manager.createDirectory(at: f, withIntermediateDirectories: true)
        func write(_ data: Data, _ name: String) throws {
            let url = f.appendingPathComponent(name)
            try manager.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try data.write(to: url)
        }
        let pixels = (0..<(3 * 784)).map { UInt8(truncatingIfNeeded: $0 * 37) }
        try write(BadFiles.idx(magic: 1234, dimensions: [3, 28, 28], payload: pixels), "wrong-magic.idx")
        try write(BadFiles.idx(magic: 2051, dimensions: [40, 28, 28], payload: pixels + pixels[0..<100]), "truncated.idx")
        try write(BadFiles.idx(magic: 2051, dimensions: [3, 1 << 31, 28], payload: pixels), "absurd-rows.idx")
        try write(BadFiles.idx(magic: 2051, dimensions: [1 << 31, 28, 28], payload: pixels), "absurd-count.idx")
        try write(Data(), "empty.idx")
        try write(Data("just some text\n".utf8), "regular-file")
        try write(Data("just some text, not an image\n".utf8), "not-a-png.png")
        try write(Data([0xFF, 0xD8, 0xFF, 0xE0, 0x00, 0x10] + Array("JFIF".utf8)), "photo.jpg")
        try manager.createDirectory(at: f.appendingPathComponent("a-directory"), withIntermediateDirectories: true)
        try manager.createDirectory(at: f.appendingPathComponent("a-directory.png"), withIntermediateDirectories: true)
        try write(BadFiles.png(width: 5, height: 5) { x, y in UInt8(40 * x + 10 * y) }, "tiny.png")
        try write(BadFiles.png(width: 8, height: 8) { _, _ in 128 }, "constant.png")
        try write(BadFiles.png(width: 24, height: 24) { x, y in UInt8((9 * x + 5 * y + (x * y) % 13) % 256) }, "photo.png")
        // Constant on every 2 x 2 block: no diagonal detail, so σ is estimated as 0.
        try write(BadFiles.png(width: 24, height: 24) { x, y in UInt8((20 * (x / 2) + 7 * (y / 2)) % 256) }, "flat.png")
        // Visible (alpha > 0) only on a checkerboard: no 2 x 2 block is visible throughout.
        let photo = try PNGFile.read(f.appendingPathComponent("photo.png").path)
        let checkerboard = try Image(width: 24, height: 24, pixels: (0..<576).map { Double(($0 % 24 + $0 / 24) % 2) })
        try PNGFile.write(photo, alpha: checkerboard, to: f.appendingPathComponent("checkerboard-alpha.png").path)
        let camera = try Data(contentsOf: FitAndDenoiseCommands.repository.appendingPathComponent("data/images/camera.png"))
        try write(camera.prefix(camera.count / 2), "truncated.png")
        var damaged = [UInt8](camera)
        for i in (camera.count / 2)..<(camera.count / 2 + 64) { damaged[i] ^= 0x5A }
        try write(Data(damaged), "corrupt.png")
        // The chapter's data directories.
        try write(Data(contentsOf: f.appendingPathComponent("truncated.idx")), "data-truncated/mnist/mnist-4k-images-idx3-ubyte.gz")
        try write(Data(contentsOf: URL(fileURLWithPath: labels)), "data-labels/mnist/mnist-4k-images-idx3-ubyte.gz")
        try manager.createDirectory(
            at: f.appendingPathComponent("data-directory/mnist/mnist-4k-images-idx3-ubyte.gz"), withIntermediateDirectories: true)
        // Models: two good ones, then copies with one thing wrong.
        let workbook = BuiltProduct(name: "workbook")
        for (images, name) in [(digits, "model.npz"), (f.appendingPathComponent("photo.png").path, "photo-model.npz")] {
            let fitted = try workbook.run(["fit", "--images", images, "--count", "30", "--patch", "6", "--components", "2",
                                           "--max-iterations", "3", "--output", f.appendingPathComponent(name).path])
            guard fitted.status == 0 else { throw FixtureError(reason: "fitting \(name): \(fitted.errors)") }
        }
        let model = try Data(contentsOf: f.appendingPathComponent("model.npz"))
        try write(BadFiles.editing(model, member: "means") { $0.replaceSubrange(0..<8, with: BadFiles.littleEndian(.nan)) },
                  "nan-mean.npz")
        try write(BadFiles.editing(model, member: "covariances") { $0.replaceSubrange(0..<8, with: BadFiles.littleEndian(.infinity)) },
                  "inf-covariance.npz")
        try write(BadFiles.editing(model, member: "patch_size") { $0 = BadFiles.littleEndian(Int64(5)) }, "wrong-patch-size.npz")
        try write(BadFiles.editing(model, member: "pixel_scale") { $0 = BadFiles.littleEndian(0.0) }, "zero-pixel-scale.npz")
        try write(BadFiles.editing(model, member: "covariances") { bytes in
            let values = stride(from: 0, to: bytes.count, by: 8).map { i in
                Double(bitPattern: (0..<8).reduce(UInt64(0)) { $0 | UInt64(bytes[i + $1]) << (8 * UInt64($1)) })
            }
            bytes = values.flatMap { BadFiles.littleEndian($0 * 1e300) }
        }, "huge-covariances.npz")
        try write(BadFiles.editing(model, member: "patch_mean_removed") { $0 = BadFiles.littleEndian(Int64(2)) },
                  "mean-removed-2.npz")
        let digitFile = BadFiles.idx(magic: 2051, dimensions: [3, 28, 28], payload: pixels)
        try write(Data(try gzipCompress([UInt8](digitFile)).dropLast(4)), "cut-trailer.idx.gz")
        try manager.createSymbolicLink(atPath: f.appendingPathComponent("link.png").path,
                                       withDestinationPath: f.appendingPathComponent("regular-file").path)
        guard mkfifo(f.appendingPathComponent("fifo.png").path, 0o644) == 0 else {
            throw FixtureError(reason: "mkfifo: \(String(cString: strerror(errno)))")
        }
        var flipped = [UInt8](model)
        flipped[model.count / 2] ^= 0xFF
        try write(Data(flipped), "corrupt.npz")
        try write(model.prefix(model.count / 2), "truncated.npz")
        return f
    }
}

/// The suite's fixtures, named by a function outside the suite (its `@Suite` attribute cannot
/// name the suite's own members).
private func makeBadInputFixtures() throws -> URL { try BadInputTable.makeFixtures() }
