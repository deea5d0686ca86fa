import Foundation
import LinearAlgebra
import NumPyFormat

/// A model file that cannot be used, with the file and the reason.
public struct ModelFileError: Error, CustomStringConvertible, Equatable {
    public let path: String
    public let problem: String

    public var description: String { "model file '\(path)': \(problem)" }
}

/// Saving and loading a `PatchModel` as `.npz`, readable by `numpy.load`.
///
/// Arrays, in the layout of scikit-learn's `GaussianMixture` (`weights_`, `means_`,
/// `covariances_`), so a Python user can plug them in:
/// - `weights` (K), `means` (K, d), `covariances`: (K, d, d) for `covariance_type` "full",
///   (K, d) for "diag", (K,) for "spherical" — for every kind (an MVN is K = 1, a GSM is
///   written out as its K zero-mean components rₖ² Σ);
/// - for a GSM also `scales` (K) and `shared_covariance` (d, d), from which it is rebuilt;
/// - metadata: `kind` ("gmm", "mvn", "gsm"), `covariance_type`, `patch_size`, `pixel_scale`,
///   `seed`, `data`, `patch_mean_removed`, `format` ("gmm-workbook-model/1").
///
/// ```python
/// m = numpy.load("model.npz")
/// gmm = sklearn.mixture.GaussianMixture(n_components=len(m["weights"]), covariance_type=str(m["covariance_type"]))
/// gmm.weights_, gmm.means_, gmm.covariances_ = m["weights"], m["means"], m["covariances"]
/// gmm.precisions_cholesky_ = sklearn.mixture._gaussian_mixture._compute_precision_cholesky(gmm.covariances_, gmm.covariance_type)
/// ```
extension PatchModel {
    public static let formatName = "gmm-workbook-model/1"

    /// The largest patch side a model file may declare (a d x d covariance with d = m² is
    /// then already 2⁴⁸ entries; the bound keeps m² from overflowing before the arrays are
    /// checked against it).
    static let maximumPatchSize = 4096

    /// The arrays of the file, by name.
    public func npzArrays() throws -> [String: NumPyArray] {
        let gmm = try prior.asGaussianMixture()
        let k = gmm.componentCount, d = gmm.dimension
        var arrays: [String: NumPyArray] = [
            "weights": NumPyArray(float64: gmm.weights),
            "means": try NumPyArray(float64: gmm.means.storage, shape: [k, d]),
            "kind": NumPyArray(string: prior.kind),
            "patch_size": NumPyArray(scalar: metadata.patchSize),
            "pixel_scale": NumPyArray(scalar: metadata.pixelScale),
            "seed": NumPyArray(scalar: Int64(bitPattern: metadata.seed)),
            "data": NumPyArray(string: metadata.data),
            "patch_mean_removed": NumPyArray(scalar: metadata.patchMeanRemoved ? 1 : 0),
            "format": NumPyArray(string: Self.formatName),
        ]
        switch gmm.covariances {
        case .full(let matrices):
            arrays["covariance_type"] = NumPyArray(string: "full")
            arrays["covariances"] = try NumPyArray(float64: matrices.flatMap(\.storage), shape: [k, d, d])
        case .diagonal(let variances):
            arrays["covariance_type"] = NumPyArray(string: "diag")
            arrays["covariances"] = try NumPyArray(float64: variances.storage, shape: [k, d])
        case .isotropic(let variances):
            arrays["covariance_type"] = NumPyArray(string: "spherical")
            arrays["covariances"] = NumPyArray(float64: variances)
        }
        if case .gsm(let gsm) = prior {
            arrays["scales"] = NumPyArray(float64: gsm.scales)
            arrays["shared_covariance"] = try NumPyArray(float64: gsm.covariance.storage, shape: [d, d])
        }
        return arrays
    }

    /// Writes the model (atomically: a temporary file in the same directory, then rename).
    public func save(to url: URL) throws {
        try NPZFile.write(npzArrays(), to: url)
    }

    /// Reads a model file. Every missing array, wrong shape, unknown kind, non-finite or
    /// invalid parameter (NaN mean, weights off the simplex, a covariance that is not
    /// positive definite) and patch size that does not match the dimension is a
    /// `ModelFileError` naming the file.
    public static func load(from url: URL) throws -> PatchModel {
        let arrays: [String: NumPyArray]
        do { arrays = try NPZFile.read(from: url) } catch {
            throw ModelFileError(path: url.path, problem: "cannot read it as .npz (\(error))")
        }
        return try model(from: arrays, path: url.path)
    }

    /// What errors call model bytes that were given no name.
    public static let inMemoryName = "<model bytes in memory>"

