import CZlib

/// `bytes` compressed into the gzip format (RFC 1952) by zlib's deflate at the default
/// level: `deflateInit2_` with windowBits 15 + 16, which asks for a gzip header and trailer.
public func gzipCompress(_ bytes: [UInt8]) throws(FileWriteFailure) -> [UInt8] {
    guard bytes.count <= Int(UInt32.max) else {
        throw FileWriteFailure(message: "\(bytes.count) bytes are too many to compress in one piece")
    }
    // zlib keeps the stream's address and checks it on every call: give it a fixed one.
    let stream = UnsafeMutablePointer<z_stream>.allocate(capacity: 1)
    stream.initialize(to: z_stream())
    defer { stream.deallocate() }
    let status = deflateInit2_(
        stream, Z_DEFAULT_COMPRESSION, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY,
        zlibVersion(), Int32(MemoryLayout<z_stream>.size))
    guard status == Z_OK else {
        throw FileWriteFailure(message: "zlib could not start compressing (status \(status))")
    }
    defer { deflateEnd(stream) }
    // A gzip header and trailer (18 bytes) on top of zlib's worst-case deflate size.
    let capacity = Int(deflateBound(stream, UInt(bytes.count))) + 32
    var output = [UInt8](repeating: 0, count: capacity)
    var input = bytes
    let result = input.withUnsafeMutableBufferPointer { inputBuffer in
        output.withUnsafeMutableBufferPointer { outputBuffer in
            stream.pointee.next_in = inputBuffer.baseAddress
            stream.pointee.avail_in = UInt32(inputBuffer.count)
            stream.pointee.next_out = outputBuffer.baseAddress
            stream.pointee.avail_out = UInt32(outputBuffer.count)
            return deflate(stream, Z_FINISH)
        }
    }
    guard result == Z_STREAM_END else {
        throw FileWriteFailure(message: "zlib could not compress the data (status \(result))")
    }
    output.removeLast(Int(stream.pointee.avail_out))
    return output
}
