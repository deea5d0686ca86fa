/// Buffers for one block of samples, allocated once per fit and reused by every block of
/// every iteration (no allocation in the hot loop). A model's E-step and its accumulation of
/// statistics for the same block communicate through them.
public final class EMWorkspace {
    /// The most rows a block may have.
    public let capacity: Int
    /// The dimension d.
    public let dimension: Int
    /// The number of components K.
    public let components: Int
    /// capacity x d: the block's samples minus the model's centre (set by the E-step).
    public let centred: UnsafeMutablePointer<Double>
    /// capacity x d: model-specific scratch (whitened samples, squares, √r-scaled rows).
    public let scratch: UnsafeMutablePointer<Double>
    /// capacity x K: log(πₖ pₖ(xᵢ)) after the E-step, then the responsibilities cᵢₖ.
    public let logDensities: UnsafeMutablePointer<Double>
    /// capacity: log p(xᵢ) of each row.
    public let logLikelihoods: UnsafeMutablePointer<Double>
    /// capacity: one model-specific number per row (the Mahalanobis form, for the GSM).
    public let perSample: UnsafeMutablePointer<Double>

    public init(capacity: Int, dimension: Int, components: Int) {
        self.capacity = capacity
        self.dimension = dimension
        self.components = components
        func buffer(_ count: Int) -> UnsafeMutablePointer<Double> {
            let p = UnsafeMutablePointer<Double>.allocate(capacity: max(count, 1))
            p.initialize(repeating: 0, count: max(count, 1))
            return p
        }
        centred = buffer(capacity * dimension)
        scratch = buffer(capacity * dimension)
        logDensities = buffer(capacity * components)
        logLikelihoods = buffer(capacity)
        perSample = buffer(capacity)
    }

    deinit {
        centred.deallocate()
        scratch.deallocate()
        logDensities.deallocate()
        logLikelihoods.deallocate()
        perSample.deallocate()
    }
}
