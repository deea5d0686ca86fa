import Foundation

/// NumPy's `.npz` format: a ZIP archive with one `.npy` member `<key>.npy` per array, as
/// `np.savez` (stored) and `np.savez_compressed` (deflated) write it and `np.load` reads it.
///
/// Writing puts the keys in sorted order with a fixed timestamp, so the same arrays always
/// give the same bytes. Reading accepts any member order; a member's key is its name
/// without the `.npy` suffix.
public enum NPZFile {
    /// How the members are stored.
    public enum Compression: Sendable {
        /// Uncompressed, like `np.savez`.
        case stored
        /// Raw DEFLATE, like `np.savez_compressed`.
        case deflated
    }

    /// The bytes of a `.npz` archive holding `arrays`.
    public static func encode(_ arrays: [String: NumPyArray], compression: Compression = .stored) throws -> [UInt8] {
        let members = try arrays.sorted { $0.key < $1.key }.map { key, array in
            let name = key + ".npy"
            do {
                return ZipArchive.Member(name: name, contents: try NPYFile.encode(array))
            } catch let error as NumPyFormatError {
                throw NumPyFormatError.inMember(name: name, error)
            }
        }
        return try ZipArchive.encode(members, method: compression == .stored ? .stored : .deflated)
    }

    /// The arrays in the bytes of a `.npz` archive, by key; throws `NumPyFormatError` for
    /// anything malformed, naming the member.
    public static func decode(_ bytes: [UInt8]) throws -> [String: NumPyArray] {
        try bytes.withUnsafeBytes(decode)
    }

    /// The arrays in the bytes of a `.npz` archive, by key.
    public static func decode(_ data: Data) throws -> [String: NumPyArray] {
        try data.withUnsafeBytes(decode)
    }

    static func decode(_ bytes: UnsafeRawBufferPointer) throws -> [String: NumPyArray] {
        var arrays: [String: NumPyArray] = [:]
        for member in try ZipArchive.decode(bytes) {
            let key = member.name.hasSuffix(".npy") ? String(member.name.dropLast(4)) : member.name
            guard arrays[key] == nil else { throw NumPyFormatError.duplicateMember(member.name) }
            do {
                arrays[key] = try NPYFile.decode(member.contents)
            } catch let error as NumPyFormatError {
                throw NumPyFormatError.inMember(name: member.name, error)
            }
        }
        return arrays
    }

    /// Writes `arrays` to `url` atomically (a temporary file in the same directory, renamed).
    public static func write(_ arrays: [String: NumPyArray], to url: URL, compression: Compression = .stored) throws {
        do {
            try FileAccess.writeAtomically(try encode(arrays, compression: compression), to: url)
        } catch let error as NumPyFormatError {
            throw NumPyFormatError.inFile(path: url.path, error)
        }
    }

    /// Reads the arrays in the `.npz` file at `url`, by key; errors name the file and member.
    public static func read(from url: URL) throws -> [String: NumPyArray] {
        do {
            return try decode(try FileAccess.readBytes(at: url))
        } catch let error as NumPyFormatError {
            throw NumPyFormatError.inFile(path: url.path, error)
        }
    }
}
