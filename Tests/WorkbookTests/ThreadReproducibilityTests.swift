import Foundation
import Testing

/// `workbook fit` and `workbook denoise` with one seed write the same bytes on one
/// OpenBLAS thread and on two (OPENBLAS_NUM_THREADS also sets the default number of EM pass
/// threads and restoration threads): the library partitions its work the same way whatever
/// the thread count, and calls OpenBLAS single-threaded inside it.
@Suite struct ThreadReproducibility {
    let workbook = BuiltProduct(name: "workbook")

    /// A 160 x 160 textured gray photograph: 23,409 patches of 8 x 8, enough for the
    /// passes to split their blocks and for OpenBLAS to go multi-threaded where allowed.
    static let photograph = BadFiles.png(width: 160, height: 160) { x, y in
        let wave = 100 + 60 * sin(Double(x) / 7) * cos(Double(y) / 11)
        return UInt8(wave + Double((x * 7919 + y * 104_729) % 41))
    }

    /// Fits (8 x 8 patches) and denoises with `threads` threads into a fresh folder: the
    /// model's bytes, the restored PNG's bytes and the JSON report (its time removed).
    func run(threads: Int) throws -> (model: Data, restored: Data, grid: Data, report: String) {
        let directory = try makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let image = directory.appendingPathComponent("photograph.png").path
        try Self.photograph.write(to: URL(fileURLWithPath: image))
        let environment = ["OPENBLAS_NUM_THREADS": String(threads)]
        let model = directory.appendingPathComponent("model.npz").path
        let fit = try workbook.run(
            ["fit", "--images", image, "--patch", "8", "--components", "3",
             "--max-iterations", "3", "--seed", "7", "--output", model], environment: environment)
        #expect(fit.status == 0, "\(fit.errors)")
        let out = directory.appendingPathComponent("out").path
        let denoise = try workbook.run(
            ["denoise", "--model", model, "--images", image, "--json", "--output", out], environment: environment)
        #expect(denoise.status == 0, "\(denoise.errors)")
        let report = try #require(try JSONSerialization.jsonObject(with: Data(denoise.output.utf8)) as? [String: Any])
        let untimed = report.filter { $0.key != "seconds" }.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }
        return (try Data(contentsOf: URL(fileURLWithPath: model)),
                try Data(contentsOf: URL(fileURLWithPath: out + "/restored-0000.png")),
                try Data(contentsOf: URL(fileURLWithPath: out + "/denoise-grid.png")),
                untimed.joined(separator: " "))
    }

    @Test func oneAndTwoThreadsWriteTheSameBytes() throws {
        let one = try run(threads: 1), two = try run(threads: 2)
        #expect(one.model == two.model, "the .npz differs between 1 and 2 threads")
        #expect(one.restored == two.restored, "the restored PNG differs between 1 and 2 threads")
        #expect(one.grid == two.grid, "the grid PNG differs between 1 and 2 threads")
        #expect(one.report == two.report, "the MSE and PSNR differ: \(one.report) vs \(two.report)")
        #expect(one.report.contains("mse="))
    }
}
