import Foundation
import Testing
import LinearAlgebra
import Mixtures
import NumPyFormat
import Randomness
import TestSupport

/// Saving and loading fitted patch models as `.npz`.
@Suite struct PatchModelFileRoundTrip {
    static func temporaryFile(_ name: String) -> URL {
        FileManager.default.temporaryDirectory.appendingPathComponent("model-\(UUID().uuidString)-\(name)")
    }

    static func models() throws -> [PatchModel] {
        var g = SeededGenerator(seed: 12)
        let d = 4, k = 3
        let weights = [0.2, 0.5, 0.3]
        let means = RandomMatrices.gaussian(rows: k, columns: d, using: &g)
        let full = try GaussianMixture(weights: weights, means: means,
                                       covariances: .full((0..<k).map { _ in RandomMatrices.spd(d, using: &g) }))
        let diagonal = try GaussianMixture(weights: weights, means: means,
                                           covariances: .diagonal(Matrix(rows: k, columns: d, storage: (0..<(k * d)).map { _ in 0.5 + g.nextUniform() })))
        let isotropic = try GaussianMixture(weights: weights, means: means, covariances: .isotropic([0.3, 1.2, 2.5]))
        let mvn = try MultivariateNormal(mean: means.row(0), covariance: RandomMatrices.spd(d, using: &g))
        let gsm = try GaussianScaleMixture(weights: weights, scales: [0.5, 1.0, 1.5], covariance: RandomMatrices.spd(d, using: &g))
        let metadata = PatchModelMetadata(patchSize: 2, pixelScale: 255, seed: 2026, data: "test data, 10 images")
        var meanRemoved = metadata
        meanRemoved.patchMeanRemoved = true
        return try [PatchPrior.gmm(full), .gmm(diagonal), .gmm(isotropic), .mvn(mvn)].map {
            try PatchModel(prior: $0, metadata: metadata)
        } + [PatchModel(prior: .gsm(gsm), metadata: meanRemoved)]
    }

    @Test func everyKindRoundTripsExactly() throws {
        for model in try Self.models() {
            let url = Self.temporaryFile("\(model.prior.kind).npz")
            defer { try? FileManager.default.removeItem(at: url) }
            try model.save(to: url)
            let loaded = try PatchModel.load(from: url)
            #expect(loaded == model)
        }
    }

    @Test func theSameModelWritesTheSameBytes() throws {
        let model = try Self.models()[0]
        let a = Self.temporaryFile("a.npz"), b = Self.temporaryFile("b.npz")
        defer { try? FileManager.default.removeItem(at: a); try? FileManager.default.removeItem(at: b) }
        try model.save(to: a)
        try model.save(to: b)
        #expect(try Data(contentsOf: a) == Data(contentsOf: b))
    }

    @Test func theLayoutIsScikitLearns() throws {
        let arrays = try Self.models()[0].npzArrays()
        #expect(arrays["weights"]?.shape == [3])
        #expect(arrays["means"]?.shape == [3, 4])
        #expect(arrays["covariances"]?.shape == [3, 4, 4])
        #expect(try arrays["covariance_type"]?.string() == "full")
        #expect(try Self.models()[1].npzArrays()["covariances"]?.shape == [3, 4])
        #expect(try Self.models()[2].npzArrays()["covariances"]?.shape == [3])
    }

