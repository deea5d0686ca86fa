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
            // α and β: C ← 2AB − C₀ with C₀ = AB gives AB.
            var c = expected
            try Matrix.gemm(a, b, alpha: 2, beta: -1, into: &c)
            #expect(Tolerance.relativeError(c, expected) < 4 * tol)
        }
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
            // A v = λ v for each pair.
            let j = n - 1
            let av = try a.multiplied(byVector: eigen.vector(j))
            #expect(Tolerance.relativeError(av, eigen.vector(j).map { $0 * eigen.values[j] }) < 1e-12)
        }
    }
}
