import Foundation
import LinearAlgebra

/// The three prior families of the workbook.
public enum PriorFamily: String, CaseIterable, Sendable, CustomStringConvertible {
    /// A Gaussian mixture with K components (full, diagonal or isotropic covariances).
    case gmm
    /// One Gaussian (closed-form fit).
    case mvn
    /// A Gaussian scale mixture: K zero-mean scaled copies of one covariance.
    case gsm

    public var description: String { rawValue }
}

/// The outcome of fitting any family: the prior and the history of its fit.
public struct PriorFit: Sendable {
    public let prior: PatchPrior
    /// The mean log-likelihood after each iteration (one value for the closed-form MVN).
    public let meanLogLikelihoods: [Double]
    public let iterations: Int
    public let converged: Bool
    public let seconds: Double
    public let events: [FitEvent]
}

extension PatchPrior {
    /// Fits a prior of `family` to the rows of `x`: EM for GMM and GSM (k-means++ and spread
    /// scales to start), the closed form for MVN (`components` and `covariance` are ignored).
    public static func fit(
        _ family: PriorFamily, to x: Matrix, components k: Int, covariance: CovarianceType = .full,
        options: EMOptions = EMOptions(), progress: ((FitProgress) -> Void)? = nil
    ) throws -> PriorFit {
        switch family {
        case .gmm:
            let r = try GaussianMixture.fit(x, components: k, covariance: covariance, options: options, progress: progress)
            return PriorFit(prior: .gmm(r.model), meanLogLikelihoods: r.meanLogLikelihoods, iterations: r.iterations,
                            converged: r.converged, seconds: r.seconds, events: r.events)
        case .gsm:
            let r = try GaussianScaleMixture.fit(x, components: k, options: options, progress: progress)
            return PriorFit(prior: .gsm(r.model), meanLogLikelihoods: r.meanLogLikelihoods, iterations: r.iterations,
                            converged: r.converged, seconds: r.seconds, events: r.events)
        case .mvn:
            let start = Date()
            let model = try MultivariateNormal.fit(x, regularization: options.regularization)
            let seconds = Date().timeIntervalSince(start)
            return PriorFit(prior: .mvn(model), meanLogLikelihoods: [try model.meanLogLikelihood(x)], iterations: 0,
                            converged: true, seconds: seconds, events: [])
        }
    }
}
