import Foundation
import LinearAlgebra
import Randomness

/// The held-out score of one K in k-fold cross-validation.
public struct CrossValidationScore: Sendable {
    /// K.
    public let components: Int
    /// The mean log-likelihood of each held-out fold under the model fitted to the others.
    public let foldMeanLogLikelihoods: [Double]

    /// The mean over folds.
    public var meanLogLikelihood: Double {
        foldMeanLogLikelihoods.reduce(0, +) / Double(foldMeanLogLikelihoods.count)
    }

    /// The standard error of that mean, s/√F with s the sample standard deviation over the
    /// F folds.
    public var standardError: Double {
        let f = Double(foldMeanLogLikelihoods.count)
        guard f > 1 else { return 0 }
        let m = meanLogLikelihood
        let variance = foldMeanLogLikelihoods.reduce(0) { $0 + ($1 - m) * ($1 - m) } / (f - 1)
        return (variance / f).squareRoot()
    }
}

/// Choosing K: held-out log-likelihood by k-fold cross-validation, and BIC.
///
/// Mathematical properties (tested in `ModelSelectionLaws`):
/// - the folds partition the samples, with sizes that differ by at most one, and the same
///   seed gives the same folds;
/// - BIC = −2 N ℓ + p log N with p the free parameters: (K − 1) + K d + K d(d+1)/2 (full),
///   K d (diagonal) or K (isotropic) covariance parameters.
public enum ModelSelection {
    /// The fold of each of `count` samples: a seeded random permutation dealt out in turn,
    /// so fold sizes differ by at most one.
    public static func foldAssignment(count n: Int, folds: Int, seed: UInt64) -> [Int] {
        var generator = SeededGenerator(seed: seed)
        var order = Array(0..<n)
        for i in stride(from: n - 1, to: 0, by: -1) { order.swapAt(i, generator.nextInt(below: i + 1)) }
        var fold = [Int](repeating: 0, count: n)
        for (position, sample) in order.enumerated() { fold[sample] = position % folds }
        return fold
    }

    /// For each K: fit on all folds but one (`fit(training, K)`), score the mean
    /// log-likelihood of the held-out fold, for every fold in turn.
    public static func crossValidate<Model: MixtureModel>(
        _ x: Matrix, componentCounts: [Int], folds: Int = 5, seed: UInt64 = 0,
        fit: (_ training: Matrix, _ components: Int) throws -> Model
    ) throws -> [CrossValidationScore] {
        guard folds >= 2, folds <= x.rows else {
            throw MixtureError.invalidOption("cross-validation needs 2 to N = \(x.rows) folds, got \(folds)")
        }
        let assignment = foldAssignment(count: x.rows, folds: folds, seed: seed)
        let splits = (0..<folds).map { f in
            (training: x.rows(assignment.indices.filter { assignment[$0] != f }),
             heldOut: x.rows(assignment.indices.filter { assignment[$0] == f }))
        }
        return try componentCounts.map { k in
            let scores = try splits.map { split in
                try fit(split.training, k).meanLogLikelihood(split.heldOut)
            }
            return CrossValidationScore(components: k, foldMeanLogLikelihoods: scores)
        }
    }

    /// Cross-validation of Gaussian mixtures fitted by `GaussianMixture.fit`.
    public static func crossValidate(
        _ x: Matrix, componentCounts: [Int], folds: Int = 5, covariance: CovarianceType = .full,
        initialization: GaussianMixture.Initialization = .kMeansPlusPlus(), options: EMOptions = EMOptions()
    ) throws -> [CrossValidationScore] {
        try crossValidate(x, componentCounts: componentCounts, folds: folds, seed: options.seed) { training, k in
            try GaussianMixture.fit(training, components: k, covariance: covariance,
                                    initialization: initialization, options: options).model
        }
    }

    /// The score with the highest mean held-out log-likelihood.
    public static func best(_ scores: [CrossValidationScore]) -> CrossValidationScore? {
        scores.max { $0.meanLogLikelihood < $1.meanLogLikelihood }
    }

}
