import Foundation
import Testing

/// Every file the workbook writes goes through a temporary file beside it and a rename:
/// when a write fails midway (here every write fails, as on a full disk: the programs run
/// under `ulimit -f 0`), the earlier file at the same path is left exactly as it was and no
/// temporary or partial file remains.
@Suite struct AtomicOutput {
    /// Writes `files` (path under `directory` → content) and returns a check that they are
    /// still there, unchanged, and alone.
    func sentinels(_ files: [String: String], in directory: URL) throws -> () throws -> Void {
        for (name, text) in files {
            let url = directory.appendingPathComponent(name)
            try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try Data(text.utf8).write(to: url)
        }
        return {
            for (name, text) in files {
                let content = try String(contentsOf: directory.appendingPathComponent(name), encoding: .utf8)
                #expect(content == text, "\(name) changed")
            }
            let present = FileManager.default.enumerator(atPath: directory.path)!.compactMap { $0 as? String }
                .filter { path in !files.keys.contains(path) && !files.keys.contains { $0.hasPrefix(path + "/") } }
            #expect(present.isEmpty, "left behind: \(present)")
        }
    }

    @Test func aModelThatCannotBeWrittenLeavesTheEarlierOne() throws {
        let directory = try makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let intact = try sentinels(["model.npz": "earlier model"], in: directory)
        let ending = try BuiltProduct(name: "workbook").run(
            ["fit", "--images", FitAndDenoiseCommands.digits, "--count", "10", "--patch", "4", "--components", "2",
             "--max-iterations", "1", "--output", directory.appendingPathComponent("model.npz").path],
            fileSizeLimit: 0)
        #expect(ending.exited && ending.status == 1)
        #expect(ending.errors.contains(directory.appendingPathComponent("model.npz").path))
        #expect(ending.errors.contains("File too large"))
        try intact()
    }

    @Test func restoredImagesThatCannotBeWrittenLeaveTheEarlierOnes() throws {
        let directory = try makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let model = directory.appendingPathComponent("model.npz").path
        let fit = try BuiltProduct(name: "workbook").run(
            ["fit", "--images", FitAndDenoiseCommands.digits, "--count", "10", "--patch", "4", "--components", "2",
             "--max-iterations", "1", "--output", model])
        #expect(fit.status == 0)
        let out = directory.appendingPathComponent("out")
        let intact = try sentinels(["corrupted-0000.png": "earlier input", "restored-0000.png": "earlier image",
                                    "denoise-grid.png": "earlier grid"], in: out)
        let ending = try BuiltProduct(name: "workbook").run(
            ["denoise", "--model", model, "--images", FitAndDenoiseCommands.digits, "--count", "3", "--output", out.path],
            fileSizeLimit: 0)
        #expect(ending.exited && ending.status == 1)
        #expect(ending.errors.contains(out.appendingPathComponent("corrupted-0000.png").path))
        #expect(ending.errors.contains("File too large"))
        try intact()
    }

    @Test func aResultsFileThatCannotBeWrittenLeavesTheEarlierOne() throws {
        let directory = try makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let intact = try sentinels(["run.json": "{\"earlier\": true}"], in: directory)
        let record = directory.appendingPathComponent("run.json").path
        let ending = try BuiltProduct(name: "ch03-lagrange-weights").run(
            ["--quick", "--no-figures", "--record", record], fileSizeLimit: 0)
        #expect(ending.exited && ending.status == 1)
        #expect(ending.errors.contains("cannot write the results file \(record)"))
        #expect(ending.errors.contains("File too large"))
        try intact()
    }

    @Test func figuresThatCannotBeWrittenLeaveTheEarlierOnes() throws {
        let directory = try makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let intact = try sentinels([
            "03-lagrange-weights/results.json": "{\"earlier\": true}",
            "03-lagrange-weights/simplex-objective.png": "earlier figure",
            "03-lagrange-weights/simplex-objective.gp": "earlier script",
        ], in: directory)
        let ending = try BuiltProduct(name: "ch03-lagrange-weights").run(
            ["--quick", "--figures", directory.path], fileSizeLimit: 0)
        #expect(ending.exited && ending.status == 1)
        #expect(ending.errors.contains("simplex-objective"))
        try intact()
    }
}
