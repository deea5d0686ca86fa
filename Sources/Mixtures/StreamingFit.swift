import Foundation
import LinearAlgebra
import Randomness

/// Fits a mixture model by EM over samples that arrive in batches, never holding all of them.
///
/// `batches` is called once for the data summary and once per EM iteration, and must
/// produce the same samples, in the same order, every time (for example: read the images
/// of a file and cut each one into patches). A pass accumulates the model's sufficient
/// statistics (for a Gaussian mixture Nₖ = Σᵢ cᵢₖ, the first moments and, for full
/// covariances, Sₖ = Σᵢ cᵢₖ (xᵢ − aₖ)(xᵢ − aₖ)ᵀ about the previous means aₖ: see
/// `GaussianMixtureStatistics`, whose shifts keep the sums at the scale of the spread, not of
/// the mean, so nothing cancels), and the M-step is computed from them alone.
///
/// The initialisation sees a uniform sample of at most `options.initializationSampleLimit`
/// rows (reservoir sampling); when the data has no more rows than that, the sample is all
/// rows in order and the fit is the in-memory `fitEM` with the same options and seed.
///
/// Mathematical properties (tested in `StreamingMatchesInMemory`):
/// - the fitted model equals the in-memory fit from the same initialisation, to rounding,
///   whatever the batch sizes.
public func fitEMStreaming<Model: MixtureModel, Batches: Sequence>(
    batches: () throws -> Batches, components: Int, options: EMOptions = EMOptions(),
    progress: ((FitProgress) -> Void)? = nil,
    initialModel: (inout InitializationContext) throws -> Model
) throws -> FitResult<Model> where Batches.Element == Matrix {
    let start = ContinuousClock.now
    try options.validate()
    return try withoutActuallyEscaping(batches) { batches in try BLASThreads.withSingleThreaded {
        var generator = SeededGenerator(seed: options.seed)
        var reservoir = ReservoirSample(capacity: options.initializationSampleLimit, generator: generator.split())
        let firstPass = BatchedSamples(makeBatches: batches, dimension: nil)
        let summary = try DataSummary.compute(firstPass, blockRows: options.blockRows ?? 0) { block in
            reservoir.offer(block)
        }
        let blockRows = options.blockRows ?? defaultBlockRows(dimension: summary.dimension)
        let source = BatchedSamples(makeBatches: batches, dimension: summary.dimension)
        return try runEM(
            source: source, summary: summary, sample: reservoir.matrix(dimension: summary.dimension),
            components: components, options: options, blockRows: blockRows, generator: generator,
            start: start, progress: progress, initialModel: initialModel)
    } }
}

/// A uniform random sample of at most `capacity` rows from a stream (Vitter's algorithm R):
/// the first `capacity` rows are kept in order; row i > capacity replaces a random kept row
/// with probability capacity / i.
struct ReservoirSample {
    let capacity: Int
    var generator: SeededGenerator
    private(set) var values: [Double] = []
    private(set) var seen = 0

    init(capacity: Int, generator: SeededGenerator) {
        self.capacity = capacity
        self.generator = generator
    }

    mutating func offer(_ block: SampleBlock) {
        let d = block.columns
        for i in 0..<block.rows {
            let row = UnsafeBufferPointer(start: block.base + i * d, count: d)
            seen += 1
            if seen <= capacity {
                values.append(contentsOf: row)
            } else {
                let j = generator.nextInt(below: seen)
                if j < capacity { values.replaceSubrange((j * d)..<((j + 1) * d), with: row) }
            }
        }
    }

    func matrix(dimension: Int) throws -> Matrix {
        try Matrix(rows: values.count / max(dimension, 1), columns: dimension, storage: values)
    }
}