    @Test func brokenFilesAreClearErrors() throws {
        let model = try Self.models()[0]
        var arrays = try model.npzArrays()
        let url = Self.temporaryFile("broken.npz")
        defer { try? FileManager.default.removeItem(at: url) }
        // A missing array.
        arrays["weights"] = nil
        try NPZFile.write(arrays, to: url)
        #expect(throws: ModelFileError.self) { try PatchModel.load(from: url) }
        // A covariance of the wrong shape.
        arrays = try model.npzArrays()
        arrays["covariances"] = try NumPyArray(float64: [Double](repeating: 1, count: 27), shape: [3, 3, 3])
        try NPZFile.write(arrays, to: url)
        #expect(throws: ModelFileError.self) { try PatchModel.load(from: url) }
        // An unknown kind.
        arrays = try model.npzArrays()
        arrays["kind"] = NumPyArray(string: "hmm")
        try NPZFile.write(arrays, to: url)
        let error = try #require(throws: ModelFileError.self) { try PatchModel.load(from: url) }
        #expect(error.description.contains("hmm") && error.description.contains(url.path))
        // Not an npz at all.
        try Data("not a model".utf8).write(to: url)
        #expect(throws: ModelFileError.self) { try PatchModel.load(from: url) }
        // A patch size that does not fit the dimension.
        #expect(throws: MixtureError.self) {
            try PatchModel(prior: model.prior, metadata: PatchModelMetadata(patchSize: 3, pixelScale: 1, seed: 0, data: ""))
        }
    }

    /// Every array of the wrong shape is named, with the shape expected and where that comes
    /// from (K from 'weights', d = m² from the patch size).
    @Test func wrongShapesNameTheArray() throws {
        func problem(_ model: PatchModel, _ edit: (inout [String: NumPyArray]) throws -> Void) throws -> String {
            var arrays = try model.npzArrays()
            try edit(&arrays)
            let url = Self.temporaryFile("shape.npz")
            defer { try? FileManager.default.removeItem(at: url) }
            try NPZFile.write(arrays, to: url)
            return try #require(throws: ModelFileError.self) { try PatchModel.load(from: url) }.description
        }
        let models = try Self.models()
        let full = models[0], gsm = models[4]
        var message = try problem(full) { $0["weights"] = try NumPyArray(float64: [0.2, 0.5, 0.3], shape: [1, 3]) }
        #expect(message.contains("'weights' has shape (1, 3), expected (K,)"), "\(message)")
        message = try problem(full) { $0["weights"] = NumPyArray(float64: [0.4, 0.6]) }
        #expect(message.contains("'means' has shape (3, 4), expected (2, 4) (K = 2 from 'weights', d = 4 for 2 x 2 patches)"), "\(message)")
        message = try problem(full) { $0["covariances"] = try NumPyArray(float64: [Double](repeating: 1, count: 32), shape: [2, 4, 4]) }
        #expect(message.contains("'covariances' has shape (2, 4, 4), expected (3, 4, 4)"), "\(message)")
        message = try problem(models[1]) { $0["covariances"] = try NumPyArray(float64: [Double](repeating: 1, count: 9), shape: [3, 3]) }
        #expect(message.contains("'covariances' has shape (3, 3), expected (3, 4)"), "\(message)")
        message = try problem(gsm) { $0["scales"] = NumPyArray(float64: [1, 2]) }
        #expect(message.contains("'scales' has shape (2,), expected (3,)"), "\(message)")
        message = try problem(gsm) { $0["shared_covariance"] = try NumPyArray(float64: [Double](repeating: 1, count: 9), shape: [3, 3]) }
        #expect(message.contains("'shared_covariance' has shape (3, 3), expected (4, 4)"), "\(message)")
        message = try problem(full) { $0["patch_mean_removed"] = NumPyArray(scalar: 2) }
        #expect(message.contains("'patch_mean_removed' is 2; it must be 0 or 1"), "\(message)")
        message = try problem(full) { $0["patch_size"] = NumPyArray(scalar: 1 << 40) }
        #expect(message.contains("the patch size is 1099511627776; it must be in 1…4096"), "\(message)")
    }

    /// A scale mixture has mean 0: it is a prior on mean-removed patches only, in memory and
    /// in a file.
    @Test func aScaleMixtureNeedsMeanRemovedPatches() throws {
        let gsm = try Self.models()[4]
        var raw = gsm.metadata
        raw.patchMeanRemoved = false
        let error = try #require(throws: MixtureError.self) { try PatchModel(prior: gsm.prior, metadata: raw) }
        #expect(String(describing: error).contains("patch_mean_removed must be 1"))
        var arrays = try gsm.npzArrays()
        arrays["patch_mean_removed"] = NumPyArray(scalar: 0)
        let url = Self.temporaryFile("gsm.npz")
        defer { try? FileManager.default.removeItem(at: url) }
        try NPZFile.write(arrays, to: url)
        let loaded = try #require(throws: ModelFileError.self) { try PatchModel.load(from: url) }
        #expect(loaded.description.contains(url.path) && loaded.description.contains("mean-removed patches"))
    }
}
