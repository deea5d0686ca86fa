import Testing
import PropertyBased
import LinearAlgebra
import Randomness
import TestSupport

/// GEMM, GEMV, SYRK and triangular solves against naive loops.
@Suite struct ProductsMatchNaiveLoops {
    static func naiveProduct(_ a: Matrix, _ b: Matrix) -> Matrix {
        var c = Matrix(rows: a.rows, columns: b.columns)
        for i in 0..<a.rows {
            for j in 0..<b.columns {
                var s = 0.0
                for k in 0..<a.columns { s += a[i, k] * b[k, j] }
                c[i, j] = s
            }
        }
        return c
    }

    @Test func gemmWithTranspositions() async {
        await propertyCheck(count: 50, input: Gen.int(in: 1...12), Gen.int(in: 1...12), Gen.int(in: 1...12), Gen.uint64()) { m, k, n, seed in
            var g = SeededGenerator(seed: seed)
            let a = RandomMatrices.gaussian(rows: m, columns: k, using: &g)
            let b = RandomMatrices.gaussian(rows: k, columns: n, using: &g)
            let expected = Self.naiveProduct(a, b)
            let tol = Tolerance.forBackwardStable(order: k) * Double(k)
            #expect(Tolerance.relativeError(try a.multiplied(by: b), expected) < tol)
            #expect(Tolerance.relativeError(try a.transposed.multiplied(by: b, transposeSelf: true), expected) < tol)
            #expect(Tolerance.relativeError(try a.multiplied(by: b.transposed, transposeOther: true), expected) < tol)
            // α and β: C ← αAB + βC₀ with C₀ independent of AB and random α, β (a swap of α
            // and β, or either ignored, gives another matrix).
            let c0 = RandomMatrices.gaussian(rows: m, columns: n, using: &g)
            let alpha = 0.5 + 2 * g.nextUniform(), beta = -0.5 - 2 * g.nextUniform()
            var c = c0
            try Matrix.gemm(a, b, alpha: alpha, beta: beta, into: &c)
            var naive = c0
            for i in 0..<m { for j in 0..<n { naive[i, j] = alpha * expected[i, j] + beta * c0[i, j] } }
            #expect(Tolerance.relativeError(c, naive) < 8 * tol)
        }
    }

    /// With an empty inner dimension (k = 0) AB is the zero matrix: C ← βC₀.
    @Test func gemmWithAnEmptyInnerDimensionScalesC() throws {
        var g = SeededGenerator(seed: 3)
        let c0 = RandomMatrices.gaussian(rows: 3, columns: 4, using: &g)
        var c = c0
        try Matrix.gemm(Matrix(rows: 3, columns: 0), Matrix(rows: 0, columns: 4), alpha: 2, beta: 0.5, into: &c)
        #expect(c.storage == c0.storage.map { 0.5 * $0 })
    }

    @Test func gemvMatchesGemm() async {
        await propertyCheck(count: 40, input: Gen.int(in: 1...15), Gen.int(in: 1...15), Gen.uint64()) { m, n, seed in
            var g = SeededGenerator(seed: seed)
            let a = RandomMatrices.gaussian(rows: m, columns: n, using: &g)
            let x = RandomMatrices.vector(n, using: &g)
            let xm = try Matrix(rows: n, columns: 1, storage: x)
            #expect(Tolerance.relativeError(try a.multiplied(byVector: x), Self.naiveProduct(a, xm).storage) < 1e-13)
            let z = RandomMatrices.vector(m, using: &g)
            let zm = try Matrix(rows: m, columns: 1, storage: z)
            #expect(Tolerance.relativeError(try a.multiplied(byVector: z, transpose: true),
                                            Self.naiveProduct(a.transposed, zm).storage) < 1e-13)
        }
    }

    @Test func syrkIsTheGramMatrix() async {
        await propertyCheck(count: 40, input: Gen.int(in: 1...15), Gen.int(in: 1...15), Gen.uint64()) { m, n, seed in
            var g = SeededGenerator(seed: seed)
            let a = RandomMatrices.gaussian(rows: m, columns: n, using: &g)
            #expect(Tolerance.relativeError(a.gram(), Self.naiveProduct(a.transposed, a)) < 1e-13)
            #expect(Tolerance.relativeError(a.outerGram(), Self.naiveProduct(a, a.transposed)) < 1e-13)
        }
    }

    @Test func triangularSolvesInvertTriangularProducts() async {
        await propertyCheck(count: 40, input: Gen.int(in: 1...20), Gen.int(in: 1...6), Gen.uint64()) { n, k, seed in
            var g = SeededGenerator(seed: seed)
            let l = RandomMatrices.lowerTriangular(n, using: &g)
            let x = RandomMatrices.gaussian(rows: n, columns: k, using: &g)
            // Left: L X = B and Lᵀ X = B.
            for transpose in [false, true] {
                var b = try l.multiplied(by: x, transposeSelf: transpose)
                try Matrix.solveTriangular(l, lower: true, transpose: transpose, side: .left, &b)
                #expect(Tolerance.relativeError(b, x) < 1e-10)
            }
            // Right: X L = B with X k x n.
            let y = RandomMatrices.gaussian(rows: k, columns: n, using: &g)
            var b = try y.multiplied(by: l)
            try Matrix.solveTriangular(l, lower: true, transpose: false, side: .right, &b)
            #expect(Tolerance.relativeError(b, y) < 1e-10)
        }
    }

    @Test func shapeMismatchesThrow() {
        let a = Matrix(rows: 2, columns: 3)
        #expect(throws: LinearAlgebraError.self) { try a.multiplied(by: a) }
        #expect(throws: LinearAlgebraError.self) { try a.multiplied(byVector: [1, 2]) }
        #expect(throws: LinearAlgebraError.self) { try a.adding(Matrix(rows: 3, columns: 2)) }
        #expect(throws: LinearAlgebraError.self) { try Matrix(rows: 2, columns: 2, storage: [1, 2, 3]) }
        #expect(throws: LinearAlgebraError.self) { try Matrix(rowArrays: [[1, 2], [3]]) }
    }
}

/// The symmetric eigendecomposition A = V diag(λ) Vᵀ.
@Suite struct SymmetricEigenLaws {
    @Test func reconstructsAndIsOrthonormal() async {
        await propertyCheck(count: 40, input: Gen.int(in: 1...30), Gen.uint64()) { n, seed in
            var g = SeededGenerator(seed: seed)
            let a = RandomMatrices.spd(n, using: &g)
            let eigen = try a.symmetricEigen()
            let v = eigen.vectors
            let vtv = try v.multiplied(by: v, transposeSelf: true)
            #expect(Tolerance.relativeError(vtv, .identity(n)) < 1e-12)
            let rebuilt = try v.multiplied(by: Matrix.diagonal(eigen.values)).multiplied(by: v, transposeOther: true)
            #expect(Tolerance.relativeError(rebuilt, a) < 1e-12)
            #expect(eigen.values == eigen.values.sorted())
            // A v = λ v for each pair (relative to the largest eigenvalue, the size of A).
            for j in 0..<n {
                let av = try a.multiplied(byVector: eigen.vector(j))
                let residual = zip(av, eigen.vector(j)).map { abs($0 - $1 * eigen.values[j]) }.max()!
                #expect(residual <= 1e-12 * eigen.values[n - 1], "pair \(j) of \(n)")
            }
        }
    }
}
