import Foundation

/// NumPy's `.npy` format: one array per file, a header (see `NPYHeader`) and the elements.
///
/// Writes format 1.0 in C order with dtypes `<f8`, `<i8`, `|u1`, `<U{n}`, byte-identical to
/// `np.save`. Reads versions 1.0, 2.0 and 3.0; float dtypes `f2`/`f4`/`f8`, integer dtypes
/// `i1`…`i8`, `u1`…`u8`, `b1` and `U{n}`, in either byte order and in C or Fortran order
/// (converted to float64, int64, uint8 and C order).
public enum NPYFile {
    /// The bytes of a `.npy` file holding `array`.
    public static func encode(_ array: NumPyArray) throws -> [UInt8] {
        let (descr, data) = try array.values.encoded()
        return NPYHeader(descr: descr, fortranOrder: false, shape: array.shape).encoded() + data
    }

    /// The array in the bytes of a `.npy` file; throws `NumPyFormatError` for anything malformed.
    public static func decode(_ bytes: [UInt8]) throws -> NumPyArray {
        try bytes.withUnsafeBytes(decode)
    }

    /// The array in the bytes of a `.npy` file; throws `NumPyFormatError` for anything malformed.
    public static func decode(_ data: Data) throws -> NumPyArray {
        try data.withUnsafeBytes(decode)
    }

    static func decode(_ bytes: UnsafeRawBufferPointer) throws -> NumPyArray {
        let (header, dataOffset) = try NPYHeader.decode(bytes)
        let type = try ElementType(descr: header.descr)
        guard let count = NumPyArray.elementCount(header.shape) else {
            throw NumPyFormatError.shapeTooLarge(header.shape)
        }
        let data = UnsafeRawBufferPointer(rebasing: bytes[dataOffset...])
        let values = try type.decode(data, count: count, shape: header.shape)
        return NumPyArray(
            checkedShape: header.shape,
            values: header.fortranOrder ? values.fortranToC(shape: header.shape) : values)
    }

    /// Writes `array` to `url` atomically (a temporary file in the same directory, renamed).
    public static func write(_ array: NumPyArray, to url: URL) throws {
        do {
            try FileAccess.writeAtomically(try encode(array), to: url)
        } catch let error as NumPyFormatError {
            throw NumPyFormatError.inFile(path: url.path, error)
        }
    }

    /// Reads the array in the `.npy` file at `url`; errors name the file.
    public static func read(from url: URL) throws -> NumPyArray {
        do {
            return try decode(try FileAccess.readBytes(at: url))
        } catch let error as NumPyFormatError {
            throw NumPyFormatError.inFile(path: url.path, error)
        }
    }
}
