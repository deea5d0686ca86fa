import ArgumentParser
import Foundation
import Imaging
import Mixtures
import Restoration

/// EPLL's options, shared by `workbook denoise` and `workbook restore` (checked by
/// `RestorationMethod`).
struct EPLLArguments: ParsableArguments {
    @Option(help: ArgumentHelp(
        "EPLL's β schedule in units of 1/σ², one value per --beta (default: 1 4 8 16 32 without blur; 1/64, 1/32, …, 32 with blur).",
        valueName: "multiple"))
    var beta: [Double] = []

    @Option(help: ArgumentHelp(
        "Where EPLL starts: observed (x⁰ = y, as in the paper) or patch-average (the patch-averaged MMSE restoration).",
        valueName: "start"))
    var epllStart: String = "observed"
}

/// How `workbook denoise` and `workbook restore` restore images with a patch prior, as their
/// options --estimator, --beta and --epll-start choose: patch averaging (every overlapping
/// patch restored alone by a per-patch estimator, the estimates averaged: `PatchDenoiser`),
/// or EPLL (Zoran and Weiss 2011: `EPLL`), which starts from the observed image or from the
/// patch-averaged MMSE restoration.
struct RestorationMethod {
    /// Patch averaging's per-patch estimator, or nil for EPLL.
    let patchEstimator: PatchEstimator?
    /// EPLL's β schedule in units of 1/σ²; empty for the default of the blur.
    let betaMultiples: [Double]
    /// Whether EPLL starts from the patch-averaged MMSE restoration instead of x⁰ = y.
    let startsFromPatchAverage: Bool

    /// Parses the options; `offered` are the per-patch estimators the command accepts
    /// besides epll.
    /// - Throws: `ValidationError` naming the option: an unknown estimator or start, a β
    ///   that is not positive and finite, --beta or --epll-start without --estimator epll.
    init(estimator: String, beta: [Double], epllStart: String, offered: [PatchEstimator]) throws {
        let names = offered.map(\.rawValue) + ["epll"]
        guard names.contains(estimator) else {
            let list = names.dropLast().joined(separator: ", ") + " or " + names.last!
            throw ValidationError("--estimator must be \(list), got '\(estimator)'")
        }
        guard beta.allSatisfy({ $0 > 0 && $0.isFinite }) else {
            throw ValidationError("every --beta must be positive and finite, got \(beta)")
        }
        guard beta.isEmpty || estimator == "epll" else {
            throw ValidationError("--beta sets EPLL's schedule; it needs --estimator epll")
        }
        guard ["observed", "patch-average"].contains(epllStart) else {
            throw ValidationError("--epll-start must be observed or patch-average, got '\(epllStart)'")
        }
        guard epllStart == "observed" || estimator == "epll" else {
            throw ValidationError("--epll-start sets where EPLL starts; it needs --estimator epll")
        }
        patchEstimator = PatchEstimator(rawValue: estimator)
        betaMultiples = beta
        startsFromPatchAverage = epllStart == "patch-average"
    }

    /// The method in words, e.g. "mmse patch averaging" or "EPLL, 5 β steps from y".
    func description(for corruption: Corruption) -> String {
        if let patchEstimator { return "\(patchEstimator) patch averaging" }
        let steps = epllOptions(for: corruption).betaSchedule.count
        return "EPLL, \(steps) β step\(steps == 1 ? "" : "s") from " + (startsFromPatchAverage ? "the patch-averaged MMSE image" : "y")
    }

    /// EPLL's options for `corruption`: the β schedule given, or by default
    /// `EPLLOptions.defaultBetaSchedule` without blur and `.deblurringBetaSchedule` with it.
    func epllOptions(for corruption: Corruption) -> EPLLOptions {
        let schedule = corruption.blur == .none ? EPLLOptions.defaultBetaSchedule : EPLLOptions.deblurringBetaSchedule
        return EPLLOptions(betaSchedule: betaMultiples.isEmpty ? schedule : betaMultiples)
    }

    /// The restorer for images corrupted as `corruption` says, with the saved `model` (the
    /// posterior's factorisations made once, before any image is restored).
    func prepared(model: PatchModel, corruption: Corruption) throws -> PreparedRestoration {
        if let patchEstimator {
            return PreparedRestoration(engine: .patchAveraging(try PatchDenoiser(model: model, corruption: corruption), patchEstimator))
        }
        let epll = try EPLL(model: model, corruption: corruption, options: epllOptions(for: corruption))
        let start = startsFromPatchAverage ? try PatchDenoiser(model: model, corruption: corruption) : nil
        return PreparedRestoration(engine: .epll(epll, start: start))
    }
}

/// A `RestorationMethod` ready for one model and corruption.
struct PreparedRestoration {
    enum Engine {
        case patchAveraging(PatchDenoiser, PatchEstimator)
        /// EPLL, started from the patch-averaged MMSE restoration of `start` when given.
        case epll(EPLL, start: PatchDenoiser?)
    }

    let engine: Engine

    /// The restored images (not clipped). `progress` receives a line at every tenth of the
    /// patches of a patch averaging that takes more than one chunk, one for EPLL's start and
    /// one for each of its iterations (the β step and its seconds).
    func restore(_ observed: [Image], progress: ((String) -> Void)? = nil) throws -> [Image] {
        switch engine {
        case .patchAveraging(let denoiser, let estimator):
            return try denoiser.restore(observed, estimator: estimator, progress: Self.tenths(progress))
        case .epll(let epll, let startDenoiser):
            var first: [Image]?
            if let startDenoiser {
                let clock = Date()
                first = try startDenoiser.restore(observed, estimator: .mmse, progress: Self.tenths(progress))
                progress?(String(format: "start: patch-averaged MMSE, %.2f s", Date().timeIntervalSince(clock)))
            }
            let schedule = epll.options.betaSchedule
            let steps = schedule.count * epll.options.iterationsPerBeta
            return try epll.restore(observed, from: first) { iteration in
                let multiple = String(format: "%g", schedule[iteration.betaIndex])
                progress?("EPLL \(iteration.number)/\(steps): β = \(multiple)/σ², " + String(format: "%.2f s", iteration.seconds))
            }.restored
        }
    }

    /// Turns (patches done, total) after each chunk into a line at every tenth of the total,
    /// with the time so far; silent when one chunk holds every patch.
    private static func tenths(_ report: ((String) -> Void)?) -> ((Int, Int) -> Void)? {
        guard let report else { return nil }
        let clock = Date()
        var shown = 0
        return { done, total in
            let tenth = 10 * done / total
            guard tenth > shown, done < total || shown > 0 else { return }
            shown = tenth
            report("patches: \(10 * tenth)% of \(total), " + String(format: "%.1f s", Date().timeIntervalSince(clock)))
        }
    }
}
