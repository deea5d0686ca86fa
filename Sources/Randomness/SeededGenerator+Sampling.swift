/// Sampling helpers built on `SeededGenerator`.
extension SeededGenerator {
    /// `count` i.i.d. N(0, σ²) values.
    public mutating func gaussians(count: Int, standardDeviation sigma: Double = 1) -> [Double] {
        (0..<count).map { _ in sigma * nextGaussian() }
    }

    /// A uniformly random subset of `0..<population` of size `count` (without replacement),
    /// in increasing order. Uses a partial Fisher–Yates shuffle.
    public mutating func sampleIndices(_ count: Int, from population: Int) -> [Int] {
        precondition(count >= 0 && count <= population, "cannot draw \(count) of \(population)")
        var indices = Array(0..<population)
        for i in 0..<count {
            let j = i + nextInt(below: population - i)
            indices.swapAt(i, j)
        }
        return indices[0..<count].sorted()
    }
}