    /// Reads a model from the bytes of a model file, as `load(from:)` does; errors name the
    /// bytes `name`.
    public static func decode(_ bytes: [UInt8], name: String = inMemoryName) throws -> PatchModel {
        let arrays: [String: NumPyArray]
        do { arrays = try NPZFile.decode(bytes) } catch {
            throw ModelFileError(path: name, problem: "cannot read it as .npz (\(error))")
        }
        return try model(from: arrays, path: name)
    }

    /// The model the arrays of a model file describe; `path` names the file in errors.
    private static func model(from arrays: [String: NumPyArray], path: String) throws -> PatchModel {
        func fail(_ problem: String) -> ModelFileError { ModelFileError(path: path, problem: problem) }
        func array(_ name: String) throws -> NumPyArray {
            guard let a = arrays[name] else { throw fail("the array '\(name)' is missing (is this a model written by `workbook fit`?)") }
            return a
        }
        /// The array `name`, which must have shape `expected` (`what` says where that comes from).
        func shaped(_ name: String, _ expected: [Int], _ what: String) throws -> NumPyArray {
            let a = try array(name)
            do { try a.requireShape(expected) } catch {
                throw fail("'\(name)' has shape \(NumPyFormatError.pythonTuple(a.shape)), expected "
                           + "\(NumPyFormatError.pythonTuple(expected)) (\(what))")
            }
            return a
        }
        do {
            guard try array("format").string() == formatName else {
                throw fail("unknown format '\(try array("format").string())', expected '\(formatName)'")
            }
            let kind = try array("kind").string()
            let meanRemoved = try array("patch_mean_removed").int64()
            guard meanRemoved == 0 || meanRemoved == 1 else {
                throw fail("'patch_mean_removed' is \(meanRemoved); it must be 0 or 1")
            }
            let metadata = PatchModelMetadata(
                patchSize: Int(try array("patch_size").int64()),
                pixelScale: try array("pixel_scale").float64(),
                seed: UInt64(bitPattern: try array("seed").int64()),
                data: try array("data").string(),
                patchMeanRemoved: meanRemoved == 1)
            let m = metadata.patchSize
            guard m >= 1, m <= maximumPatchSize else {
                throw fail("the patch size is \(m); it must be in 1…\(maximumPatchSize)")
            }
            guard metadata.pixelScale > 0, metadata.pixelScale.isFinite else {
                throw fail("the pixel scale is \(metadata.pixelScale); it must be positive and finite (255 or 1)")
            }
            let d = m * m
            let weightsArray = try array("weights")
            guard weightsArray.shape.count == 1, weightsArray.shape[0] >= 1 else {
                throw fail("'weights' has shape \(NumPyFormatError.pythonTuple(weightsArray.shape)), expected (K,) with K ≥ 1")
            }
            let weights = try weightsArray.float64Values()
            let k = weights.count
            let perComponent = "K = \(k) from 'weights', d = \(d) for \(m) x \(m) patches"
            let means = try Matrix(rows: k, columns: d, storage: shaped("means", [k, d], perComponent).float64Values())
            let prior: PatchPrior
            switch kind {
            case "gsm":
                let shared = try shaped("shared_covariance", [d, d], "d = \(d) for \(m) x \(m) patches")
                prior = .gsm(try GaussianScaleMixture(
                    weights: weights, scales: try shaped("scales", [k], perComponent).float64Values(),
                    covariance: Matrix(rows: d, columns: d, storage: shared.float64Values())))
            case "gmm", "mvn":
                let type = try array("covariance_type").string()
                let parsed: Covariances
                switch type {
                case "full":
                    let values = try shaped("covariances", [k, d, d], perComponent).float64Values()
                    parsed = .full(try (0..<k).map { c in
                        try Matrix(rows: d, columns: d, storage: Array(values[(c * d * d)..<((c + 1) * d * d)]))
                    })
                case "diag":
                    parsed = .diagonal(try Matrix(rows: k, columns: d, storage: shaped("covariances", [k, d], perComponent).float64Values()))
                case "spherical":
                    parsed = .isotropic(try shaped("covariances", [k], perComponent).float64Values())
                default:
                    throw fail("unknown covariance_type '\(type)' (full, diag or spherical)")
                }
                let gmm = try GaussianMixture(weights: weights, means: means, covariances: parsed)
                if kind == "mvn" {
                    guard k == 1, case .full(let m) = parsed else { throw fail("an 'mvn' model must have one full covariance") }
                    prior = .mvn(try MultivariateNormal(mean: means.row(0), covariance: m[0]))
                } else {
                    prior = .gmm(gmm)
                }
            default:
                throw fail("unknown model kind '\(kind)' (gmm, mvn or gsm)")
            }
            return try PatchModel(prior: prior, metadata: metadata)
        } catch let error as ModelFileError {
            throw error
        } catch {
            throw fail("\(error)")
        }
    }
}
