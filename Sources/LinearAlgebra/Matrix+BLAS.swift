import CBLAS

/// Products through CBLAS (OpenBLAS), on row-major storage.
///
/// GEMM: C ← α op(A) op(B) + β C, where op(X) is X or Xᵀ. SYRK: C ← α A Aᵀ + β C (or AᵀA),
/// which computes only one triangle; `gram` and `outerGram` mirror it to the full matrix.
extension Matrix {
    /// C ← α op(A) op(B) + β C, in place in `c` (DGEMM).
    public static func gemm(
        _ a: Matrix, transposeA: Bool = false,
        _ b: Matrix, transposeB: Bool = false,
        alpha: Double = 1, beta: Double = 0,
        into c: inout Matrix
    ) throws(LinearAlgebraError) {
        let (m, k) = transposeA ? (a.columns, a.rows) : (a.rows, a.columns)
        let (kb, n) = transposeB ? (b.columns, b.rows) : (b.rows, b.columns)
        guard k == kb, c.rows == m, c.columns == n else {
            throw .shapeMismatch(
                "gemm: op(A) is \(m)x\(k), op(B) is \(kb)x\(n), C is \(c.rows)x\(c.columns)")
        }
        guard m > 0, n > 0 else { return }
        if k == 0 {
            for i in c.storage.indices { c.storage[i] *= beta }
            return
        }
        a.storage.withUnsafeBufferPointer { pa in
            b.storage.withUnsafeBufferPointer { pb in
                c.storage.withUnsafeMutableBufferPointer { pc in
                    cblas_dgemm(
                        CblasRowMajor,
                        transposeA ? CblasTrans : CblasNoTrans,
                        transposeB ? CblasTrans : CblasNoTrans,
                        Int32(m), Int32(n), Int32(k), alpha,
                        pa.baseAddress, Int32(max(a.columns, 1)),
                        pb.baseAddress, Int32(max(b.columns, 1)),
                        beta, pc.baseAddress, Int32(max(n, 1)))
                }
            }
        }
    }

    /// op(A) op(B) as a new matrix.
    public func multiplied(
        by b: Matrix, transposeSelf: Bool = false, transposeOther: Bool = false
    ) throws(LinearAlgebraError) -> Matrix {
        let m = transposeSelf ? columns : rows
        let n = transposeOther ? b.rows : b.columns
        var c = Matrix(rows: m, columns: n)
        try Matrix.gemm(self, transposeA: transposeSelf, b, transposeB: transposeOther, into: &c)
        return c
    }

    /// A x for a vector x (DGEMV); with `transpose`, Aᵀ x.
    public func multiplied(
        byVector x: [Double], transpose: Bool = false
    ) throws(LinearAlgebraError) -> [Double] {
        let (inCount, outCount) = transpose ? (rows, columns) : (columns, rows)
        guard x.count == inCount else {
            throw .shapeMismatch("gemv: vector of length \(x.count) for a \(rows)x\(columns) matrix")
        }
        var y = [Double](repeating: 0, count: outCount)
        guard rows > 0, columns > 0 else { return y }
        storage.withUnsafeBufferPointer { pa in
            x.withUnsafeBufferPointer { px in
                y.withUnsafeMutableBufferPointer { py in
                    cblas_dgemv(
                        CblasRowMajor, transpose ? CblasTrans : CblasNoTrans,
                        Int32(rows), Int32(columns), 1, pa.baseAddress, Int32(columns),
                        px.baseAddress, 1, 0, py.baseAddress, 1)
                }
            }
        }
        return y
    }

    /// C ← α AᵀA + β C (`transpose == true`, C is columns x columns) or
    /// C ← α A Aᵀ + β C (`transpose == false`, C is rows x rows), by DSYRK. Only the lower
    /// triangle of C is updated unless `symmetrize` mirrors it to the upper one.
    public static func syrk(
        _ a: Matrix, transpose: Bool, alpha: Double = 1, beta: Double = 0,
        into c: inout Matrix, symmetrize: Bool = true
    ) throws(LinearAlgebraError) {
        let n = transpose ? a.columns : a.rows
        let k = transpose ? a.rows : a.columns
        guard c.rows == n, c.columns == n else {
            throw .shapeMismatch("syrk: result must be \(n)x\(n), is \(c.rows)x\(c.columns)")
        }
        guard n > 0 else { return }
        if k > 0 {
            a.storage.withUnsafeBufferPointer { pa in
                c.storage.withUnsafeMutableBufferPointer { pc in
                    cblas_dsyrk(
                        CblasRowMajor, CblasLower, transpose ? CblasTrans : CblasNoTrans,
                        Int32(n), Int32(k), alpha, pa.baseAddress, Int32(max(a.columns, 1)),
                        beta, pc.baseAddress, Int32(n))
                }
            }
        } else {
            for i in 0..<n { for j in 0...i { c.storage[i * n + j] *= beta } }
        }
        if symmetrize { c.mirrorLowerToUpper() }
    }

    /// AᵀA (columns x columns), by SYRK.
    public func gram() -> Matrix {
        var c = Matrix(rows: columns, columns: columns)
        try! Matrix.syrk(self, transpose: true, into: &c)  // shapes agree by construction
        return c
    }

    /// A Aᵀ (rows x rows), by SYRK.
    public func outerGram() -> Matrix {
        var c = Matrix(rows: rows, columns: rows)
        try! Matrix.syrk(self, transpose: false, into: &c)  // shapes agree by construction
        return c
    }

    /// Copies the lower triangle onto the upper one (square matrices).
    public mutating func mirrorLowerToUpper() {
        precondition(isSquare, "mirrorLowerToUpper needs a square matrix")
        let n = rows
        storage.withUnsafeMutableBufferPointer { p in
            for i in 0..<n { for j in (i + 1)..<max(n, i + 1) { p[i * n + j] = p[j * n + i] } }
        }
    }
}
