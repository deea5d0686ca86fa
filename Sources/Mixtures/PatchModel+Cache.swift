import Foundation

extension PatchModel {
    /// Where `loadOrFit` found its model.
    public enum CacheOutcome: Sendable, Equatable {
        /// The file held a model with the requested metadata: it was reused.
        case reused
        /// There was no usable file (none, unreadable, or fitted otherwise): the model was
        /// fitted and saved there.
        case fitted
    }

    /// A model file used as a cache of a fit: the model saved at `url` when its metadata
    /// equal `metadata` (what it was fitted on and how: patch size, pixel scale, seed, the
    /// data and EM settings in `metadata.data`, patch-mean removal), else the prior that `fit`
    /// returns, saved at `url` (atomically) with `metadata` for the next call. A file that
    /// cannot be read as a model counts as no file: the cache only ever holds derived data.
    ///
    /// The metadata are the cache key, so they must name everything the fit depends on;
    /// two fits that differ in anything else would share a file.
    /// - Throws: what `fit` throws, an invalid prior for `metadata` (`PatchModel.init`), or a
    ///   failure to save.
    public static func loadOrFit(
        at url: URL, metadata: PatchModelMetadata, fit: () throws -> PatchPrior
    ) throws -> (model: PatchModel, outcome: CacheOutcome) {
        if let cached = try? load(from: url), cached.metadata == metadata {
            return (cached, .reused)
        }
        let model = try PatchModel(prior: try fit(), metadata: metadata)
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        try model.save(to: url)
        return (model, .fitted)
    }
}
