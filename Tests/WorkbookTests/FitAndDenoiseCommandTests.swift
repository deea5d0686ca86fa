import Foundation
import Testing

/// `workbook fit` and `workbook denoise`, run as a user would, on a few digits.
@Suite struct FitAndDenoiseCommands {
    static let repository = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    static let digits = repository.appendingPathComponent("data/mnist/mnist-4k-images-idx3-ubyte.gz").path
    static let labels = repository.appendingPathComponent("data/mnist/mnist-4k-labels-idx1-ubyte.gz").path
    static let photograph = repository.appendingPathComponent("data/images/camera.png").path

    let executable = WorkbookProgram()

    /// Fits a small model into `directory` and returns its path.
    func fitSmallModel(in directory: URL, extra: [String] = []) throws -> String {
        let model = directory.appendingPathComponent("model.npz").path
        let (status, output, errors) = try executable.workbook(
            ["fit", "--images", Self.digits, "--count", "30", "--patch", "6", "--components", "2",
             "--max-iterations", "4", "--output", model] + extra)
        #expect(status == 0, "fit failed: \(errors)")
        #expect(output.contains("iter 1"), "fit shows its progress")
        return model
    }

    @Test func fitThenDenoisePrintsJSONWithBetterPSNR() throws {
        let directory = try makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let model = try fitSmallModel(in: directory)
        let out = directory.appendingPathComponent("restored").path
        let (status, output, errors) = try executable.workbook(
            ["denoise", "--model", model, "--images", Self.digits, "--count", "5", "--json", "--output", out])
        #expect(status == 0, "denoise failed: \(errors)")
        let object = try #require(try JSONSerialization.jsonObject(with: Data(output.utf8)) as? [String: Any])
        for key in ["images", "estimator", "sigma", "mse_noisy", "psnr_noisy", "mse", "psnr", "seconds"] {
            #expect(object[key] != nil, "missing \(key)")
        }
        #expect(object["images"] as? Int == 5)
        let psnr = try #require(object["psnr"] as? Double), noisy = try #require(object["psnr_noisy"] as? Double)
        #expect(psnr > noisy, "restoration should beat the corrupted input (\(psnr) vs \(noisy) dB)")
        #expect(FileManager.default.fileExists(atPath: out + "/restored-0004.png"))
        #expect(FileManager.default.fileExists(atPath: out + "/denoise-grid.png"))
        let corrupted = out + "/corrupted-0004.png"
        #expect(try Data(contentsOf: URL(fileURLWithPath: corrupted)) != Data(contentsOf: URL(fileURLWithPath: out + "/restored-0004.png")))
        // A corrupted image is an input for `workbook restore`.
        let restored = directory.appendingPathComponent("again.png").path
        let again = try executable.workbook(["restore", "--model", model, "--input", corrupted, "--output", restored,
                                             "--sigma", "20", "--blur", "binomial3", "--json"])
        #expect(again.status == 0, "restore failed: \(again.errors)")
    }

    /// EPLL started from the patch-averaged MMSE restoration differs from EPLL started from y
    /// (the start matters when the schedule is short) and still beats the corrupted input.
    @Test func epllStartsFromThePatchAverageWhenAsked() throws {
        let directory = try makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let model = try fitSmallModel(in: directory)
        func psnr(_ extra: [String]) throws -> (restored: Double, noisy: Double) {
            let (status, output, errors) = try executable.workbook(
                ["denoise", "--model", model, "--images", Self.digits, "--count", "3", "--estimator", "epll",
                 "--beta", "1", "--beta", "4", "--json"] + extra)
            #expect(status == 0, "denoise failed: \(errors)")
            let object = try #require(try JSONSerialization.jsonObject(with: Data(output.utf8)) as? [String: Any])
            return (try #require(object["psnr"] as? Double), try #require(object["psnr_noisy"] as? Double))
        }
        let fromObserved = try psnr([]), fromAverage = try psnr(["--epll-start", "patch-average"])
        #expect(fromAverage.restored > fromAverage.noisy)
        #expect(abs(fromAverage.restored - fromObserved.restored) > 1e-6, "the start image should change the result")
    }

    @Test func theSameSeedWritesTheSameModelBytes() throws {
        let a = try makeTemporaryDirectory(), b = try makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(at: a); try? FileManager.default.removeItem(at: b) }
        let first = try fitSmallModel(in: a), second = try fitSmallModel(in: b)
        #expect(try Data(contentsOf: URL(fileURLWithPath: first)) == Data(contentsOf: URL(fileURLWithPath: second)))
    }

