import CBLAS
import LinearAlgebra

/// The count, mean and covariance of a data set, computed in one pass over its blocks
/// (which also checks every value is finite).
///
/// With a shift s (the first sample, so that the sums stay near the data's own scale):
///   m = s + (1/N) Σᵢ (xᵢ − s),
///   C = (1/N) Σᵢ (xᵢ − s)(xᵢ − s)ᵀ − (m − s)(m − s)ᵀ,
/// the maximum-likelihood covariance (divided by N, not N − 1).
///
/// The engine uses it for the scale of the default regularisation (`meanVariance`), for the
/// identical-components initialisation, and for re-seeding empty components.
///
/// Mathematical properties (tested in `DataSummaryLaws`):
/// - `mean` and `covariance` equal the two-pass formulas (1/N) Σ xᵢ and (1/N) Σ (xᵢ − m)(xᵢ − m)ᵀ;
/// - the result does not depend on how the samples are split into blocks or batches.
public struct DataSummary: Sendable {
    /// N, the number of samples.
    public let count: Int
    /// d, the dimension.
    public let dimension: Int
    /// m = (1/N) Σ xᵢ.
    public let mean: [Double]
    /// C = (1/N) Σ (xᵢ − m)(xᵢ − m)ᵀ (symmetric, d x d).
    public let covariance: Matrix

    /// tr(C) / d, the mean per-coordinate variance: the data scale that a relative
    /// regularisation multiplies.
    public var meanVariance: Double { covariance.trace / Double(max(dimension, 1)) }

    /// (1/N) Σ xᵢ xᵢᵀ = C + m mᵀ, the covariance of a zero-mean model.
    public var secondMoment: Matrix {
        var s = covariance
        for i in 0..<dimension { for j in 0..<dimension { s[i, j] += mean[i] * mean[j] } }
        return s
    }

    /// The summary of the rows of `x`. Throws on an empty matrix or a non-finite value.
    public init(_ x: Matrix) throws {
        self = try DataSummary.compute(InMemorySamples(matrix: x), blockRows: defaultBlockRows(dimension: x.columns))
    }

    init(count: Int, dimension: Int, mean: [Double], covariance: Matrix) {
        self.count = count
        self.dimension = dimension
        self.mean = mean
        self.covariance = covariance
    }

    /// One pass over `source`; `visit` sees every block after it has been checked.
    static func compute(
        _ source: some SampleSource, blockRows: Int, visit: (SampleBlock) -> Void = { _ in }
    ) throws -> DataSummary {
        var dimension = source.dimension
        var count = 0
        var shift: [Double] = []
        var sum: [Double] = []
        var scatter = Matrix(rows: 0, columns: 0)
        var buffer: [Double] = []
        try source.forEachBlock(maxRows: blockRows) { block in
            let d = block.columns
            if let expected = dimension, expected != d {
                throw MixtureError.dimensionMismatch(
                    expected: expected, found: d, context: "the samples starting at \(block.firstRow)")
            }
            try checkFinite(block)
            if shift.isEmpty {
                guard d > 0 else { throw MixtureError.noSamples("the samples have dimension 0") }
                dimension = d
                shift = Array(UnsafeBufferPointer(start: block.base, count: d))
                sum = [Double](repeating: 0, count: d)
                scatter = Matrix(rows: d, columns: d)
            }
            let n = block.rows
            if buffer.count < n * d { buffer = [Double](repeating: 0, count: n * d) }
            buffer.withUnsafeMutableBufferPointer { b in
                for i in 0..<n {
                    for j in 0..<d {
                        let v = block.base[i * d + j] - shift[j]
                        b[i * d + j] = v
                        sum[j] += v
                    }
                }
                scatter.storage.withUnsafeMutableBufferPointer { s in
                    cblas_dsyrk(CblasRowMajor, CblasLower, CblasTrans, Int32(d), Int32(n),
                                1, b.baseAddress, Int32(d), 1, s.baseAddress, Int32(d))
                }
            }
            count += n
            visit(block)
        }
        guard count > 0, let d = dimension else {
            throw MixtureError.noSamples("the data has no rows (or rows of dimension 0)")
        }
        let scale = 1 / Double(count)
        let offset = sum.map { $0 * scale }
        var covariance = scatter
        for i in 0..<d {
            for j in 0...i {
                covariance[i, j] = scatter[i, j] * scale - offset[i] * offset[j]
            }
        }
        covariance.mirrorLowerToUpper()
        let mean = (0..<d).map { shift[$0] + offset[$0] }
        return DataSummary(count: count, dimension: d, mean: mean, covariance: covariance)
    }
}

/// Throws `nonFiniteData` naming the first NaN or infinity in the block.
func checkFinite(_ block: SampleBlock) throws {
    let total = block.rows * block.columns
    for t in 0..<total where !block.base[t].isFinite {
        throw MixtureError.nonFiniteData(
            row: block.firstRow + t / block.columns, column: t % block.columns, value: block.base[t])
    }
}
