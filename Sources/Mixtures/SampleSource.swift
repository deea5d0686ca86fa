import LinearAlgebra

/// A run of consecutive rows of the data: `rows` samples of `columns` values each, row-major
/// at `base`. The pointer is valid only during the callback that receives the block; the EM
/// engine hands the model one block at a time so that no sample matrix is ever copied.
/// (`@unchecked Sendable`: a read-only view, which the engine shares among threads that
/// only read it, within the callback.)
public struct SampleBlock: @unchecked Sendable {
    /// Row-major samples: sample i, coordinate j is `base[i * columns + j]`.
    public let base: UnsafePointer<Double>
    /// The number of samples in the block.
    public let rows: Int
    /// The dimension d.
    public let columns: Int
    /// The index of the block's first sample in the whole data (over all batches).
    public let firstRow: Int
}

/// Where the samples of a fit come from. The engine reads them as blocks of at most
/// `maxRows` rows (0: the default for the dimension), once per EM iteration.
protocol SampleSource {
    /// The dimension d, or nil before the first batch of a stream has been seen.
    var dimension: Int? { get }
    /// Calls `body` on consecutive blocks covering every sample once, in a fixed order.
    func forEachBlock(maxRows: Int, _ body: (SampleBlock) throws -> Void) throws
}

/// Samples held in one matrix (one sample a row), read in row blocks without copying.
struct InMemorySamples: SampleSource {
    let matrix: Matrix

    var dimension: Int? { matrix.columns }

    func forEachBlock(maxRows: Int, _ body: (SampleBlock) throws -> Void) throws {
        try forEachRowBlock(of: matrix, startingAt: 0, maxRows: maxRows, body)
    }
}

/// Samples produced batch by batch by a closure that is called again for every pass, so a
/// fit over many images never holds all of their patches at once.
struct BatchedSamples<Batches: Sequence>: SampleSource where Batches.Element == Matrix {
    let makeBatches: () throws -> Batches
    let dimension: Int?

    func forEachBlock(maxRows: Int, _ body: (SampleBlock) throws -> Void) throws {
        var seen = 0
        for batch in try makeBatches() {
            if let dimension, batch.columns != dimension, batch.rows > 0 {
                throw MixtureError.dimensionMismatch(
                    expected: dimension, found: batch.columns,
                    context: "the batch starting at sample \(seen)")
            }
            try forEachRowBlock(of: batch, startingAt: seen, maxRows: maxRows, body)
            seen += batch.rows
        }
    }
}

/// Splits the rows of `matrix` into blocks of at most `maxRows` rows (0: the default for
/// its dimension).
func forEachRowBlock(
    of matrix: Matrix, startingAt firstRow: Int, maxRows: Int, _ body: (SampleBlock) throws -> Void
) throws {
    guard matrix.rows > 0, matrix.columns > 0 else { return }
    let d = matrix.columns
    let maxRows = maxRows > 0 ? maxRows : defaultBlockRows(dimension: d)
    try matrix.storage.withUnsafeBufferPointer { p in
        var start = 0
        while start < matrix.rows {
            let n = min(maxRows, matrix.rows - start)
            try body(SampleBlock(base: p.baseAddress! + start * d, rows: n, columns: d,
                                 firstRow: firstRow + start))
            start += n
        }
    }
}

/// The number of rows per block: about 2¹⁸ values (2 MiB, an L2 cache), at least 64 rows.
func defaultBlockRows(dimension d: Int) -> Int {
    max(64, (1 << 18) / max(d, 1))
}
