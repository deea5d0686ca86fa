import Foundation

/// A seedable pseudo-random generator: xoshiro256** (Blackman and Vigna, 2018), its
/// 256-bit state filled from the seed by SplitMix64.
///
/// The standard library's `SystemRandomNumberGenerator` cannot be seeded, and every number
/// the workbook prints must come out the same twice, so all randomness goes through this.
///
/// Mathematical properties (each has a test in `Tests/RandomnessTests/SeededGeneratorTests.swift`):
/// - the same seed gives the same sequence;
/// - `nextUniform()` lies in [0, 1);
/// - `nextGaussian()` has mean 0 and variance 1 (checked to a few standard errors).
public struct SeededGenerator: RandomNumberGenerator, Sendable {
    private var state: (UInt64, UInt64, UInt64, UInt64)
    /// The second Gaussian of the last polar pair, kept for the next call.
    private var spareGaussian: Double?

    /// Seeds the generator. Any 64-bit value is a valid seed (SplitMix64 never yields an
    /// all-zero state).
    public init(seed: UInt64) {
        var splitMix = seed
        func nextSplitMix() -> UInt64 {
            splitMix &+= 0x9E37_79B9_7F4A_7C15
            var z = splitMix
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
        state = (nextSplitMix(), nextSplitMix(), nextSplitMix(), nextSplitMix())
    }

    /// The next 64 random bits (xoshiro256**).
    public mutating func next() -> UInt64 {
        let result = rotateLeft(state.1 &* 5, 7) &* 9
        let t = state.1 << 17
        state.2 ^= state.0
        state.3 ^= state.1
        state.1 ^= state.2
        state.0 ^= state.3
        state.2 ^= t
        state.3 = rotateLeft(state.3, 45)
        return result
    }

    /// A uniform Double in [0, 1): the top 53 bits of `next()` times 2⁻⁵³.
    public mutating func nextUniform() -> Double {
        Double(next() >> 11) * 0x1.0p-53
    }

    /// A standard normal variate by Marsaglia's polar method: draw (u, v) uniform in the
    /// unit disc, s = u² + v², then u·√(−2 ln s / s) and v·√(−2 ln s / s) are independent
    /// N(0, 1). The second is kept for the next call.
    public mutating func nextGaussian() -> Double {
        if let spare = spareGaussian {
            spareGaussian = nil
            return spare
        }
        while true {
            let u = 2 * nextUniform() - 1
            let v = 2 * nextUniform() - 1
            let s = u * u + v * v
            if s > 0 && s < 1 {
                let factor = (-2 * log(s) / s).squareRoot()
                spareGaussian = v * factor
                return u * factor
            }
        }
    }

    /// A uniform integer in `0..<upperBound` (unbiased, by the standard library's method).
    public mutating func nextInt(below upperBound: Int) -> Int {
        Int.random(in: 0..<upperBound, using: &self)
    }

    /// An independent generator for a sub-task: seeded from this one's next output, so
    /// a sub-task's numbers do not depend on how many numbers a sibling consumed.
    public mutating func split() -> SeededGenerator {
        SeededGenerator(seed: next())
    }

    private func rotateLeft(_ x: UInt64, _ k: UInt64) -> UInt64 {
        (x << k) | (x >> (64 - k))
    }
}
