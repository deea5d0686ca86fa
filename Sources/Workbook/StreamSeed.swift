/// Seeds for named random streams, derived from the chapter's one `--seed`.
///
/// A chapter that draws noise and also subsamples patches gives each its own stream
/// (`seed(for: "noise")`, `seed(for: "subsample")`), so changing how many numbers one
/// consumes does not change the other. The derivation hashes the stream name with 64-bit
/// FNV-1a, combines it with the base seed, and mixes the result with SplitMix64's
/// finaliser:
///
/// s = mix(base ⊕ (fnv1a(name) · 0x9E3779B97F4A7C15)),
/// mix(z) = z ⊕ (z ≫ 31) after z ← (z ⊕ (z ≫ 30))·0xBF58476D1CE4E5B9, z ← (z ⊕ (z ≫ 27))·0x94D049BB133111EB.
///
/// The same (base, name) always gives the same seed.
public enum StreamSeed {
    /// The seed of stream `name` under base seed `base`.
    public static func derive(base: UInt64, stream name: String) -> UInt64 {
        var z = base ^ (fnv1a(name) &* 0x9E37_79B9_7F4A_7C15)
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// 64-bit FNV-1a of the UTF-8 bytes of `text`.
    static func fnv1a(_ text: String) -> UInt64 {
        var hash: UInt64 = 0xCBF2_9CE4_8422_2325
        for byte in text.utf8 {
            hash ^= UInt64(byte)
            hash = hash &* 0x0000_0100_0000_01B3
        }
        return hash
    }
}
