import CZlib

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Why a byte source could not deliver data.
enum ByteSourceFailure: Error {
    /// The operating system refused to open or read the file.
    case io(String)
    /// zlib rejected the compressed stream (its message).
    case corruptCompression(String)
}

/// Sequential reading of content, plain or gzip-compressed, in pieces: readers ask for the
/// bytes they need next. The content comes from a file (never held in memory beyond what
/// was asked for) or from bytes already in memory.
final class ByteSource {
    /// Where the raw (possibly compressed) bytes come from.
    private enum Origin {
        case file(UnsafeMutablePointer<FILE>)
        case memory([UInt8])
    }

    private let origin: Origin
    /// How many bytes of a `.memory` origin have been consumed.
    private var memoryPosition = 0
    /// zlib state when the content is gzip-compressed, nil when it is read as is.
    private var inflater: Inflater?

    /// True when the content starts with the gzip magic bytes 1f 8b.
    let isGzip: Bool

    /// Opens `path`; detects gzip by its first two bytes.
    convenience init(path: String) throws(ByteSourceFailure) {
        guard let file = fopen(path, "rb") else {
            throw .io("cannot open: \(String(cString: strerror(errno)))")
        }
        var magic: [UInt8] = [0, 0]
        let count = fread(&magic, 1, 2, file)
        rewind(file)
        do {
            try self.init(origin: .file(file), isGzip: count == 2 && magic == [0x1f, 0x8b])
        } catch {
            fclose(file)
            throw error
        }
    }

    /// Reads `bytes`; detects gzip by their first two bytes.
    convenience init(bytes: [UInt8]) throws(ByteSourceFailure) {
        try self.init(origin: .memory(bytes), isGzip: bytes.starts(with: [0x1f, 0x8b]))
    }

    private init(origin: Origin, isGzip: Bool) throws(ByteSourceFailure) {
        self.isGzip = isGzip
        inflater = isGzip ? try Inflater() : nil
        self.origin = origin
    }

    deinit {
        if case .file(let file) = origin { fclose(file) }
    }

    /// The next `count` bytes of (decompressed) content; fewer only when the content ends.
    func read(upTo count: Int) throws(ByteSourceFailure) -> [UInt8] {
        guard count > 0 else { return [] }
        if let inflater {
            return try inflater.inflate(upTo: count) { (buffer) throws(ByteSourceFailure) in try readRaw(into: buffer) }
        }
        var bytes = [UInt8](repeating: 0, count: count)
        let got = try bytes.withUnsafeMutableBytes { buffer in
            Result { () throws(ByteSourceFailure) in try readRaw(into: buffer) }
        }.get()
        bytes.removeLast(count - got)
        return bytes
    }

    /// For gzip content, decompresses to the end of the stream so zlib checks the CRC-32 and
    /// length in the gzip trailer; throws if they do not match, or if the file ends before
    /// the stream does (a truncated file, or a trailer cut off). Nothing to do for plain content.
    func verifyToEnd() throws(ByteSourceFailure) {
        guard let inflater else { return }
        while try !inflater.inflate(upTo: 1 << 16, from: { (buffer) throws(ByteSourceFailure) in
            try readRaw(into: buffer)
        }).isEmpty {}
        guard inflater.streamEnded else {
            throw .corruptCompression("the file ends before the gzip stream does (truncated, or its trailer is missing)")
        }
    }

    /// Copies up to `buffer.count` raw bytes from the origin into `buffer`; returns how many
    /// (0 at the end).
    private func readRaw(into buffer: UnsafeMutableRawBufferPointer) throws(ByteSourceFailure) -> Int {
        switch origin {
        case .file(let file):
            let got = fread(buffer.baseAddress, 1, buffer.count, file)
            if got < buffer.count && ferror(file) != 0 {
                throw .io("read error: \(String(cString: strerror(errno)))")
            }
            return got
        case .memory(let bytes):
            let got = min(buffer.count, bytes.count - memoryPosition)
            bytes[memoryPosition..<(memoryPosition + got)].withUnsafeBytes { buffer.copyMemory(from: $0) }
            memoryPosition += got
            return got
        }
    }
}

/// A zlib inflate stream that accepts gzip (and zlib) headers: `inflateInit2_` with
/// windowBits 15 + 32 (largest window, automatic header detection).
private final class Inflater {
    /// zlib keeps the stream's address and checks it on every call, so it lives at a fixed
    /// allocation rather than in a Swift property.
    private let stream: UnsafeMutablePointer<z_stream>
    private let inputCapacity = 1 << 16
    private let input: UnsafeMutablePointer<UInt8>
    private var inputExhausted = false
    /// Whether zlib reached the end of the stream (and checked the trailer).
    private(set) var streamEnded = false

    init() throws(ByteSourceFailure) {
        input = .allocate(capacity: inputCapacity)
        stream = .allocate(capacity: 1)
        stream.initialize(to: z_stream())
        let status = inflateInit2_(stream, 15 + 32, zlibVersion(), Int32(MemoryLayout<z_stream>.size))
        guard status == Z_OK else {
            input.deallocate()
            stream.deallocate()
            throw .corruptCompression("zlib could not start inflating (status \(status))")
        }
    }

    deinit {
        inflateEnd(stream)
        input.deallocate()
        stream.deallocate()
    }

    /// Up to `count` more decompressed bytes, asking `readRaw` for compressed input as needed
    /// (it fills a buffer and returns how many bytes it put there, 0 at the end).
    func inflate(
        upTo count: Int, from readRaw: (UnsafeMutableRawBufferPointer) throws(ByteSourceFailure) -> Int
    ) throws(ByteSourceFailure) -> [UInt8] {
        var output = [UInt8]()
        let chunkCapacity = min(count, 1 << 20)
        var chunk = [UInt8](repeating: 0, count: chunkCapacity)
        while output.count < count && !streamEnded {
            if stream.pointee.avail_in == 0 && !inputExhausted {
                let got = try readRaw(UnsafeMutableRawBufferPointer(start: input, count: inputCapacity))
                if got == 0 { inputExhausted = true }
                stream.pointee.next_in = input
                stream.pointee.avail_in = UInt32(got)
            }
            let wanted = min(chunkCapacity, count - output.count)
            let (status, produced) = chunk.withUnsafeMutableBufferPointer { buffer in
                stream.pointee.next_out = buffer.baseAddress
                stream.pointee.avail_out = UInt32(wanted)
                let status = CZlib.inflate(stream, Z_NO_FLUSH)
                return (status, wanted - Int(stream.pointee.avail_out))
            }
            output.append(contentsOf: chunk[0..<produced])
            switch status {
            case Z_OK:
                continue
            case Z_STREAM_END:
                streamEnded = true
            case Z_BUF_ERROR where stream.pointee.avail_in == 0 && inputExhausted:
                return output  // compressed data ended early: the caller sees a short read
            case Z_BUF_ERROR:
                continue
            default:
                let message = stream.pointee.msg.map { String(cString: $0) } ?? "zlib status \(status)"
                throw .corruptCompression(message)
            }
        }
        return output
    }
}
