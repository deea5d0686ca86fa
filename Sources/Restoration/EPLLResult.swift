import Imaging

/// One EPLL iteration (a z-step and an x-step at one β), over all the images restored together.
public struct EPLLIteration: Sendable, Equatable {
    /// 1, 2, ... over the whole run.
    public let number: Int
    /// The position in the β schedule, from 0.
    public let betaIndex: Int
    /// β itself (not in units of 1/σ²).
    public let beta: Double
    /// The mean PSNR of the current images against the clean ones (estimates clipped to
    /// [0, peak]); nil when no clean images were given.
    public let psnr: Double?
    /// Wall-clock seconds of this iteration (z-step, x-step and scoring).
    public let seconds: Double
    /// The most conjugate-gradient iterations any image took (0 for the closed form).
    public let conjugateGradientIterations: Int
    /// The largest relative residual ‖b − M x‖ / ‖b‖ of the x-step over the images.
    public let relativeResidual: Double
}

/// What `EPLL.restore` returns.
public struct EPLLResult: Sendable {
    /// The restored images (not clipped: the metrics clip, per the protocol).
    public let restored: [Image]
    /// The mean PSNR of the start x⁰ against the clean images, when given.
    public let initialPSNR: Double?
    public let iterations: [EPLLIteration]

    /// The total wall-clock seconds of the iterations.
    public var seconds: Double { iterations.reduce(0) { $0 + $1.seconds } }
}
