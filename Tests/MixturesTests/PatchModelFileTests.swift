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
        return try [PatchPrior.gmm(full), .gmm(diagonal), .gmm(isotropic), .mvn(mvn), .gsm(gsm)].map {
            try PatchModel(prior: $0, metadata: metadata)
        }
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
}
