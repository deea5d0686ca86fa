/// Reordering elements stored in Fortran (column-major) order into C (row-major) order.
///
/// For shape (d₀, …, dₙ₋₁), the element with index (i₀, …, iₙ₋₁) sits at Fortran offset
/// Σₖ iₖ·fₖ with fₖ = ∏_{j<k} dⱼ, and belongs at C offset Σₖ iₖ·cₖ with cₖ = ∏_{j>k} dⱼ.
extension NumPyArray.Values {
    func fortranToC(shape: [Int]) -> NumPyArray.Values {
        switch self {
        case .float64(let values): return .float64(Self.fortranToC(values, shape: shape))
        case .int64(let values): return .int64(Self.fortranToC(values, shape: shape))
        case .uint8(let values): return .uint8(Self.fortranToC(values, shape: shape))
        case .unicode(let values): return .unicode(Self.fortranToC(values, shape: shape))
        }
    }

    /// Walks the Fortran-ordered `values` with an odometer over the index (axis 0 fastest),
    /// keeping the C offset up to date. `values.count` must be ∏ shape.
    private static func fortranToC<Element>(_ values: [Element], shape: [Int]) -> [Element] {
        guard shape.count > 1, let first = values.first else { return values }
        var cStrides = [Int](repeating: 1, count: shape.count)
        for axis in stride(from: shape.count - 2, through: 0, by: -1) {
            cStrides[axis] = cStrides[axis + 1] * shape[axis + 1]
        }
        var result = [Element](repeating: first, count: values.count)
        var index = [Int](repeating: 0, count: shape.count)
        var cOffset = 0
        for value in values {
            result[cOffset] = value
            var axis = 0
            while axis < shape.count {
                index[axis] += 1
                cOffset += cStrides[axis]
                if index[axis] < shape[axis] { break }
                cOffset -= index[axis] * cStrides[axis]
                index[axis] = 0
                axis += 1
            }
        }
        return result
    }
}
