import Foundation

/// The outcome of `fitEM`: the best restart's model and its history.
public struct FitResult<Model: MixtureModel>: Sendable {
    /// The fitted model.
    public let model: Model
    /// ℓₜ = (1/N) Σᵢ log p(xᵢ | θₜ) for the initial parameters θ₀ and after every M-step, so
    /// `iterations + 1` values. At each E-step the EM lower bound is tight (it equals this
    /// log-likelihood), and EM never decreases it: ℓₜ₊₁ ≥ ℓₜ exactly so with zero
    /// regularisation (and with the scale floor of a scale mixture, a generalised EM step).
    /// Where it may fall:
    /// - at an M-step that re-seeded an empty component (a `componentReseeded` event): the
    ///   new component takes weight 1/(N + 1) from the others, which costs up to
    ///   log(1 + 1/N) per sample, less what it explains of its sample;
    /// - with ε > 0, since Σ + εI is not the maximiser of the M-step's objective: by O(ε)
    ///   on data of full rank; on data of rank < d (mean-removed patches, duplicated
    ///   coordinates) εI alone sets the variance of the missing directions, where the
    ///   likelihood has no maximum, and ℓ can fall further — for a scale mixture, whose
    ///   normalisation also rescales that εI part of each rₖ² (Σ + εI), by whole nats on
    ///   synthetic low-rank data (not on the workbook's photograph patches).
    public let meanLogLikelihoods: [Double]
    /// The number of M-steps performed.
    public let iterations: Int
    /// Whether |ℓₜ − ℓₜ₋₁| < tolerance was reached before `maxIterations` (a flag, not an error).
    public let converged: Bool
    /// Wall-clock seconds of the whole fit (summary, every restart).
    public let seconds: Double
    /// Events of the best restart (re-seeded components), in order.
    public let events: [FitEvent]
    /// The absolute regularisation ε that was used.
    public let regularization: Double
    /// The final mean log-likelihood of every restart, in order.
    public let restartMeanLogLikelihoods: [Double]
    /// The index of the restart that was kept.
    public let bestRestart: Int

    /// ℓ of the returned model.
    public var finalMeanLogLikelihood: Double { meanLogLikelihoods[meanLogLikelihoods.count - 1] }
}

/// One line of progress, reported after every E-step.
public struct FitProgress: Sendable, CustomStringConvertible {
    /// The restart (0-based).
    public let restart: Int
    /// The number of M-steps done so far (0: the initial parameters).
    public let iteration: Int
    /// ℓₜ, the mean log-likelihood of the current parameters.
    public let meanLogLikelihood: Double
    /// ℓₜ − ℓₜ₋₁ (nil at iteration 0).
    public let change: Double?
    /// Seconds since the fit started.
    public let seconds: Double

    /// For example "iter 12  mean log-lik 151.337402  Δ 3.1e-04  3.1 s".
    public var description: String {
        let delta = change.map { String(format: "%.1e", $0) } ?? "-"
        let prefix = restart > 0 ? "restart \(restart)  " : ""
        return prefix + "iter \(iteration)  mean log-lik "
            + String(format: "%.6f", meanLogLikelihood) + "  Δ \(delta)  "
            + String(format: "%.1f", seconds) + " s"
    }
}
