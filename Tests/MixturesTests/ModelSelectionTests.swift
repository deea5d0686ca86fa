import Foundation
import LinearAlgebra
import Mixtures
import PropertyBased
import Randomness
import TestSupport
import Testing

/// Choosing K by held-out likelihood and by BIC.
@Suite struct ModelSelectionLaws {
    @Test func foldsPartitionTheSamplesEvenlyAndReproducibly() async {
        await propertyCheck(count: 50, input: Gen.int(in: 2...200), Gen.int(in: 2...10), Gen.uint64()) { n, folds, seed in
            let f = min(folds, n)
            let assignment = ModelSelection.foldAssignment(count: n, folds: f, seed: seed)
            #expect(assignment.count == n)
            let sizes = (0..<f).map { k in assignment.filter { $0 == k }.count }
            #expect(sizes.max()! - sizes.min()! <= 1)
            #expect(sizes.reduce(0, +) == n)
            #expect(ModelSelection.foldAssignment(count: n, folds: f, seed: seed) == assignment)
        }
    }

    @Test func freeParameterCounts() async {
        await propertyCheck(count: 30, input: Gen.int(in: 1...6), Gen.int(in: 1...10), Gen.uint64()) { k, d, seed in
            var g = SeededGenerator(seed: seed)
            let full = try Fixtures.mixture(.full, components: k, dimension: d, using: &g)
            let diagonal = try Fixtures.mixture(.diagonal, components: k, dimension: d, using: &g)
            let isotropic = try Fixtures.mixture(.isotropic, components: k, dimension: d, using: &g)
            // Weights (K − 1), means K d, covariances.
            #expect(full.freeParameterCount == (k - 1) + k * d + k * d * (d + 1) / 2)
            #expect(diagonal.freeParameterCount == (k - 1) + k * d + k * d)
            #expect(isotropic.freeParameterCount == (k - 1) + k * d + k)
            let normal = try MultivariateNormal(mean: [Double](repeating: 0, count: d), covariance: .identity(d))
            #expect(normal.freeParameterCount == d + d * (d + 1) / 2)
            let gsm = try GaussianScaleMixture(
                weights: [Double](repeating: 1 / Double(k), count: k), scales: [Double](repeating: 1, count: k),
                covariance: .identity(d))
            // Weights (K − 1), scales K, Σ d(d+1)/2, less the joint scale.
            #expect(gsm.freeParameterCount == (k - 1) + k + d * (d + 1) / 2 - 1)
        }
    }

    @Test func bicIsMinusTwiceTheLogLikelihoodPlusTheParameterPenalty() async {
        await propertyCheck(count: 20, input: Gen<CovarianceType>.case, Gen.int(in: 1...3), Gen.int(in: 1...4), Gen.uint64()) { type, k, d, seed in
            var g = SeededGenerator(seed: seed)
            let model = try Fixtures.mixture(type, components: k, dimension: d, using: &g)
            let x = RandomMatrices.gaussian(rows: 40, columns: d, scale: 2, using: &g)
            let sum = try model.logLikelihood(x).reduce(0, +)
            let expected = -2 * sum + Double(model.freeParameterCount) * log(40)
            #expect(abs(try model.bayesianInformationCriterion(x) - expected) < 1e-10 * abs(expected))
        }
    }

    @Test func bothCriteriaFindTheTrueNumberOfClusters() throws {
        var g = SeededGenerator(seed: 21)
        let truth = KnownMixture(
            weights: [0.3, 0.3, 0.4], means: [[0, 0], [12, 0], [0, 12]],
            covariances: [.identity(2), .identity(2), .identity(2)])
        let (x, _) = truth.sample(count: 600, using: &g)
        let options = EMOptions(restarts: 2, seed: 4)
        let scores = try ModelSelection.crossValidate(x, componentCounts: [1, 2, 3, 4], folds: 3, options: options)
        #expect(scores.map(\.components) == [1, 2, 3, 4])
        #expect(scores.allSatisfy { $0.foldMeanLogLikelihoods.count == 3 && $0.standardError >= 0 })
        // Held-out likelihood rises steeply up to the true K, then flattens.
        #expect(scores[2].meanLogLikelihood > scores[1].meanLogLikelihood + 0.5)
        #expect(scores[1].meanLogLikelihood > scores[0].meanLogLikelihood + 0.5)
        #expect(abs(scores[3].meanLogLikelihood - scores[2].meanLogLikelihood) < 0.1)
        // BIC of a fit on all the data, for each K: lowest at the true K.
        let bic = try (1...5).map { k in
            try GaussianMixture.fit(x, components: k, options: options).model.bayesianInformationCriterion(x)
        }
        #expect(bic.indices.min { bic[$0] < bic[$1] }! + 1 == 3, "BIC \(bic)")
    }
}

