import Foundation

/// The settings of an EPLL restoration (`EPLL`).
///
/// Half-quadratic splitting replaces the coupled problem by a sequence of problems with a
/// penalty weight β on ‖Pᵢ x − zᵢ‖²; β grows along `betaSchedule` so that the auxiliary
/// patches zᵢ are pulled ever closer to the patches of x (Zoran and Weiss 2011 use
/// β = (1/σ²) · {1, 4, 8, 16, 32, ...}).
public struct EPLLOptions: Sendable, Equatable {
    /// How the x-step weighs the data against the patch estimates zᵢ.
    ///
    /// The literal splitting sums the penalty over all overlapping patches, so a pixel
    /// covered by D_u patches is pulled D_u times towards its estimates: m² times in the
    /// interior, once in a corner. Against the likelihood's own weight 1/σ² that counts the
    /// prior up to m² times; Zoran and Weiss's code (and later implementations) instead pull
    /// every pixel once, to the average x̄ of its patch estimates.
    public enum Weighting: Sendable, Equatable {
        /// E(x) = ‖A x − y‖² / σ² + β Σ_u (x_u − x̄_u)²: the penalty of each patch pixel
        /// divided by the pixel's coverage D_u, so every pixel has weight β. For A = I,
        /// x = (y + βσ² x̄) / (1 + βσ²) at every pixel. The method's choice.
        case averaged
        /// E(x) = (c/σ²) ‖A x − y‖² + β Σᵢ ‖Pᵢ x − zᵢ‖²: the literal splitting with the data
        /// weighted c/σ² (c > 0). With c = m² it equals `.averaged` where D_u = m²; nearer
        /// the border, where fewer patches cover a pixel, the data win.
        case patchSum(dataMultiple: Double)
    }

    /// How x starts.
    public enum Start: String, Sendable, Equatable {
        /// x⁰ = y.
        case observed
        /// x⁰ = Aᵀ y.
        case adjoint
    }

    /// The penalty weights in units of 1/σ²: β_t = betaSchedule[t] / σ². Each must be
    /// positive and finite; the order is the caller's (increasing in the method).
    public var betaSchedule: [Double]
    public var weighting: Weighting
    /// The alternations (z-step, x-step) at each β; Zoran and Weiss use 1.
    public var iterationsPerBeta: Int
    /// How a patch is read off its posterior: `.map` (the component with the largest
    /// posterior weight, its Wiener estimate; the method's choice) or `.mmse`.
    public var estimator: PatchEstimator
    /// Whether the prior models patches with their mean removed: then each patch's own mean
    /// is taken out before the z-step and put back after it.
    public var removesPatchMean: Bool
    /// The x-step's conjugate gradients stop when ‖b − M x‖ ≤ tolerance · ‖b‖ ...
    public var conjugateGradientTolerance: Double
    /// ... or after this many iterations.
    public var conjugateGradientMaxIterations: Int
    public var start: Start

    /// The default schedule of the paper, β = (1/σ²) · {1, 4, 8, 16, 32}.
    public static let defaultBetaSchedule: [Double] = [1, 4, 8, 16, 32]

    /// A schedule for deblurring, β = (1/σ²) · {1/64, 1/32, ..., 16, 32} (twelve steps).
    /// The z-step only denoises, so the blur is undone by the x-step alone, which moves from
    /// the patch average toward the deconvolution by at most b²/(b² + βσ²) of the way at a
    /// frequency the blur passes with gain b ≤ 1: from βσ² = 1 on it barely deblurs. Starting
    /// at βσ² = 1/64 lets the first x-steps deconvolve (chapter 13 measures the difference).
    public static let deblurringBetaSchedule: [Double] = (-6...5).map { pow(2, Double($0)) }

    public init(
        betaSchedule: [Double] = EPLLOptions.defaultBetaSchedule, weighting: Weighting = .averaged, iterationsPerBeta: Int = 1,
        estimator: PatchEstimator = .map, removesPatchMean: Bool = false,
        conjugateGradientTolerance: Double = 1e-6, conjugateGradientMaxIterations: Int = 500,
        start: Start = .observed
    ) {
        self.betaSchedule = betaSchedule
        self.weighting = weighting
        self.iterationsPerBeta = iterationsPerBeta
        self.estimator = estimator
        self.removesPatchMean = removesPatchMean
        self.conjugateGradientTolerance = conjugateGradientTolerance
        self.conjugateGradientMaxIterations = conjugateGradientMaxIterations
        self.start = start
    }

    /// - Throws: `RestorationError.invalidParameter` naming the bad setting.
    public func validate() throws {
        guard !betaSchedule.isEmpty else {
            throw RestorationError.invalidParameter("the EPLL β schedule is empty; give at least one β (in units of 1/σ²)")
        }
        if let bad = betaSchedule.first(where: { !($0.isFinite && $0 > 0) }) {
            throw RestorationError.invalidParameter("every EPLL β must be positive and finite, the schedule has \(bad)")
        }
        if case .patchSum(let c) = weighting, !(c.isFinite && c > 0) {
            throw RestorationError.invalidParameter("the EPLL data weight must be a positive, finite multiple of 1/σ², got \(c)")
        }
        guard iterationsPerBeta >= 1 else {
            throw RestorationError.invalidParameter("EPLL needs at least one iteration per β, got \(iterationsPerBeta)")
        }
        guard estimator != .seedMAP else {
            throw RestorationError.invalidParameter("EPLL's patch step takes the map or mmse estimator, not the seed's rule (it ignores the patch)")
        }
        guard conjugateGradientTolerance.isFinite, conjugateGradientTolerance > 0 else {
            throw RestorationError.invalidParameter("the conjugate-gradient tolerance must be positive, got \(conjugateGradientTolerance)")
        }
        guard conjugateGradientMaxIterations >= 1 else {
            throw RestorationError.invalidParameter(
                "conjugate gradients need at least one iteration, got \(conjugateGradientMaxIterations)")
        }
    }
}
