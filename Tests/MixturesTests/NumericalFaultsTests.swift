import Foundation
import LinearAlgebra
import Mixtures
import PropertyBased
import Randomness
import TestSupport
import Testing

/// Data and starts that break naive EM: EM keeps working (re-seeding, regularisation),
/// says what it did, and keeps its lower bound where the theory says it must.
@Suite struct NumericalFaults {
    /// The M-steps (numbers t of ℓₜ) that re-seeded a component.
    static func reseedingSteps(_ events: [FitEvent]) -> Set<Int> {
        Set(events.compactMap { if case .componentReseeded(let t, _, _) = $0 { return t } else { return nil } })
    }

    /// ℓₜ ≥ ℓₜ₋₁ (to rounding) at every M-step that did not re-seed; at one that did, the
    /// new component takes weight 1/(N + 1) from the others, so ℓ may fall, by at most
    /// log(1 + 1/N) (the documented exception, see `FitResult.meanLogLikelihoods`).
    static func expectBound(_ trace: [Double], events: [FitEvent], samples n: Int) {
        let reseeded = reseedingSteps(events)
        for t in 1..<trace.count {
            let slack = 1e-10 * max(1, abs(trace[t - 1])) + (reseeded.contains(t) ? log1p(1 / Double(n)) : 0)
            #expect(trace[t] >= trace[t - 1] - slack, "ℓ fell from \(trace[t - 1]) to \(trace[t]) at M-step \(t)")
        }
    }

    @Test func aComponentThatLosesAllItsSamplesIsReseeded() async {
        await propertyCheck(count: 20, input: Gen<CovarianceType>.case, Gen.int(in: 2...4), Gen.int(in: 1...4), Gen.uint64()) { type, k, d, seed in
            var g = SeededGenerator(seed: seed)
            let x = Fixtures.data(samples: 40 * k + 40, components: 2, dimension: d, using: &g)
            // Component 0 starts a thousand standard deviations away: its responsibility
            // underflows to 0 for every sample.
            let random = try Fixtures.mixture(type, components: k, dimension: d, using: &g)
            var means = x.rows(g.sampleIndices(k, from: x.rows))
            for j in 0..<d { means[0, j] = 1e4 }
            let start = try GaussianMixture(weights: random.weights, means: means, covariances: random.covariances)
            var reports: [FitProgress] = []
            let result = try GaussianMixture.fit(
                x, components: k, covariance: type, initialization: .parameters(start),
                options: EMOptions(maxIterations: 12, tolerance: 0, regularization: .absolute(0))) { reports.append($0) }
            #expect(Self.reseedingSteps(result.events).contains(1), "events: \(result.events)")
            #expect(reports.map(\.meanLogLikelihood) == result.meanLogLikelihoods, "progress reports every ℓ")
            try result.model.checkInvariants()
            Self.expectBound(result.meanLogLikelihoods, events: result.events, samples: x.rows)
        }
    }

    @Test func aScaleThatLosesAllItsSamplesIsReseeded() async {
        await propertyCheck(count: 20, input: Gen.int(in: 2...4), Gen.int(in: 1...4), Gen.uint64()) { k, d, seed in
            var g = SeededGenerator(seed: seed)
            let x = RandomMatrices.gaussian(rows: 40 * d + 60, columns: d, scale: 1.5, using: &g)
            // Scale 0 is 10⁶⁰ times the others: its responsibility underflows everywhere.
            var scales = (0..<k).map { _ in exp(g.nextUniform()) }
            scales[0] = 1e60
            let start = try GaussianScaleMixture(
                weights: [Double](repeating: 1 / Double(k), count: k), scales: scales,
                covariance: RandomMatrices.spd(d, ridge: 0.3, using: &g))
            let result = try GaussianScaleMixture.fit(
                x, components: k, initialization: .parameters(start),
                options: EMOptions(maxIterations: 12, tolerance: 0, regularization: .absolute(0)))
            #expect(Self.reseedingSteps(result.events).contains(1), "events: \(result.events)")
            try result.model.checkInvariants()
            #expect(result.meanLogLikelihoods.allSatisfy { $0.isFinite })
            Self.expectBound(result.meanLogLikelihoods, events: result.events, samples: x.rows)
        }
    }

