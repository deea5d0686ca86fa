/// Turning the data bytes of a `.npy` file into `NumPyArray.Values`, widening where natural:
/// every float kind to float64, every integer kind except uint8 to int64, bool to uint8
/// (0 or 1), and fixed-width UTF-32 to `String`s (trailing U+0000 padding dropped, as NumPy does).
extension ElementType {
    /// Decodes exactly `count` elements from `data`. Throws if the byte count
    /// `count · itemSize` overflows, if `data` is shorter, or if bytes are left over.
    func decode(_ data: UnsafeRawBufferPointer, count: Int, shape: [Int]) throws -> NumPyArray.Values {
        let (bytesNeeded, overflow) = count.multipliedReportingOverflow(by: itemSize)
        guard !overflow else { throw NumPyFormatError.shapeTooLarge(shape) }
        guard data.count >= bytesNeeded else {
            throw NumPyFormatError.truncatedData(
                count: count, dtype: name, bytesNeeded: bytesNeeded, bytesAvailable: data.count)
        }
        guard data.count == bytesNeeded else {
            throw NumPyFormatError.trailingBytes(data.count - bytesNeeded)
        }
        if kind == .unicode && itemSize == 0 && count > 0 {
            throw NumPyFormatError.unsupportedDType("'\(descr)'", reason: "zero-width strings")
        }

        switch (kind, itemSize) {
        case (.float, 2):
            return .float64(words(data, count, UInt16.self) { Double(Float16(bitPattern: $0)) })
        case (.float, 4):
            return .float64(words(data, count, UInt32.self) { Double(Float(bitPattern: $0)) })
        case (.float, _):
            return .float64(words(data, count, UInt64.self) { Double(bitPattern: $0) })
        case (.signedInteger, 1):
            return .int64(words(data, count, UInt8.self) { Int64(Int8(bitPattern: $0)) })
        case (.signedInteger, 2):
            return .int64(words(data, count, UInt16.self) { Int64(Int16(bitPattern: $0)) })
        case (.signedInteger, 4):
            return .int64(words(data, count, UInt32.self) { Int64(Int32(bitPattern: $0)) })
        case (.signedInteger, _):
            return .int64(words(data, count, UInt64.self) { Int64(bitPattern: $0) })
        case (.unsignedInteger, 1):
            return .uint8(Array(data))
        case (.unsignedInteger, 2):
            return .int64(words(data, count, UInt16.self) { Int64($0) })
        case (.unsignedInteger, 4):
            return .int64(words(data, count, UInt32.self) { Int64($0) })
        case (.unsignedInteger, _):
            return .int64(try words(data, count, UInt64.self) { value in
                guard let converted = Int64(exactly: value) else {
                    throw NumPyFormatError.valueOutOfRange("uint64 value \(value) does not fit in int64")
                }
                return converted
            })
        case (.boolean, _):
            return .uint8(data.map { $0 == 0 ? 0 : 1 })
        case (.unicode, _):
            return .unicode(try strings(data, count))
        }
    }

    /// The `count` words of type `Word` in `data` (whose size the caller checked), in this
    /// type's byte order, each transformed.
    private func words<Word: FixedWidthInteger & UnsignedInteger, Result>(
        _ data: UnsafeRawBufferPointer, _ count: Int, _: Word.Type,
        _ transform: (Word) throws -> Result
    ) rethrows -> [Result] {
        var results: [Result] = []
        results.reserveCapacity(count)
        let size = MemoryLayout<Word>.size
        for index in 0 ..< count {
            let raw = data.loadUnaligned(fromByteOffset: index * size, as: Word.self)
            results.append(try transform(bigEndian ? Word(bigEndian: raw) : Word(littleEndian: raw)))
        }
        return results
    }

    /// Fixed-width UTF-32 strings of `itemSize / 4` code units each; trailing zeros are padding.
    private func strings(_ data: UnsafeRawBufferPointer, _ count: Int) throws -> [String] {
        let width = itemSize / 4
        let codeUnits = words(data, count * width, UInt32.self) { $0 }
        var strings: [String] = []
        strings.reserveCapacity(count)
        for index in 0 ..< count {
            var units = codeUnits[index * width ..< (index + 1) * width]
            while units.last == 0 { units.removeLast() }
            var scalars = String.UnicodeScalarView()
            for unit in units {
                guard let scalar = Unicode.Scalar(unit) else { throw NumPyFormatError.invalidCodePoint(unit) }
                scalars.append(scalar)
            }
            strings.append(String(scalars))
        }
        return strings
    }
}
