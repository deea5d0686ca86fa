import Foundation
import LinearAlgebra
import Mixtures
import PropertyBased
import Randomness
import TestSupport
import Testing

/// Bad input is a thrown `MixtureError` with a clear message, never a crash.
@Suite struct BadInput {
    static func data(_ n: Int = 50, _ d: Int = 3, seed: UInt64 = 1) -> Matrix {
        var g = SeededGenerator(seed: seed)
        return RandomMatrices.gaussian(rows: n, columns: d, using: &g)
    }

    /// The error `body` throws, which must be a `MixtureError`.
    static func mixtureError(_ body: () throws -> Void) -> MixtureError? {
        do {
            try body()
        } catch let error as MixtureError {
            return error
        } catch {
            Issue.record("expected a MixtureError, got \(error)")
        }
        return nil
    }

    @Test func componentCountOutOfRange() throws {
        let x = Self.data(10)
        for k in [0, -1, 11] {
            let error = Self.mixtureError { _ = try GaussianMixture.fit(x, components: k) }
            guard case .invalidComponentCount(let components, let samples) = error else {
                Issue.record("K = \(k): \(String(describing: error))")
                continue
            }
            #expect(components == k && samples == 10)
            #expect(error!.description.contains("K = \(k)"))
        }
        #expect(Self.mixtureError { _ = try GaussianScaleMixture.fit(x, components: 11) } != nil)
        var g = SeededGenerator(seed: 1)
        #expect(Self.mixtureError { _ = try kMeansPlusPlus(x, clusters: 11, using: &g) } != nil)
    }

    @Test func nonFiniteDataNamesTheRowAndColumn() async {
        await propertyCheck(count: 20, input: Gen.int(in: 0..<30), Gen.int(in: 0..<3), Gen.int(in: 0...2)) { row, column, kind in
            var x = Self.data(30)
            let bad = [Double.nan, .infinity, -.infinity][kind]
            x[row, column] = bad
            let error = Self.mixtureError { _ = try GaussianMixture.fit(x, components: 2) }
            guard case .nonFiniteData(let r, let c, _) = error else {
                Issue.record("\(String(describing: error))")
                return
            }
            #expect(r == row && c == column)
            #expect(error!.description.contains("row \(row), column \(column)"))
            // Streaming: the row is counted over all batches.
            let batches = [x.rows(Array(0..<10)), x.rows(Array(10..<30))]
            let streamed = Self.mixtureError { _ = try GaussianMixture.fitStreaming(batches: { batches }, components: 2) }
            guard case .nonFiniteData(let rs, _, _) = streamed else {
                Issue.record("\(String(describing: streamed))")
                return
            }
            #expect(rs == row)
            // Evaluating a fitted model on bad samples too.
            let model = try GaussianMixture.fit(Self.data(30), components: 2).model
            #expect(Self.mixtureError { _ = try model.logLikelihood(x) } != nil)
        }
    }

