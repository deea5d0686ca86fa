/// The header of a `.npy` file:
///
///     \x93NUMPY  major minor  header length (UInt16 LE in 1.0, UInt32 LE in 2.0 and 3.0)
///     {'descr': '<f8', 'fortran_order': False, 'shape': (2, 3), }   spaces   \n
///
/// The dictionary is padded with spaces and ends in a newline so that the data start at a
/// multiple of 64 bytes. Versions 1.0 and 2.0 encode the dictionary as Latin-1, 3.0 as UTF-8.
struct NPYHeader: Equatable {
    static let magic: [UInt8] = [0x93] + Array("NUMPY".utf8)
    /// The data start at a multiple of this many bytes.
    static let alignment = 64
    /// NumPy leaves room for this many digits in the first dimension so that the header can
    /// be rewritten in place when the array grows; we pad the same way, so that our files
    /// are byte-identical to NumPy's.
    static let growthAxisMaxDigits = 21

    var descr: String
    var fortranOrder: Bool
    var shape: [Int]

    /// The header bytes, version 1.0 (2.0 only if the dictionary exceeds 65535 bytes),
    /// formatted exactly as NumPy's `np.save` formats them.
    func encoded() -> [UInt8] {
        var dictionary = "{'descr': '\(descr)', 'fortran_order': \(fortranOrder ? "True" : "False"), "
            + "'shape': \(NumPyFormatError.pythonTuple(shape)), }"
        if let growthAxis = fortranOrder ? shape.last : shape.first {
            dictionary += String(repeating: " ", count: max(0, Self.growthAxisMaxDigits - String(growthAxis).count))
        }
        let text = Array(dictionary.utf8)
        // magic, version, length field, dictionary, newline; then pad to the alignment.
        func padding(lengthFieldSize: Int) -> Int {
            Self.alignment - (Self.magic.count + 2 + lengthFieldSize + text.count + 1) % Self.alignment
        }
        var bytes = Self.magic
        let version1Length = text.count + padding(lengthFieldSize: 2) + 1
        let spaces: Int
        if let length = UInt16(exactly: version1Length) {
            bytes += [1, 0]
            bytes.appendLittleEndian(length)
            spaces = padding(lengthFieldSize: 2)
        } else {
            spaces = padding(lengthFieldSize: 4)
            bytes += [2, 0]
            bytes.appendLittleEndian(UInt32(truncatingIfNeeded: text.count + spaces + 1))
        }
        bytes += text
        bytes += repeatElement(UInt8(ascii: " "), count: spaces)
        bytes.append(UInt8(ascii: "\n"))
        return bytes
    }

    /// Parses the header at the start of `bytes`; returns it and the offset of the data.
    static func decode(_ bytes: UnsafeRawBufferPointer) throws -> (header: NPYHeader, dataOffset: Int) {
        guard !bytes.isEmpty else { throw NumPyFormatError.emptyInput }
        let prefix = Array(bytes.prefix(magic.count))
        guard prefix == Array(magic.prefix(prefix.count)) else { throw NumPyFormatError.badMagic }
        guard let major = bytes.littleEndian(UInt8.self, at: 6), let minor = bytes.littleEndian(UInt8.self, at: 7) else {
            throw NumPyFormatError.truncatedHeader(needed: 10, available: bytes.count)
        }
        let lengthFieldSize: Int
        switch (major, minor) {
        case (1, 0): lengthFieldSize = 2
        case (2, 0), (3, 0): lengthFieldSize = 4
        default: throw NumPyFormatError.unsupportedVersion(major: Int(major), minor: Int(minor))
        }
        let lengthOffset = 8
        let headerLength: Int? = lengthFieldSize == 2
            ? bytes.littleEndian(UInt16.self, at: lengthOffset).map(Int.init)
            : bytes.littleEndian(UInt32.self, at: lengthOffset).map(Int.init)
        guard let headerLength else {
            throw NumPyFormatError.truncatedHeader(needed: lengthOffset + lengthFieldSize, available: bytes.count)
        }
        let headerStart = lengthOffset + lengthFieldSize
        guard let text = bytes.slice(at: headerStart, length: headerLength) else {
            throw NumPyFormatError.truncatedHeader(needed: headerStart + headerLength, available: bytes.count)
        }
        let header = try parse(Array(text), utf8: major == 3)
        return (header, headerStart + headerLength)
    }

    /// Reads the three keys from the dictionary text; any other key, a missing or repeated
    /// key, or a value of the wrong type is an error.
    private static func parse(_ text: [UInt8], utf8: Bool) throws -> NPYHeader {
        let entries: [(key: String, value: PythonLiteral)]
        do {
            entries = try PythonLiteral.parseDictionary(text)
        } catch NumPyFormatError.badHeader(let what) {
            throw NumPyFormatError.badHeader("\(what) of \(quoted(text, utf8: utf8))")
        }
        var values: [String: PythonLiteral] = [:]
        for (key, value) in entries {
            guard ["descr", "fortran_order", "shape"].contains(key) else {
                throw NumPyFormatError.badHeader("unexpected key '\(key)' (expected 'descr', 'fortran_order', 'shape')")
            }
            guard values.updateValue(value, forKey: key) == nil else {
                throw NumPyFormatError.badHeader("key '\(key)' appears twice")
            }
        }

        let descr: String
        switch values["descr"] {
        case .string(let text): descr = text
        case .list(let fields)?:
            throw NumPyFormatError.unsupportedDType(
                PythonLiteral.list(fields).pythonDescription, reason: "structured dtypes are not supported")
        case nil: throw NumPyFormatError.badHeader("missing key 'descr'")
        case let other?: throw NumPyFormatError.badHeader("'descr' is \(other.pythonDescription), not a string")
        }

        guard let order = values["fortran_order"] else { throw NumPyFormatError.badHeader("missing key 'fortran_order'") }
        guard case .boolean(let fortranOrder) = order else {
            throw NumPyFormatError.badHeader("'fortran_order' is \(order.pythonDescription), not True or False")
        }

        guard let shapeValue = values["shape"] else { throw NumPyFormatError.badHeader("missing key 'shape'") }
        guard case .tuple(let items) = shapeValue else {
            throw NumPyFormatError.badHeader("'shape' is \(shapeValue.pythonDescription), not a tuple")
        }
        var shape: [Int] = []
        for item in items {
            guard case .integer(let dimension) = item else {
                throw NumPyFormatError.badHeader("'shape' \(shapeValue.pythonDescription) holds a non-integer")
            }
            shape.append(dimension)
        }
        guard shape.allSatisfy({ $0 >= 0 }) else { throw NumPyFormatError.invalidShape(shape) }
        return NPYHeader(descr: descr, fortranOrder: fortranOrder, shape: shape)
    }

    /// The header text for a message, cut to a readable length.
    private static func quoted(_ text: [UInt8], utf8: Bool) -> String {
        let limit = 120
        let shown = text.prefix(limit)
        let string = utf8
            ? String(decoding: shown, as: UTF8.self)
            : String(String.UnicodeScalarView(shown.map { Unicode.Scalar($0) }))
        return string.debugDescription + (text.count > limit ? "…" : "")
    }
}
