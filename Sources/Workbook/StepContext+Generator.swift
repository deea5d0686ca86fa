import Randomness

extension StepContext {
    /// A seeded generator for the named stream of this chapter run: the same chapter, seed
    /// and stream name give the same numbers, whatever other streams consumed.
    public func generator(_ stream: String) -> SeededGenerator {
        SeededGenerator(seed: seed(for: stream))
    }
}
