/// An element type named by the 'descr' of a `.npy` header, in NumPy's array-interface
/// form: an optional byte order (`<` little, `>` big, `|` not applicable, `=` native,
/// which is little-endian on every platform this code runs on), a kind letter and a size:
/// `<f8`, `<i4`, `|u1`, `|b1`, `>f8`, `<U7` (7 UTF-32 code units, 28 bytes).
struct ElementType: Equatable {
    enum Kind: Equatable {
        case float, signedInteger, unsignedInteger, boolean, unicode
    }

    let kind: Kind
    let bigEndian: Bool
    /// Bytes per element.
    let itemSize: Int
    /// The descr as written in the header, for messages.
    let descr: String

    /// Parses a descr; throws `unsupportedDType` for anything outside the kinds above.
    init(descr: String) throws {
        let unsupported = NumPyFormatError.unsupportedDType("'\(descr)'", reason: nil)
        var characters = Substring(descr)
        var bigEndian = false
        if let order = characters.first, "<>|=".contains(order) {
            bigEndian = order == ">"
            characters = characters.dropFirst()
        }
        guard let letter = characters.first else { throw unsupported }
        switch letter {
        case "O":
            throw NumPyFormatError.unsupportedDType("'\(descr)'", reason: "Python objects need pickle; save numeric or str arrays")
        case "S", "a":
            throw NumPyFormatError.unsupportedDType("'\(descr)'", reason: "byte strings are not supported; save str arrays")
        default:
            break
        }
        let digits = characters.dropFirst()
        guard !digits.isEmpty, digits.allSatisfy({ $0.isASCII && $0.isNumber }),
              let size = Int(digits)
        else { throw unsupported }

        let kind: Kind
        var itemSize = size
        switch (letter, size) {
        case ("f", 2), ("f", 4), ("f", 8): kind = .float
        case ("i", 1), ("i", 2), ("i", 4), ("i", 8): kind = .signedInteger
        case ("u", 1), ("u", 2), ("u", 4), ("u", 8): kind = .unsignedInteger
        case ("b", 1): kind = .boolean
        case ("U", _):
            kind = .unicode
            let (bytes, overflow) = size.multipliedReportingOverflow(by: 4)
            guard !overflow else { throw unsupported }
            itemSize = bytes
        default:
            throw unsupported
        }
        self.kind = kind
        self.bigEndian = bigEndian
        self.itemSize = itemSize
        self.descr = descr
    }

    /// The NumPy name of the type as it appears in messages, e.g. "float32" or "<U7".
    var name: String {
        switch kind {
        case .float: return "float\(itemSize * 8)"
        case .signedInteger: return "int\(itemSize * 8)"
        case .unsignedInteger: return "uint\(itemSize * 8)"
        case .boolean: return "bool"
        case .unicode: return "'\(descr)'"
        }
    }
}
