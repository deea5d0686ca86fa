/// A minimal gzip encoder (RFC 1952) written independently of zlib: a fixed header, one
/// stored deflate block per 65535 bytes, the CRC-32 and length trailer.
enum RawGzip {
    static func encode(_ data: [UInt8]) -> [UInt8] {
        var out: [UInt8] = [0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 0xff]
        var offset = 0
        repeat {
            let length = min(65535, data.count - offset)
            out.append(offset + length == data.count ? 1 : 0)
            out += [UInt8(length & 0xff), UInt8(length >> 8), UInt8(~length & 0xff), UInt8((~length >> 8) & 0xff)]
            out += data[offset..<(offset + length)]
            offset += length
        } while offset < data.count
        let crc = RawPNG.crc32(data)
        out += (0..<4).map { UInt8(truncatingIfNeeded: crc >> (8 * $0)) }
        out += (0..<4).map { UInt8(truncatingIfNeeded: data.count >> (8 * $0)) }
        return out
    }
}