    /// Every sample repeated r times: the responsibilities are the same, every sum is r
    /// times larger, so the fit (parameters and ℓ of every iteration) is the same.
    @Test func duplicatedSamplesGiveTheSameFit() async {
        await propertyCheck(count: 15, input: Gen<CovarianceType>.case, Gen.int(in: 1...3), Gen.int(in: 2...4), Gen.uint64()) { type, k, r, seed in
            var g = SeededGenerator(seed: seed)
            let x = Fixtures.data(samples: 60, components: 2, dimension: 3, using: &g)
            let repeated = try Matrix(rowArrays: (0..<(r * x.rows)).map { x.row($0 % x.rows) })
            let start = try GaussianMixture.fit(x, components: k, covariance: type, options: EMOptions(maxIterations: 0, seed: seed)).model
            let options = EMOptions(maxIterations: 8, tolerance: 0, regularization: .absolute(1e-3))
            let once = try GaussianMixture.fit(x, components: k, covariance: type, initialization: .parameters(start), options: options)
            let again = try GaussianMixture.fit(repeated, components: k, covariance: type, initialization: .parameters(start), options: options)
            #expect(Fixtures.relativeError(again.meanLogLikelihoods, once.meanLogLikelihoods) < 1e-10)
            #expect(Fixtures.relativeError(again.model.weights, once.model.weights) < 1e-10)
            #expect(Tolerance.relativeError(again.model.means, once.model.means) < 1e-9)
            for c in 0..<k { #expect(Tolerance.relativeError(again.model.covariance(c), once.model.covariance(c)) < 1e-9) }
        }
    }

    /// An atom: a third of the samples are one point. A component collapses onto it (or two
    /// share it), its covariance shrinking to the regularisation εI, which keeps it positive definite; with
    /// ε = 0 the fit fails with a message that says what to do.
    @Test func anAtomOfDuplicatesIsHeldByTheRegularisation() async {
        await propertyCheck(count: 10, input: Gen.int(in: 2...4), Gen.uint64()) { d, seed in
            var g = SeededGenerator(seed: seed)
            var x = Fixtures.data(samples: 150, components: 2, dimension: d, using: &g)
            let atom = x.row(0)
            for i in 0..<50 { x.setRow(i, to: atom) }
            // Start one component at the atom with a small covariance, so it claims it.
            let others = try GaussianMixture.fit(x, components: 3, options: EMOptions(maxIterations: 0, seed: seed)).model
            var means = others.means
            means.setRow(0, to: atom)
            var covariances = (0..<3).map { others.covariance($0) }
            covariances[0] = Matrix.identity(d).scaled(by: 1e-4)
            let start = try GaussianMixture(weights: [0.4, 0.3, 0.3], means: means, covariances: .full(covariances))
            let options = EMOptions(maxIterations: 30, tolerance: 0)
            let fit = try GaussianMixture.fit(x, components: 3, initialization: .parameters(start), options: options)
            try fit.model.checkInvariants()
            #expect(fit.meanLogLikelihoods.allSatisfy { $0.isFinite })
            let epsilon = fit.regularization
            #expect(epsilon == 1e-6 * (try DataSummary(x)).meanVariance, "the regularisation used is reported")
            let held = try fit.model.covariance(0).symmetricEigen().values
            #expect(held.min()! >= epsilon * (1 - 1e-6) && held.max()! <= 10 * epsilon,
                    "the atom's component shrinks to εI: eigenvalues \(held), ε = \(epsilon)")
            // The atom's samples go to the components that collapsed onto it (sometimes two
            // share it: a fixed point as good as one), and nothing else but samples that
            // happen to lie within a few standard deviations √(10ε) of it.
            let radius = 10 * (10 * epsilon).squareRoot()
            func distanceToAtom(_ v: [Double]) -> Double {
                zip(v, atom).map { ($0 - $1) * ($0 - $1) }.reduce(0, +).squareRoot()
            }
            var onAtom: [Int] = []
            for c in 0..<3 where distanceToAtom(fit.model.means.row(c)) < radius {
                if try fit.model.covariance(c).symmetricEigen().values.max()! <= 10 * epsilon { onAtom.append(c) }
            }
            let heldWeight = onAtom.map { fit.model.weights[$0] }.reduce(0, +)
            let near = (50..<150).filter { distanceToAtom(x.row($0)) < radius }.count
            #expect(onAtom.contains(0))
            #expect(heldWeight > 50.0 / 150 - 1e-4 && heldWeight < Double(50 + near) / 150 + 1e-4,
                    "the components on the atom hold it and little else: weight \(heldWeight), \(near) samples near it")
            // With ε = 0 the same component shrinks below ε, until its covariance is
            // singular, which is an error that says what to do.
            var unregularised = options
            unregularised.regularization = .absolute(0)
            do {
                let bare = try GaussianMixture.fit(x, components: 3, initialization: .parameters(start), options: unregularised)
                #expect(try bare.model.covariance(0).symmetricEigen().values.min()! < epsilon)
            } catch let error as MixtureError {
                #expect(error.description.contains("increase the regularisation"))
            }
        }
    }

    /// Data of rank r < d (every sample in an r-dimensional subspace): with the default
    /// regularisation every family fits, each covariance at least εI and ℓ finite. For
    /// the GMM ℓ never falls by more than the O(ε) the regularised M-step allows. For the
    /// scale mixture εI alone decides Σ in the missing directions, where the likelihood
    /// is unbounded, and ℓ can fall by whole nats (see `FitResult.meanLogLikelihoods`):
    /// no monotonicity is claimed there.
    @Test func dataOfLowRankFitsWithRegularisation() async {
        await propertyCheck(count: 10, input: Gen.int(in: 3...6), Gen.int(in: 1...3), Gen.uint64()) { d, k, seed in
            var g = SeededGenerator(seed: seed)
            let rank = 1 + g.nextInt(below: d - 1)
            let z = Fixtures.data(samples: 200, components: 2, dimension: rank, using: &g)
            let x = try z.multiplied(by: RandomMatrices.gaussian(rows: rank, columns: d, using: &g))
            let options = EMOptions(maxIterations: 15, tolerance: 0, seed: seed)
            let epsilon = 1e-6 * (try DataSummary(x)).meanVariance
            for type in CovarianceType.allCases {
                let fit = try GaussianMixture.fit(x, components: k, covariance: type, options: options)
                try fit.model.checkInvariants()
                for c in 0..<k {
                    #expect(try fit.model.covariance(c).symmetricEigen().values.min()! >= epsilon * (1 - 1e-6))
                }
                Self.expectSmallDrops(fit.meanLogLikelihoods, events: fit.events)
            }
            let centred = try z.multiplied(by: RandomMatrices.gaussian(rows: rank, columns: d, using: &g))
            let gsm = try GaussianScaleMixture.fit(centred, components: k, options: options)
            try gsm.model.checkInvariants()
            #expect(gsm.meanLogLikelihoods.allSatisfy { $0.isFinite })
            #expect(try gsm.model.covariance.symmetricEigen().values.min()! >= gsm.regularization * (1 - 1e-6))
            let mvn = try MultivariateNormal.fit(x)
            #expect(try mvn.meanLogLikelihood(x).isFinite)
        }
    }

    /// ℓ may fall by O(ε) per M-step when ε > 0 (Σ + εI is not the exact maximiser): here
    /// by less than 10⁻⁶ of |ℓ| (plus the re-seeding allowance).
    static func expectSmallDrops(_ trace: [Double], events: [FitEvent]) {
        let reseeded = reseedingSteps(events)
        for t in 1..<trace.count where !reseeded.contains(t) {
            #expect(trace[t] >= trace[t - 1] - 1e-6 * max(1, abs(trace[t - 1])), "ℓ fell at \(t): \(trace)")
        }
    }

    /// Values of a million: with the relative regularisation the fit is the same up to the
    /// units: means × s, covariances × s², weights and scales unchanged, ℓ shifted by
    /// −d log s.
    @Test func valuesOfAMillionChangeOnlyTheUnits() async {
        await propertyCheck(count: 15, input: Gen<CovarianceType>.case, Gen.int(in: 1...3), Gen.int(in: 1...4), Gen.uint64()) { type, k, d, seed in
            var g = SeededGenerator(seed: seed)
            let x = Fixtures.data(samples: 50 * k, components: 2, dimension: d, using: &g)
            let s = 1e6
            let big = x.scaled(by: s)
            let start = try GaussianMixture.fit(x, components: k, covariance: type, options: EMOptions(maxIterations: 0, seed: seed)).model
            let scaledCovariances: Covariances
            switch start.covariances {
            case .full(let matrices): scaledCovariances = .full(matrices.map { $0.scaled(by: s * s) })
            case .diagonal(let variances): scaledCovariances = .diagonal(variances.scaled(by: s * s))
            case .isotropic(let variances): scaledCovariances = .isotropic(variances.map { $0 * s * s })
            }
            let bigStart = try GaussianMixture(weights: start.weights, means: start.means.scaled(by: s), covariances: scaledCovariances)
            let options = EMOptions(maxIterations: 10, tolerance: 0)
            let small = try GaussianMixture.fit(x, components: k, covariance: type, initialization: .parameters(start), options: options)
            let large = try GaussianMixture.fit(big, components: k, covariance: type, initialization: .parameters(bigStart), options: options)
            let shift = Double(d) * log(s)
            #expect(Fixtures.relativeError(large.meanLogLikelihoods.map { $0 + shift }, small.meanLogLikelihoods) < 1e-8)
            #expect(Fixtures.relativeError(large.model.weights, small.model.weights) < 1e-8)
            #expect(Tolerance.relativeError(large.model.means.scaled(by: 1 / s), small.model.means) < 1e-8)
            for c in 0..<k {
                #expect(Tolerance.relativeError(large.model.covariance(c).scaled(by: 1 / (s * s)), small.model.covariance(c)) < 1e-8)
            }
            let gsmSmall = try GaussianScaleMixture.fit(x, components: k, options: EMOptions(maxIterations: 10, tolerance: 0))
            let gsmLarge = try GaussianScaleMixture.fit(big, components: k, options: EMOptions(maxIterations: 10, tolerance: 0))
            #expect(Fixtures.relativeError(gsmLarge.model.scales, gsmSmall.model.scales) < 1e-8)
            #expect(Tolerance.relativeError(gsmLarge.model.covariance.scaled(by: 1 / (s * s)), gsmSmall.model.covariance) < 1e-8)
        }
    }
}
