import CBLAS

/// The rate of this machine's DGEMM (C ← A B for n x n matrices of random values), in
/// GFLOP/s counting 2n³ floating-point operations per product: the best of `repetitions`
/// timed products after one untimed warm-up. Benchmarks report their own rate as a
/// fraction of this, measured in the same run.
public func measureDGEMMRate(size n: Int = 2048, repetitions: Int = 3) -> Double {
    precondition(n >= 1 && repetitions >= 1, "measureDGEMMRate needs n ≥ 1 and at least one repetition")
    var state: UInt64 = 0x9E37_79B9_7F4A_7C15
    func next() -> Double {
        state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
        return Double(state >> 11) * 0x1.0p-53 - 0.5
    }
    let a = (0..<(n * n)).map { _ in next() }
    let b = (0..<(n * n)).map { _ in next() }
    var c = [Double](repeating: 0, count: n * n)
    let clock = ContinuousClock()
    var best = Double.infinity
    for repetition in 0...repetitions {
        let elapsed = clock.measure {
            cblas_dgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, Int32(n), Int32(n), Int32(n),
                        1, a, Int32(n), b, Int32(n), 0, &c, Int32(n))
        }
        let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) * 1e-18
        if repetition > 0 { best = min(best, seconds) }
    }
    return 2 * Double(n) * Double(n) * Double(n) / best / 1e9
}
