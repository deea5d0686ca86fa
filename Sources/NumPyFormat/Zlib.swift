import CZlib

/// The three zlib services a ZIP archive needs: CRC-32 and raw DEFLATE (RFC 1951, no zlib
/// or gzip wrapper: window bits −15) in both directions.
enum Zlib {
    /// The CRC-32 (polynomial 0xEDB88320, as in ZIP and PNG) of `bytes`.
    static func crc32(_ bytes: UnsafeRawBufferPointer) -> UInt32 {
        guard let start = bytes.baseAddress else { return 0 }
        return UInt32(truncatingIfNeeded: crc32_z(0, start.assumingMemoryBound(to: Bytef.self), bytes.count))
    }

    /// `bytes` compressed with raw DEFLATE at zlib's default level. `bytes.count` must fit
    /// in 32 bits (the ZIP writer checks that first).
    static func deflate(_ bytes: [UInt8]) throws -> [UInt8] {
        guard let inputSize = uInt(exactly: bytes.count) else {
            throw NumPyFormatError.tooLargeForZip("\(bytes.count) bytes to compress")
        }
        var stream = z_stream()
        let status = deflateInit2_(&stream, Z_DEFAULT_COMPRESSION, Z_DEFLATED, -MAX_WBITS, 8,
                                   Z_DEFAULT_STRATEGY, ZLIB_VERSION, Int32(MemoryLayout<z_stream>.size))
        guard status == Z_OK else { throw NumPyFormatError.cannotWrite(reason: "zlib deflateInit2 failed (\(status))") }
        defer { deflateEnd(&stream) }
        let capacity = Int(deflateBound(&stream, uLong(inputSize)))
        var output = [UInt8](repeating: 0, count: capacity)
        let result: Int32 = bytes.withUnsafeBytes { input in
            output.withUnsafeMutableBytes { out in
                stream.next_in = UnsafeMutablePointer(mutating: input.baseAddress?.assumingMemoryBound(to: Bytef.self))
                stream.avail_in = inputSize
                stream.next_out = out.baseAddress?.assumingMemoryBound(to: Bytef.self)
                stream.avail_out = uInt(clamping: out.count)
                return CZlib.deflate(&stream, Z_FINISH)
            }
        }
        guard result == Z_STREAM_END else { throw NumPyFormatError.cannotWrite(reason: "zlib deflate failed (\(result))") }
        output.removeLast(capacity - Int(stream.total_out))
        return output
    }

    /// Inflates raw DEFLATE data that should expand to exactly `expectedSize` bytes.
    /// Throws `badZip` for corrupt data and `sizeMismatch` if the stream ends early, holds
    /// more, or leaves compressed bytes unused. The caller bounds `expectedSize`.
    static func inflate(_ compressed: UnsafeRawBufferPointer, expectedSize: Int) throws -> [UInt8] {
        guard let inputSize = uInt(exactly: compressed.count), let outputSize = uInt(exactly: expectedSize + 1) else {
            throw NumPyFormatError.unsupportedZip("members of 4 GiB or more (ZIP64)")
        }
        var stream = z_stream()
        let status = inflateInit2_(&stream, -MAX_WBITS, ZLIB_VERSION, Int32(MemoryLayout<z_stream>.size))
        guard status == Z_OK else { throw NumPyFormatError.cannotRead(reason: "zlib inflateInit2 failed (\(status))") }
        defer { inflateEnd(&stream) }
        // One spare byte: data that would overflow the recorded size show up as total_out > expectedSize.
        var output = [UInt8](repeating: 0, count: expectedSize + 1)
        let result: Int32 = output.withUnsafeMutableBytes { out in
            stream.next_in = UnsafeMutablePointer(mutating: compressed.baseAddress?.assumingMemoryBound(to: Bytef.self))
            stream.avail_in = inputSize
            stream.next_out = out.baseAddress?.assumingMemoryBound(to: Bytef.self)
            stream.avail_out = outputSize
            return CZlib.inflate(&stream, Z_FINISH)
        }
        let produced = Int(stream.total_out)
        switch result {
        case Z_STREAM_END:
            guard produced == expectedSize else {
                throw NumPyFormatError.sizeMismatch(recorded: expectedSize, actual: produced)
            }
            guard stream.avail_in == 0 else {
                throw NumPyFormatError.badZip("\(stream.avail_in) bytes after the end of the compressed stream")
            }
        case Z_BUF_ERROR where produced > expectedSize:
            throw NumPyFormatError.badZip("the compressed data expand to more than the recorded \(expectedSize) bytes")
        case Z_BUF_ERROR:
            throw NumPyFormatError.badZip("the compressed data end before the end of the deflate stream")
        default:
            let message = stream.msg.map { String(cString: $0) } ?? "error \(result)"
            throw NumPyFormatError.badZip("corrupt deflate data (\(message))")
        }
        output.removeLast()
        return output
    }
}
