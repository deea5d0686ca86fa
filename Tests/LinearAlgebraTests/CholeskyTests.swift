import Testing
import PropertyBased
import LinearAlgebra
import Randomness
import TestSupport
import Foundation

/// Laws of the Cholesky factorisation and what is built on it.
@Suite struct CholeskyLaws {
    @Test func factorTimesTransposeIsTheMatrix() async {
        await propertyCheck(count: 60, input: Gen.int(in: 1...40), Gen.uint64()) { n, seed in
            var g = SeededGenerator(seed: seed)
            let a = RandomMatrices.spd(n, using: &g)
            let l = try a.cholesky().lower
            let product = try l.multiplied(by: l, transposeOther: true)
            #expect(Tolerance.relativeError(product, a) < Tolerance.forBackwardStable(order: n))
            // L is lower triangular with a positive diagonal.
            for i in 0..<n {
                #expect(l[i, i] > 0)
                for j in (i + 1)..<n { #expect(l[i, j] == 0) }
            }
        }
    }

    @Test func inverseTimesMatrixIsIdentity() async {
        await propertyCheck(count: 60, input: Gen.int(in: 1...40), Gen.uint64()) { n, seed in
            var g = SeededGenerator(seed: seed)
            let a = RandomMatrices.spd(n, ridge: 0.1, using: &g)
            let inverse = try a.spdInverse()
            let product = try inverse.multiplied(by: a)
            // Condition number of A is at most about (4 + 0.1) / 0.1.
            #expect(Tolerance.relativeError(product, .identity(n))
                    < Tolerance.forBackwardStable(order: n, condition: 41))
        }
    }

    @Test func solveSatisfiesTheSystem() async {
        await propertyCheck(count: 40, input: Gen.int(in: 1...30), Gen.int(in: 1...5), Gen.uint64()) { n, k, seed in
            var g = SeededGenerator(seed: seed)
            let a = RandomMatrices.spd(n, using: &g)
            let b = RandomMatrices.gaussian(rows: n, columns: k, using: &g)
            let x = try a.cholesky().solve(b)
            let residual = try a.multiplied(by: x)
            #expect(Tolerance.relativeError(residual, b) < Tolerance.forBackwardStable(order: n, condition: 41))
        }
    }

    @Test func logDeterminantIsSumOfLogEigenvalues() async {
        await propertyCheck(count: 60, input: Gen.int(in: 1...40), Gen.uint64()) { n, seed in
            var g = SeededGenerator(seed: seed)
            let scale = exp(3 * (g.nextUniform() - 0.5))  // vary the size of the numbers
            let a = RandomMatrices.spd(n, scale: scale, using: &g)
            let fromCholesky = try a.logDeterminantSPD()
            let fromEigen = try a.symmetricEigen().values.reduce(0) { $0 + log($1) }
            #expect(abs(fromCholesky - fromEigen) <= 1e-10 * max(1, abs(fromEigen)) * Double(n))
        }
    }

    @Test func inverseTransposedFactorWhitens() async {
        // U = L⁻ᵀ satisfies U Uᵀ = A⁻¹, so ‖xᵀU‖² is the Mahalanobis form xᵀA⁻¹x.
        await propertyCheck(count: 40, input: Gen.int(in: 1...30), Gen.uint64()) { n, seed in
            var g = SeededGenerator(seed: seed)
            let a = RandomMatrices.spd(n, using: &g)
            let factor = try a.cholesky()
            let u = factor.inverseTransposed()
            let x = RandomMatrices.vector(n, using: &g)
            let whitened = try u.multiplied(byVector: x, transpose: true)
            let viaWhitening = whitened.reduce(0) { $0 + $1 * $1 }
            let viaSolve = zip(x, try factor.solve(vector: x)).reduce(0) { $0 + $1.0 * $1.1 }
            #expect(abs(viaWhitening - viaSolve) <= 1e-10 * max(1, viaSolve))
        }
    }

    @Test func notPositiveDefiniteThrowsNamingTheMinor() throws {
        // diag(1, 2, -1, 4): the third leading minor is the first that is not positive.
        let a = Matrix.diagonal([1, 2, -1, 4])
        #expect(throws: LinearAlgebraError.notPositiveDefinite(order: 4, minor: 3)) {
            try a.cholesky()
        }
        let singular = try Matrix(rowArrays: [[1, 1], [1, 1]])
        #expect(throws: LinearAlgebraError.self) { try singular.cholesky() }
        let message = String(describing: LinearAlgebraError.notPositiveDefinite(order: 4, minor: 3))
        #expect(message.contains("not positive definite") && message.contains("regularisation"))
    }

    @Test func nonSquareAndNonFiniteThrow() throws {
        #expect(throws: LinearAlgebraError.self) { try Matrix(rows: 2, columns: 3).cholesky() }
        var a = Matrix.identity(3)
        a[1, 1] = .nan
        #expect(throws: LinearAlgebraError.self) { try a.cholesky() }
    }
}
