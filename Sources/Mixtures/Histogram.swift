/// An empirical density of one-dimensional values: the histogram of `bins` equal bins
/// over `range`, normalised by the number of all values and the bin width,
///   f̂ⱼ = #{i : xᵢ ∈ Bⱼ} / (n h),   h = (b − a) / bins,   Bⱼ = [a + j h, a + (j + 1) h),
/// the last bin closed on the right. Values outside the range are counted in n but in no
/// bin, so Σⱼ f̂ⱼ h is the fraction of the values inside the range. Used to compare the
/// tails of data with a model's density on a log scale.
///
/// Mathematical properties (tested in `HistogramLaws`):
/// - Σⱼ f̂ⱼ h equals the fraction of values in [a, b];
/// - each value falls in the bin ⌊(x − a)/h⌋ (b in the last);
/// - for samples of a density, f̂ⱼ approaches the density at the bin centre.
public struct Histogram: Sendable, Equatable {
    /// [a, b].
    public let range: ClosedRange<Double>
    /// The count of values in each bin.
    public let counts: [Int]
    /// n, the number of all values (inside the range or not).
    public let total: Int

    /// Counts `values` in `bins` equal bins over `range`. Throws `invalidOption` for fewer
    /// than one bin, an empty or non-finite range, no values, or a non-finite value.
    public init(_ values: [Double], bins: Int, range: ClosedRange<Double>) throws {
        guard bins >= 1 else { throw MixtureError.invalidOption("a histogram needs at least one bin, not \(bins)") }
        guard range.lowerBound.isFinite, range.upperBound.isFinite, range.lowerBound < range.upperBound else {
            throw MixtureError.invalidOption("the histogram range \(range) must be finite with a < b")
        }
        guard !values.isEmpty else { throw MixtureError.noSamples("the histogram has no values") }
        if let bad = values.firstIndex(where: { !$0.isFinite }) {
            throw MixtureError.invalidOption("value \(bad) of the histogram is \(values[bad]), not finite")
        }
        var counts = [Int](repeating: 0, count: bins)
        let a = range.lowerBound, width = (range.upperBound - range.lowerBound) / Double(bins)
        for x in values where range.contains(x) {
            counts[min(Int((x - a) / width), bins - 1)] += 1
        }
        self.range = range
        self.counts = counts
        self.total = values.count
    }

    /// h = (b − a) / bins.
    public var binWidth: Double { (range.upperBound - range.lowerBound) / Double(counts.count) }

    /// The centre a + (j + ½) h of every bin.
    public var centres: [Double] {
        counts.indices.map { range.lowerBound + (Double($0) + 0.5) * binWidth }
    }

    /// f̂ⱼ = countⱼ / (n h) for every bin.
    public var densities: [Double] {
        let scale = 1 / (Double(total) * binWidth)
        return counts.map { Double($0) * scale }
    }
}
