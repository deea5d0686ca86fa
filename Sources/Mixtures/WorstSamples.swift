/// The (at most `capacity`) samples with the lowest log-likelihood seen in a pass, kept
/// worst first, with copies of their values: where empty components are re-seeded.
struct WorstSamples {
    let capacity: Int
    private(set) var logLikelihoods: [Double] = []
    private(set) var samples: [[Double]] = []

    init(capacity: Int) {
        self.capacity = capacity
    }

    /// Offers every row of `block`, whose log-likelihoods are at `values`.
    mutating func offer(_ block: SampleBlock, logLikelihoods values: UnsafePointer<Double>) {
        for i in 0..<block.rows where qualifies(values[i]) {
            insert(values[i], Array(UnsafeBufferPointer(start: block.base + i * block.columns, count: block.columns)))
        }
    }

    /// Keeps the worst of both lists.
    mutating func merge(_ other: WorstSamples) {
        for (value, row) in zip(other.logLikelihoods, other.samples) where qualifies(value) {
            insert(value, row)
        }
    }

    private func qualifies(_ value: Double) -> Bool {
        logLikelihoods.count < capacity || value < logLikelihoods[capacity - 1]
    }

    private mutating func insert(_ value: Double, _ row: [Double]) {
        let position = logLikelihoods.firstIndex(where: { value < $0 }) ?? logLikelihoods.count
        logLikelihoods.insert(value, at: position)
        samples.insert(row, at: position)
        if logLikelihoods.count > capacity {
            logLikelihoods.removeLast()
            samples.removeLast()
        }
    }
}
