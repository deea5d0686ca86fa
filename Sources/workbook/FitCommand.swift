import ArgumentParser
import Foundation
import Imaging
import LinearAlgebra
import Mixtures
import Randomness
import Workbook

/// `workbook fit`: fits a patch prior (GMM, MVN or GSM) to the patches of MNIST digits or
/// photographs and saves it as `.npz` (see `PatchModel+File.swift` for the layout).
struct FitCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "fit",
        abstract: "Fit a patch prior to images and save it as .npz.",
        discussion: """
            Digits (IDX files, 0…255) or photographs (PNG, converted to gray in [0, 1]). \
            Example: workbook fit --images data/mnist/mnist-4k-images-idx3-ubyte.gz --count 1000 \
            --patch 16 --components 11 --output model.npz
            """
    )

    @Option(name: .long, help: ArgumentHelp("An IDX or PNG file (repeat for several).", valueName: "file"))
    var images: [String]

    @Option(parsing: .unconditional, help: "From IDX files, the first N images of each.")
    var count: Int = 1000

    @Option(parsing: .unconditional, help: "The patch side m (patches are m x m).")
    var patch: Int

    @Option(parsing: .unconditional, help: "K, the number of components (GMM and GSM).")
    var components: Int = 11

    @Option(help: "full, diagonal or isotropic (GMM).")
    var covariance: String = "full"

    @Option(help: "gmm, mvn or gsm.")
    var model: String = "gmm"

    @Flag(help: "Remove each patch's mean before fitting (natural-image priors; implied for gsm).")
    var removePatchMean = false

    @Option(parsing: .unconditional, help: ArgumentHelp(
        "Fit to at most N patches, drawn uniformly at random (seeded by --seed) from all of them (default: every patch). EM's time and memory grow with N: a 12-megapixel photograph has 12 million patches.",
        valueName: "N"))
    var maxPatches: Int?

    @Option(parsing: .unconditional, help: "The seed of every random choice.")
    var seed: Int = 2026

    @Option(parsing: .unconditional, help: "The most EM iterations.")
    var maxIterations: Int = 100

    @Option(parsing: .unconditional, help: "Stop when the mean log-likelihood changes by less than this.")
    var tolerance: Double = 1e-3

    @Option(parsing: .unconditional, help: "Independent initialisations; the best is kept.")
    var restarts: Int = 1

    @Option(help: ArgumentHelp("Where to write the model (.npz).", valueName: "file"))
    var output: String

    /// Above this many patches `fit` suggests --max-patches (the EPLL paper's prior was
    /// learnt from about two million).
    static let manyPatches = 2_000_000

    func validate() throws {
        guard patch >= 1 else { throw ValidationError("--patch must be at least 1, got \(patch)") }
        guard components >= 1 else { throw ValidationError("--components (K) must be at least 1, got \(components)") }
        guard count >= 1 else { throw ValidationError("--count must be at least 1, got \(count)") }
        if let maxPatches { guard maxPatches >= 1 else { throw ValidationError("--max-patches must be at least 1, got \(maxPatches)") } }
        guard CovarianceType(rawValue: covariance) != nil else {
            throw ValidationError("--covariance must be full, diagonal or isotropic, got '\(covariance)'")
        }
        guard PriorFamily(rawValue: model) != nil else {
            throw ValidationError("--model must be gmm, mvn or gsm, got '\(model)'")
        }
        guard seed >= 0 else { throw ValidationError("--seed must be 0 or more") }
        guard maxIterations >= 0, tolerance >= 0, restarts >= 1 else {
            throw ValidationError("--max-iterations and --tolerance must be 0 or more, --restarts at least 1")
        }
        guard output.hasSuffix(".npz") else { throw ValidationError("--output must name a .npz file, got '\(output)'") }
    }

    /// The most m x m patches whose matrix (8 m² bytes a patch) fits in half the machine's
    /// memory, leaving the rest to EM's workspaces and the system.
    static func patchLimit(size m: Int) -> Int { physicalMemoryBytes / 2 / (8 * m * m) }

    func run() throws {
        let family = PriorFamily(rawValue: model)!
        try OutputLocation.requireWritableFile(output, what: "the model")
        let input = try ImageInput.read(images, count: count)
        input.notes.forEach { StandardConsole().errorLine($0) }
        try input.requirePatchesFit(size: patch)
        let total = input.images.reduce(0) { $0 + patchCount(width: $1.width, height: $1.height, size: patch) }
        let used = min(total, maxPatches ?? total)
        guard used <= Self.patchLimit(size: patch) else {
            let (bytes, overflow) = used.multipliedReportingOverflow(by: 8 * patch * patch)
            throw InputError("the \(used) patches of \(patch) x \(patch) pixels would need \(gigabytes(overflow ? Int.max : bytes))"
                             + " (the data matrix alone), more than half of this machine's memory: fit to a random sample "
                             + "with --max-patches \(Self.patchLimit(size: patch)) or fewer")
        }
        var patches: Matrix
        if let maxPatches, maxPatches < total {
            var sampler = SeededGenerator(seed: StreamSeed.derive(base: UInt64(seed), stream: "fit patches"))
            patches = try samplePatches(maxPatches, size: patch, from: input.images, using: &sampler)
        } else {
            patches = try extractPatches(from: input.images, size: patch)
        }
        let removeMean = removePatchMean || family == .gsm
        if removeMean { _ = patches.removeRowMeans() }
        guard patches.rows < 2
                || patches.storage.indices.contains(where: { patches.storage[$0] != patches.storage[$0 % patches.columns] })
        else {
            throw InputError("every patch of \(input.description) is the same" + (removeMean ? " once its mean is removed" : "")
                             + ": the data has no variance and there is nothing to fit"
                             + (removeMean && patch == 1 ? " (a 1 x 1 patch minus its mean is always 0)" : ""))
        }
        print("fit: \(patches.rows) patches of \(patch) x \(patch) from \(input.description)"
              + (patches.rows < total ? " (drawn at random from \(total))" : "")
              + (removeMean ? ", patch means removed" : ""))
        if maxPatches == nil, total > Self.manyPatches {
            print("fit: note: every EM iteration visits all \(total) patches; --max-patches \(Self.manyPatches) "
                  + "would make each about \(total / Self.manyPatches) times faster")
        }
        print("fit: \(family) with K = \(family == .mvn ? 1 : components)"
              + (family == .gmm ? ", \(covariance) covariances" : ""))
        let options = EMOptions(maxIterations: maxIterations, tolerance: tolerance, restarts: restarts, seed: UInt64(seed))
        let fit: PriorFit
        do {
            fit = try PatchPrior.fit(
                family, to: patches, components: components, covariance: CovarianceType(rawValue: covariance)!,
                options: options
            ) { progress in
                print("  \(progress)")
                fflush(nil)
            }
        } catch let error as MixtureError {
            throw InputError("fitting the \(family.rawValue.uppercased()) to the \(patches.rows) patches of \(input.description) failed: \(error)")
        }
        // The scale floor may hold a scale in every iteration: one line for all of them.
        let floored = fit.events.filter { if case .scalesFloored = $0 { return true } else { return false } }
        for event in fit.events where !floored.contains(event) { print("  note: \(event)") }
        if let first = floored.first {
            print("  note: \(first)" + (floored.count > 1 ? "; and in \(floored.count - 1) later iterations" : ""))
        }
        let metadata = PatchModelMetadata(
            patchSize: patch, pixelScale: input.pixelScale, seed: UInt64(seed), data: input.description,
            patchMeanRemoved: removeMean)
        try PatchModel(prior: fit.prior, metadata: metadata).save(to: URL(fileURLWithPath: output))
        print(String(format: "fit: mean log-likelihood %.6g after %d iterations (%@), %.2f s; wrote %@",
                     fit.meanLogLikelihoods.last ?? .nan, fit.iterations, fit.converged ? "converged" : "not converged",
                     fit.seconds, output))
    }
}
