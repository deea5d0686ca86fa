/// An n-dimensional array as NumPy stores it: a shape and the elements in C (row-major)
/// order, of one of four element types. The element at index (i₀, …, iₙ₋₁) of an array of
/// shape (d₀, …, dₙ₋₁) is `values[Σₖ iₖ·sₖ]` with strides sₖ = ∏_{j>k} dⱼ.
///
/// The invariant `values.count == ∏ shape` (1 for the 0-d shape `[]`) holds for every
/// instance: the initialisers check it.
public struct NumPyArray: Equatable, Sendable {
    /// The elements, in C order, with their type. On disk: `<f8`, `<i8`, `|u1`, `<U{n}`.
    public enum Values: Equatable, Sendable {
        case float64([Double])
        case int64([Int64])
        case uint8([UInt8])
        /// Strings, stored as fixed-width UTF-32 (n = the longest string's length in code points).
        case unicode([String])

        /// The number of elements.
        public var count: Int {
            switch self {
            case .float64(let values): return values.count
            case .int64(let values): return values.count
            case .uint8(let values): return values.count
            case .unicode(let values): return values.count
            }
        }

        /// The NumPy name of the element type: "float64", "int64", "uint8" or "str".
        public var dtypeName: String {
            switch self {
            case .float64: return "float64"
            case .int64: return "int64"
            case .uint8: return "uint8"
            case .unicode: return "str"
            }
        }
    }

    /// The length of each axis; `[]` for a 0-d array (a scalar).
    public let shape: [Int]
    /// The elements in C order.
    public let values: Values

    /// An array of the given shape; throws if a dimension is negative or the number of
    /// values is not the product of the dimensions.
    public init(shape: [Int], values: Values) throws {
        guard shape.allSatisfy({ $0 >= 0 }) else { throw NumPyFormatError.invalidShape(shape) }
        guard let count = Self.elementCount(shape), count == values.count else {
            throw NumPyFormatError.elementCountMismatch(shape: shape, count: values.count)
        }
        self.shape = shape
        self.values = values
    }

    /// An array whose invariant the caller has established.
    init(checkedShape shape: [Int], values: Values) {
        self.shape = shape
        self.values = values
    }

    /// The number of elements.
    public var count: Int { values.count }

    /// ∏ shape, or nil if it overflows `Int`. A zero dimension makes the product 0 whatever
    /// the other dimensions are.
    static func elementCount(_ shape: [Int]) -> Int? {
        if shape.contains(0) { return 0 }
        var product = 1
        for dimension in shape {
            let (next, overflow) = product.multipliedReportingOverflow(by: dimension)
            if overflow { return nil }
            product = next
        }
        return product
    }
}

// MARK: - Convenience initialisers

extension NumPyArray {
    /// A float64 array of the given shape (C order).
    public init(float64 values: [Double], shape: [Int]) throws {
        try self.init(shape: shape, values: .float64(values))
    }

    /// A 1-D float64 array.
    public init(float64 values: [Double]) {
        self.init(checkedShape: [values.count], values: .float64(values))
    }

    /// An int64 array of the given shape (C order).
    public init(int64 values: [Int64], shape: [Int]) throws {
        try self.init(shape: shape, values: .int64(values))
    }

    /// A 1-D int64 array.
    public init(int64 values: [Int64]) {
        self.init(checkedShape: [values.count], values: .int64(values))
    }

    /// A uint8 array of the given shape (C order).
    public init(uint8 values: [UInt8], shape: [Int]) throws {
        try self.init(shape: shape, values: .uint8(values))
    }

    /// A 1-D uint8 array.
    public init(uint8 values: [UInt8]) {
        self.init(checkedShape: [values.count], values: .uint8(values))
    }

    /// A string array of the given shape (C order).
    public init(strings: [String], shape: [Int]) throws {
        try self.init(shape: shape, values: .unicode(strings))
    }

    /// A 1-D string array.
    public init(strings: [String]) {
        self.init(checkedShape: [strings.count], values: .unicode(strings))
    }

    /// A 0-d float64 array (NumPy: `np.array(3.5)`).
    public init(scalar: Double) {
        self.init(checkedShape: [], values: .float64([scalar]))
    }

    /// A 0-d int64 array.
    public init(scalar: Int64) {
        self.init(checkedShape: [], values: .int64([scalar]))
    }

    /// A 0-d int64 array.
    public init(scalar: Int) {
        self.init(scalar: Int64(scalar))
    }

    /// A 0-d string array (NumPy: `np.array("text")`).
    public init(string: String) {
        self.init(checkedShape: [], values: .unicode([string]))
    }
}
