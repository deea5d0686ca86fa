import Foundation
import Mixtures
import NumPyFormat
import Testing

/// Inputs found by the `.npz` fuzzer (Fuzz/FuzzNPZ, `make fuzz`) that crashed the model
/// loader; each must now be a clear error naming the input.
@Suite struct ModelFileFuzzFindings {
    /// A valid 2 x 2 patch model (dimension 4) whose file says `patch_size` is `size`.
    static func modelBytes(patchSize size: Int64) throws -> [UInt8] {
        let model = try PatchModelFileRoundTrip.models()[0]
        var arrays = try model.npzArrays()
        arrays["patch_size"] = NumPyArray(scalar: size)
        return try NPZFile.encode(arrays)
    }

    /// The fuzzer's input had patch_size = −9187201950435737551: m · m overflowed (a trap)
    /// when the loader checked the dimension against m². Negative sizes whose square is the
    /// dimension (−2 for dimension 4) were accepted.
    @Test(arguments: [-9_187_201_950_435_737_551, Int64(1) << 32, Int64.max, -2, 0, 3])
    func patchSizeThatIsNotTheSideOfTheModelsPatches(size: Int64) throws {
        let bytes = try Self.modelBytes(patchSize: size)
        let error = try #require(throws: ModelFileError.self) { try PatchModel.decode(bytes, name: "finding.npz") }
        #expect(error.path == "finding.npz")
        let expected = size < 1 || size > 4096
            ? "the patch size is \(size); it must be in 1…4096"
            : "'means' has shape (3, 4), expected (3, \(size * size)) (K = 3 from 'weights', d = \(size * size) for \(size) x \(size) patches)"
        #expect(error.problem.contains(expected))
        #expect(try PatchModel.decode(Self.modelBytes(patchSize: 2)) == PatchModelFileRoundTrip.models()[0])
    }

    /// The same input read from a file names the file.
    @Test func theFileReaderNamesTheFile() throws {
        let url = PatchModelFileRoundTrip.temporaryFile("finding.npz")
        defer { try? FileManager.default.removeItem(at: url) }
        try Data(Self.modelBytes(patchSize: -9_187_201_950_435_737_551)).write(to: url)
        let error = try #require(throws: ModelFileError.self) { try PatchModel.load(from: url) }
        #expect(error.path == url.path && error.description.contains(url.path))
    }
}