    @Test func dimensionMismatch() throws {
        let model = try GaussianMixture.fit(Self.data(40, 3), components: 2).model
        let error = Self.mixtureError { _ = try model.logLikelihood(Self.data(5, 4)) }
        guard case .dimensionMismatch(let expected, let found, _) = error else {
            Issue.record("\(String(describing: error))")
            return
        }
        #expect(expected == 3 && found == 4)
        // Initial parameters of another dimension or K.
        #expect(Self.mixtureError {
            _ = try GaussianMixture.fit(Self.data(40, 4), components: 2, initialization: .parameters(model))
        } != nil)
        #expect(Self.mixtureError {
            _ = try GaussianMixture.fit(Self.data(40, 3), components: 3, initialization: .parameters(model))
        } != nil)
        // Parameters whose shapes disagree.
        #expect(Self.mixtureError {
            _ = try GaussianMixture(weights: [0.5, 0.5], means: Matrix(rows: 2, columns: 3),
                                    covariances: .full([.identity(3), .identity(2)]))
        } != nil)
        #expect(Self.mixtureError {
            _ = try GaussianMixture(weights: [0.5, 0.6], means: Matrix(rows: 2, columns: 3),
                                    covariances: .isotropic([1, 1]))
        } != nil)
    }

    @Test func singularCovarianceWithZeroRegularisationSaysWhatToDo() async {
        // Degenerate data: rank < d (the last coordinate twice the first).
        await propertyCheck(count: 15, input: Gen.int(in: 2...5), Gen.int(in: 1...3), Gen.uint64()) { d, k, seed in
            var g = SeededGenerator(seed: seed)
            var x = RandomMatrices.gaussian(rows: 60, columns: d, using: &g)
            for i in 0..<x.rows { x[i, d - 1] = 2 * x[i, 0] }
            let error = Self.mixtureError {
                _ = try GaussianMixture.fit(x, components: k, options: EMOptions(regularization: .absolute(0), seed: seed))
            }
            guard case .singularCovariance = error else {
                Issue.record("\(String(describing: error))")
                return
            }
            #expect(error!.description.contains("increase the regularisation"))
            // With regularisation the same fit succeeds.
            let result = try GaussianMixture.fit(x, components: k, options: EMOptions(seed: seed))
            try result.model.checkInvariants()
            #expect(result.finalMeanLogLikelihood.isFinite)
        }
    }

    @Test func constantCoordinateMakesDiagonalModelsSingular() async {
        await propertyCheck(count: 15, input: Gen.int(in: 1...4), Gen.int(in: 1...3), Gen.uint64()) { d, k, seed in
            var g = SeededGenerator(seed: seed)
            var x = RandomMatrices.gaussian(rows: 60, columns: d + 1, using: &g)
            for i in 0..<x.rows { x[i, d] = 0.1 }
            let error = Self.mixtureError {
                _ = try GaussianMixture.fit(x, components: k, covariance: .diagonal,
                                            options: EMOptions(regularization: .absolute(0), seed: seed))
            }
            guard case .singularCovariance = error else {
                Issue.record("\(String(describing: error))")
                return
            }
            let result = try GaussianMixture.fit(x, components: k, covariance: .diagonal, options: EMOptions(seed: seed))
            try result.model.checkInvariants()
        }
    }

    @Test func constantDataFailsEvenForTheScaleMixtureAndNormal() throws {
        let x = Matrix(rows: 20, columns: 2, repeating: 3)
        #expect(Self.mixtureError { _ = try MultivariateNormal.fit(x, regularization: .absolute(0)) } != nil)
        #expect(Self.mixtureError {
            _ = try GaussianScaleMixture.fit(Matrix(rows: 20, columns: 2), components: 2,
                                             options: EMOptions(regularization: .absolute(0)))
        } != nil)
        // Relative regularisation of data with zero variance is zero too: still an error.
        #expect(Self.mixtureError { _ = try GaussianMixture.fit(x, components: 1) } != nil)
        #expect(try MultivariateNormal.fit(x, regularization: .absolute(1e-3)).covariance[0, 0] == 1e-3)
    }

    @Test func zeroIterationsReturnTheInitialisation() async {
        await propertyCheck(count: 20, input: Gen<CovarianceType>.case, Gen.int(in: 1...4), Gen.int(in: 1...4), Gen.uint64()) { type, k, d, seed in
            var g = SeededGenerator(seed: seed)
            let x = Fixtures.data(samples: 50, components: 2, dimension: d, using: &g)
            let start = try Fixtures.mixture(type, components: k, dimension: d, using: &g)
            let result = try GaussianMixture.fit(
                x, components: k, covariance: type, initialization: .parameters(start),
                options: EMOptions(maxIterations: 0))
            #expect(result.model == start)
            #expect(result.iterations == 0)
            #expect(!result.converged)
            // ℓ of the initialisation, to rounding (the fit sums over threads in another order).
            let expected = try start.meanLogLikelihood(x)
            #expect(result.meanLogLikelihoods.count == 1)
            #expect(abs(result.meanLogLikelihoods[0] - expected) <= 1e-13 * max(1, abs(expected)))
        }
    }

    @Test func optionsOutOfRange() {
        let x = Self.data()
        for options in [EMOptions(maxIterations: -1), EMOptions(tolerance: -1), EMOptions(tolerance: .nan),
                        EMOptions(regularization: .relative(-1)), EMOptions(restarts: 0), EMOptions(blockRows: 0)] {
            let error = Self.mixtureError { _ = try GaussianMixture.fit(x, components: 2, options: options) }
            guard case .invalidOption = error else {
                Issue.record("\(String(describing: error))")
                continue
            }
        }
    }

    @Test func emptyData() {
        #expect(Self.mixtureError { _ = try GaussianMixture.fit(Matrix(rows: 0, columns: 3), components: 1) } != nil)
        #expect(Self.mixtureError { _ = try GaussianMixture.fitStreaming(batches: { [Matrix]() }, components: 1) } != nil)
        #expect(Self.mixtureError { _ = try DataSummary(Matrix(rows: 4, columns: 0)) } != nil)
    }
}
