import Imaging

extension Corruption {
    /// The corruption's blur as a whole-image operator: the identity, or the binomial blur.
    public var degradation: any LinearImageOperator {
        switch blur {
        case .none: return IdentityOperator()
        case .binomial3: return ConvolutionOperator.binomialBlur
        }
    }
}