/// k-means++ and Lloyd iterations.
@Suite struct KMeansLaws {
    @Test func labelsAreNearestCentroidsAndLloydNeverIncreasesTheInertia() async {
        await propertyCheck(count: 30, input: Gen.int(in: 1...6), Gen.int(in: 1...5), Gen.uint64()) { k, d, seed in
            var g = SeededGenerator(seed: seed)
            let x = Fixtures.data(samples: 20 * k + 5, components: 3, dimension: d, using: &g)
            var previous = Double.infinity
            for iterations in 0...4 {
                var h = SeededGenerator(seed: seed)
                let result = try kMeansPlusPlus(x, clusters: k, lloydIterations: iterations, using: &h)
                #expect(result.inertia <= previous * (1 + 1e-12))
                previous = result.inertia
                for i in 0..<x.rows {
                    let distances = (0..<k).map { c in
                        zip(x.row(i), result.centroids.row(c)).reduce(0) { $0 + ($1.0 - $1.1) * ($1.0 - $1.1) }
                    }
                    #expect(distances[result.labels[i]] <= distances.min()! * (1 + 1e-10) + 1e-12)
                    #expect(abs(result.squaredDistances[i] - distances[result.labels[i]]) <= 1e-10 * max(1, distances.min()!))
                }
            }
        }
    }

    /// The first seed is uniform; the second is sample j with probability D²(xⱼ) / Σᵢ D²(xᵢ),
    /// D the distance to the first (the "++"). On the 1-D points 0, 1, 3, 10, given a first
    /// seed at 0 the second is 1, 3 or 10 with probabilities 1/110, 9/110, 100/110 (weighting
    /// by D instead would give 1/14, 3/14, 10/14). Frequencies over 4,000 seeded runs are
    /// checked within 5 binomial standard errors.
    @Test func theSecondSeedIsDrawnInProportionToTheSquaredDistance() throws {
        let x = try Matrix(rows: 4, columns: 1, storage: [0, 1, 3, 10])
        var firstCounts = [Double: Int](), secondAfterZero = [Double: Int]()
        let runs = 4000
        for run in 0..<runs {
            var g = SeededGenerator(seed: UInt64(run))
            let result = try kMeansPlusPlus(x, clusters: 2, lloydIterations: 0, using: &g)
            let first = result.centroids[0, 0], second = result.centroids[1, 0]
            firstCounts[first, default: 0] += 1
            if first == 0 { secondAfterZero[second, default: 0] += 1 }
        }
        for value in [0.0, 1, 3, 10] {
            let share = Double(firstCounts[value, default: 0]) / Double(runs)
            #expect(abs(share - 0.25) <= 5 * (0.25 * 0.75 / Double(runs)).squareRoot(), "first seed \(value): \(share)")
        }
        let trials = Double(secondAfterZero.values.reduce(0, +))
        #expect(secondAfterZero[0] == nil, "the second seed is never the first again")
        for (value, p) in [(1.0, 1.0 / 110), (3, 9.0 / 110), (10, 100.0 / 110)] {
            let share = Double(secondAfterZero[value, default: 0]) / trials
            #expect(abs(share - p) <= 5 * (p * (1 - p) / trials).squareRoot() + 1 / trials, "second seed \(value): \(share) against \(p)")
        }
    }

    @Test func seedsAreDistinctSamples() async {
        await propertyCheck(count: 30, input: Gen.int(in: 1...8), Gen.uint64()) { k, seed in
            var g = SeededGenerator(seed: seed)
            // Many duplicated rows, but at least k distinct ones.
            let distinct = RandomMatrices.gaussian(rows: k, columns: 2, using: &g)
            let x = distinct.rows((0..<(10 * k)).map { $0 % k })
            let result = try kMeansPlusPlus(x, clusters: k, lloydIterations: 0, using: &g)
            let seeds = Set((0..<k).map { result.centroids.row($0) })
            #expect(seeds.count == k)
            #expect(result.inertia == 0)
        }
    }
}

