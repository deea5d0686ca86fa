/// Typed access to the elements: each accessor throws `dtypeMismatch` when the array holds
/// another element type, and the scalar accessors throw `notAScalar` unless the array has
/// exactly one element (a 0-d array, or shape (1,), (1, 1), …).
extension NumPyArray {
    /// The elements of a float64 array, in C order.
    public func float64Values() throws -> [Double] {
        guard case .float64(let elements) = values else { throw mismatch("float64") }
        return elements
    }

    /// The elements of an int64 array, in C order.
    public func int64Values() throws -> [Int64] {
        guard case .int64(let elements) = values else { throw mismatch("int64") }
        return elements
    }

    /// The elements of a uint8 array, in C order.
    public func uint8Values() throws -> [UInt8] {
        guard case .uint8(let elements) = values else { throw mismatch("uint8") }
        return elements
    }

    /// The elements of a string array, in C order.
    public func strings() throws -> [String] {
        guard case .unicode(let elements) = values else { throw mismatch("str") }
        return elements
    }

    /// The single value of a one-element float64 array.
    public func float64() throws -> Double {
        try single(float64Values())
    }

    /// The single value of a one-element int64 array.
    public func int64() throws -> Int64 {
        try single(int64Values())
    }

    /// The single string of a one-element string array.
    public func string() throws -> String {
        try single(strings())
    }

    /// Throws `shapeMismatch` unless the array has exactly the shape `expected`.
    public func requireShape(_ expected: [Int]) throws {
        guard shape == expected else {
            throw NumPyFormatError.shapeMismatch(expected: expected, actual: shape)
        }
    }

    private func mismatch(_ expected: String) -> NumPyFormatError {
        .dtypeMismatch(expected: expected, actual: "\(values.dtypeName) array of shape \(NumPyFormatError.pythonTuple(shape))")
    }

    private func single<Element>(_ elements: [Element]) throws -> Element {
        guard elements.count == 1, let element = elements.first else {
            throw NumPyFormatError.notAScalar(shape: shape)
        }
        return element
    }
}
