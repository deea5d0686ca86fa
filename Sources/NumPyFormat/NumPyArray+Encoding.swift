/// The on-disk form of the elements: little-endian `<f8`, `<i8`, `|u1`, and `<U{n}` with
/// n = the largest number of Unicode code points in any string (at least 1, as NumPy does),
/// each string written as n UTF-32LE code units, zero-padded.
extension NumPyArray.Values {
    /// The header's descr and the data bytes. Throws `unrepresentableString` for a string
    /// ending in U+0000: NumPy strips trailing zeros, so it would not read back the same.
    func encoded() throws -> (descr: String, bytes: [UInt8]) {
        switch self {
        case .float64(let values):
            // A Double's bytes in memory are its bit pattern in the host's byte order.
            let bytes = Self.hostIsLittleEndian
                ? values.withUnsafeBytes { Array($0) } : Self.littleEndianBytes(values.map(\.bitPattern))
            return ("<f8", bytes)
        case .int64(let values):
            return ("<i8", Self.littleEndianBytes(values))
        case .uint8(let values):
            return ("|u1", values)
        case .unicode(let strings):
            if let bad = strings.first(where: { $0.unicodeScalars.last == "\u{0}" }) {
                throw NumPyFormatError.unrepresentableString(bad)
            }
            let width = max(1, strings.map(\.unicodeScalars.count).max() ?? 1)
            var codeUnits: [UInt32] = []
            codeUnits.reserveCapacity(strings.count * width)
            for string in strings {
                codeUnits.append(contentsOf: string.unicodeScalars.map(\.value))
                codeUnits.append(contentsOf: repeatElement(0, count: width - string.unicodeScalars.count))
            }
            return ("<U\(width)", Self.littleEndianBytes(codeUnits))
        }
    }

    /// On a little-endian host the in-memory bytes are already the file's bytes.
    private static var hostIsLittleEndian: Bool { 1.littleEndian == 1 }

    private static func littleEndianBytes<Word: FixedWidthInteger>(_ words: [Word]) -> [UInt8] {
        if hostIsLittleEndian { return words.withUnsafeBytes { Array($0) } }
        let size = MemoryLayout<Word>.size
        return [UInt8](unsafeUninitializedCapacity: words.count * size) { buffer, initialized in
            let raw = UnsafeMutableRawBufferPointer(buffer)
            for (index, word) in words.enumerated() {
                raw.storeBytes(of: word.littleEndian, toByteOffset: index * size, as: Word.self)
            }
            initialized = words.count * size
        }
    }
}