/// The one-pass mean and covariance.
@Suite struct DataSummaryLaws {
    @Test func equalsTheTwoPassFormulasForAnyBlocking() async {
        await propertyCheck(count: 40, input: Gen.int(in: 1...80), Gen.int(in: 1...6), Gen.uint64()) { n, d, seed in
            var g = SeededGenerator(seed: seed)
            let offset = 100 * g.nextGaussian()  // a mean far from zero
            var x = RandomMatrices.gaussian(rows: n, columns: d, using: &g)
            for t in x.storage.indices { x.storage[t] += offset }
            let summary = try DataSummary(x)
            let mean = (0..<d).map { j in (0..<n).reduce(0) { $0 + x[$1, j] } / Double(n) }
            var covariance = Matrix(rows: d, columns: d)
            for i in 0..<n {
                for a in 0..<d { for b in 0..<d { covariance[a, b] += (x[i, a] - mean[a]) * (x[i, b] - mean[b]) / Double(n) } }
            }
            #expect(Fixtures.relativeError(summary.mean, mean) < 1e-13)
            #expect(Tolerance.relativeError(summary.covariance, covariance) < 1e-11)
            #expect(summary.count == n && summary.dimension == d)
            // Through batches (a stream) the same.
            let normal = try MultivariateNormal.fitStreaming(
                batches: { (0..<n).map { x.rows([$0]) } }, regularization: .absolute(1))
            #expect(Fixtures.relativeError(normal.mean, mean) < 1e-13)
        }
    }
}

/// Cross-validation scores each fold with a model fitted without it, and its standard error
/// is s/√F over the F fold scores.
@Suite struct CrossValidationHoldsOut {
    /// The fit receives exactly the rows outside the fold; the fold's score is the mean
    /// log-density of its own rows (here under a fixed N(0, I), whose log-density
    /// −(d log 2π + ‖x‖²)/2 is written out); the standard error follows from those scores.
    @Test func eachFoldIsScoredOnItsOwnRowsByAModelFittedWithoutThem() async {
        await propertyCheck(count: 20, input: Gen.int(in: 6...40), Gen.int(in: 2...5), Gen.int(in: 1...3), Gen.uint64()) {
            n, folds, d, seed in
            var g = SeededGenerator(seed: seed)
            let x = RandomMatrices.gaussian(rows: n, columns: d, using: &g)
            let assignment = ModelSelection.foldAssignment(count: n, folds: folds, seed: seed)
            let standard = try! MultivariateNormal(mean: [Double](repeating: 0, count: d), covariance: .identity(d))
            var training: [Matrix] = []
            let scores = try! ModelSelection.crossValidate(x, componentCounts: [1, 2], folds: folds, seed: seed) { rows, _ in
                training.append(rows)
                return standard
            }
            #expect(training.count == 2 * folds && scores.map(\.components) == [1, 2])
            var expected: [Double] = []
            for f in 0..<folds {
                let heldOut = assignment.indices.filter { assignment[$0] == f }
                let seen = Set((0..<training[f].rows).map { training[f].row($0) })
                #expect(training[f].rows == n - heldOut.count)
                #expect((0..<n).allSatisfy { seen.contains(x.row($0)) == (assignment[$0] != f) })
                let logDensities = heldOut.map { i in
                    -0.5 * (Double(d) * log(2 * Double.pi) + x.row(i).reduce(0) { $0 + $1 * $1 })
                }
                expected.append(logDensities.reduce(0, +) / Double(heldOut.count))
            }
            for score in scores {
                for (a, b) in zip(score.foldMeanLogLikelihoods, expected) { #expect(abs(a - b) <= 1e-12 * (abs(b) + 1)) }
            }
            let f = Double(folds), mean = expected.reduce(0, +) / f
            let s = (expected.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / (f - 1)).squareRoot()
            #expect(abs(scores[0].standardError - s / f.squareRoot()) <= 1e-12 * (s + 1))
            #expect(abs(scores[0].meanLogLikelihood - mean) <= 1e-12 * (abs(mean) + 1))
        }
    }
}