    /// --max-patches fits to a seeded random sample: the count is printed, and the same seed
    /// gives the same model while another seed draws another sample.
    @Test func maxPatchesFitsToASeededSample() throws {
        let directory = try makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        func fit(_ name: String, seed: Int) throws -> (output: String, bytes: Data) {
            let model = directory.appendingPathComponent(name).path
            let (status, output, errors) = try executable.workbook(
                ["fit", "--images", Self.digits, "--count", "30", "--patch", "6", "--components", "2",
                 "--max-iterations", "3", "--max-patches", "500", "--seed", "\(seed)", "--output", model])
            #expect(status == 0, "fit failed: \(errors)")
            return (output, try Data(contentsOf: URL(fileURLWithPath: model)))
        }
        let first = try fit("a.npz", seed: 1), again = try fit("b.npz", seed: 1), other = try fit("c.npz", seed: 2)
        // 30 digits of 28 x 28 hold 30 · 23² = 15,870 patches of 6 x 6.
        #expect(first.output.contains("fit: 500 patches of 6 x 6") && first.output.contains("drawn at random from 15870"),
                "\(first.output)")
        #expect(first.bytes == again.bytes)
        #expect(first.bytes != other.bytes)
    }

    @Test(arguments: [
        (["fit", "--images", "x", "--patch", "4", "--max-patches", "0", "--output", "m.npz"], "--max-patches"),
        (["fit", "--images", "x", "--patch", "0", "--output", "m.npz"], "--patch"),
        (["fit", "--images", "x", "--patch", "4", "--components", "0", "--output", "m.npz"], "--components"),
        (["fit", "--images", "x", "--patch", "4", "--model", "hmm", "--output", "m.npz"], "--model"),
        (["denoise", "--model", "m.npz", "--images", "x", "--sigma", "0"], "--sigma"),
        (["denoise", "--model", "m.npz", "--images", "x", "--estimator", "best"], "--estimator"),
        (["denoise", "--model", "m.npz", "--images", "x", "--estimator", "epll", "--epll-start", "middle"], "--epll-start"),
        (["denoise", "--model", "m.npz", "--images", "x", "--epll-start", "patch-average"], "--epll-start"),
    ])
    func badUsageExitsTwo(arguments: [String], mentioned: String) throws {
        let (status, _, errors) = try executable.workbook(arguments)
        #expect(status == 2)
        #expect(errors.contains(mentioned))
    }

    @Test func badFilesExitOneNamingTheFile() throws {
        let directory = try makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let model = directory.appendingPathComponent("m.npz").path
        // A missing input file.
        let missing = try executable.workbook(
            ["fit", "--images", "/nonexistent/digits.gz", "--patch", "4", "--output", model])
        #expect(missing.status == 1 && missing.errors.contains("/nonexistent/digits.gz"))
        #expect(!FileManager.default.fileExists(atPath: model), "no model is written after an error")
        // A label file given as images.
        let labels = try executable.workbook(["fit", "--images", Self.labels, "--patch", "4", "--output", model])
        #expect(labels.status == 1 && labels.errors.contains("label file"))
        // A patch larger than the image.
        let large = try executable.workbook(
            ["fit", "--images", Self.digits, "--count", "3", "--patch", "29", "--output", model])
        #expect(large.status == 1 && large.errors.contains("29"))
        // A model that is not a model.
        try Data("junk".utf8).write(to: URL(fileURLWithPath: model))
        let junk = try executable.workbook(["denoise", "--model", model, "--images", Self.digits])
        #expect(junk.status == 1 && junk.errors.contains(model))
        // A digit model used on a photograph: the pixel scales differ.
        let good = try fitSmallModel(in: directory)
        let scale = try executable.workbook(["denoise", "--model", good, "--images", Self.photograph])
        #expect(scale.status == 1 && scale.errors.contains("0…255"))
    }
}
