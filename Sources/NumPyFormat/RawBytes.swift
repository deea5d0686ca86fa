/// Bounds-checked little-endian reads from raw bytes: every read returns nil instead of
/// reading outside the buffer.
extension UnsafeRawBufferPointer {
    /// The little-endian integer of type `T` at byte `offset`, or nil if the
    /// `MemoryLayout<T>.size` bytes there are not all inside the buffer.
    func littleEndian<T: FixedWidthInteger>(_ type: T.Type, at offset: Int) -> T? {
        guard offset >= 0, offset <= count - MemoryLayout<T>.size else { return nil }
        return T(littleEndian: loadUnaligned(fromByteOffset: offset, as: T.self))
    }

    /// The bytes `offset ..< offset + length`, or nil unless they are all inside the buffer.
    func slice(at offset: Int, length: Int) -> UnsafeRawBufferPointer? {
        guard offset >= 0, length >= 0, offset <= count, length <= count - offset else { return nil }
        return UnsafeRawBufferPointer(rebasing: self[offset ..< offset + length])
    }
}

/// Appending little-endian integers, for writing headers.
extension Array where Element == UInt8 {
    mutating func appendLittleEndian<T: FixedWidthInteger>(_ value: T) {
        Swift.withUnsafeBytes(of: value.littleEndian) { append(contentsOf: $0) }
    }
}
