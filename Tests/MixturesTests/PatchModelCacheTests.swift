import Foundation
import Testing
import Mixtures

/// `PatchModel.loadOrFit`: a model file as the cache of a fit, keyed by its metadata.
@Suite struct PatchModelCache {
    /// A fit that counts its calls and returns the n-th of the test models' priors.
    final class CountingFit {
        var calls = 0
        let priors: [PatchPrior]
        init() throws { priors = try PatchModelFileRoundTrip.models().map(\.prior) }
        func callAsFunction() -> PatchPrior {
            defer { calls += 1 }
            return priors[calls % 4]
        }
    }

    static let metadata = PatchModelMetadata(patchSize: 2, pixelScale: 255, seed: 2026, data: "test data, 10 images")

    /// The first call fits and saves; the second, with the same metadata, reuses the file
    /// (the fit is not called) and returns the very model saved; other metadata refit and
    /// replace the file.
    @Test func fitsOnceThenReusesUntilTheMetadataChange() throws {
        let directory = PatchModelFileRoundTrip.temporaryFile("cache")
        defer { try? FileManager.default.removeItem(at: directory) }
        let url = directory.appendingPathComponent("nested/prior.npz")
        let fit = try CountingFit()
        let first = try PatchModel.loadOrFit(at: url, metadata: Self.metadata, fit: fit.callAsFunction)
        #expect(first.outcome == .fitted && fit.calls == 1)
        #expect(try PatchModel.load(from: url) == first.model, "the fit is saved, creating the missing directory")
        let second = try PatchModel.loadOrFit(at: url, metadata: Self.metadata, fit: fit.callAsFunction)
        #expect(second.outcome == .reused && fit.calls == 1)
        #expect(second.model == first.model)

        var other = Self.metadata
        other.seed = 7
        let third = try PatchModel.loadOrFit(at: url, metadata: other, fit: fit.callAsFunction)
        #expect(third.outcome == .fitted && fit.calls == 2)
        #expect(third.model.metadata == other && third.model.prior == fit.priors[1])
        #expect(try PatchModel.load(from: url) == third.model)
    }

    /// A damaged cache file is no cache: the model is fitted again and the file replaced.
    @Test func aDamagedFileIsRefitted() throws {
        let directory = PatchModelFileRoundTrip.temporaryFile("damaged")
        defer { try? FileManager.default.removeItem(at: directory) }
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let url = directory.appendingPathComponent("prior.npz")
        try Data("not a model".utf8).write(to: url)
        let fit = try CountingFit()
        let result = try PatchModel.loadOrFit(at: url, metadata: Self.metadata, fit: fit.callAsFunction)
        #expect(result.outcome == .fitted && fit.calls == 1)
        #expect(try PatchModel.load(from: url) == result.model)
    }

    /// A fit that throws leaves no file behind, and its error reaches the caller.
    @Test func aFailingFitWritesNothing() throws {
        struct Failed: Error {}
        let directory = PatchModelFileRoundTrip.temporaryFile("failing")
        defer { try? FileManager.default.removeItem(at: directory) }
        let url = directory.appendingPathComponent("prior.npz")
        #expect(throws: Failed.self) { try PatchModel.loadOrFit(at: url, metadata: Self.metadata) { throw Failed() } }
        #expect(!FileManager.default.fileExists(atPath: url.path))
    }
}
