import Foundation

/// Malformed input files for the bad-input tests, written byte by byte (no library code is
/// involved in making them, so a bug in a writer cannot hide a bug in its reader).
enum BadFiles {
    /// CRC-32 (the polynomial 0xEDB88320 of ZIP and PNG), bit by bit.
    static func crc32(_ bytes: some Sequence<UInt8>) -> UInt32 {
        var crc: UInt32 = 0xFFFF_FFFF
        for byte in bytes {
            crc ^= UInt32(byte)
            for _ in 0..<8 { crc = crc & 1 == 1 ? (crc >> 1) ^ 0xEDB8_8320 : crc >> 1 }
        }
        return ~crc
    }

    static func bigEndian(_ value: UInt32) -> [UInt8] {
        (0..<4).reversed().map { UInt8(truncatingIfNeeded: value >> (8 * $0)) }
    }

    /// An IDX file: the magic number and the dimensions (big-endian 32-bit), then `payload`.
    static func idx(magic: UInt32, dimensions: [UInt32], payload: [UInt8]) -> Data {
        Data(([magic] + dimensions).flatMap(bigEndian) + payload)
    }

    /// A valid 8-bit gray PNG: its pixels in one zlib stream of stored (uncompressed)
    /// deflate blocks, each row behind filter byte 0.
    static func png(width: Int, height: Int, gray: (Int, Int) -> UInt8) -> Data {
        var raw: [UInt8] = []
        for y in 0..<height { raw.append(0); for x in 0..<width { raw.append(gray(x, y)) } }
        var zlib: [UInt8] = [0x78, 0x01]
        var offset = 0
        repeat {
            let count = min(65535, raw.count - offset)
            let final: UInt8 = offset + count == raw.count ? 1 : 0
            let length = UInt16(count)
            zlib += [final, UInt8(length & 0xFF), UInt8(length >> 8), UInt8(~length & 0xFF), UInt8(~length >> 8)]
            zlib += raw[offset..<(offset + count)]
            offset += count
        } while offset < raw.count
        var a: UInt32 = 1, b: UInt32 = 0
        for byte in raw { a = (a + UInt32(byte)) % 65521; b = (b + a) % 65521 }
        zlib += bigEndian(b << 16 | a)
        func chunk(_ type: String, _ data: [UInt8]) -> [UInt8] {
            let body = Array(type.utf8) + data
            return bigEndian(UInt32(data.count)) + body + bigEndian(crc32(body))
        }
        let header = bigEndian(UInt32(width)) + bigEndian(UInt32(height)) + [8, 0, 0, 0, 0]
        let signature: [UInt8] = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]
        return Data(signature + chunk("IHDR", header) + chunk("IDAT", zlib) + chunk("IEND", []))
    }

    /// `npz` (a stored ZIP archive of `.npy` members, as `workbook fit` writes) with the
    /// array data of member `name` changed in place by `edit`, and the member's CRC-32
    /// fixed in its local and central headers, so that only the values are wrong.
    static func editing(_ npz: Data, member name: String, _ edit: (inout [UInt8]) -> Void) throws -> Data {
        var bytes = [UInt8](npz)
        func u16(_ at: Int) -> Int { Int(bytes[at]) | Int(bytes[at + 1]) << 8 }
        func u32(_ at: Int) -> Int { u16(at) | u16(at + 2) << 16 }
        func put32(_ value: UInt32, at: Int) {
            for i in 0..<4 { bytes[at + i] = UInt8(truncatingIfNeeded: value >> (8 * i)) }
        }
        let member = Array((name + ".npy").utf8)
        var position = 0, crc: UInt32?
        while position + 30 <= bytes.count, u32(position) == 0x0403_4B50 {
            let size = u32(position + 18), nameLength = u16(position + 26), extra = u16(position + 28)
            let start = position + 30 + nameLength + extra
            if Array(bytes[(position + 30)..<(position + 30 + nameLength)]) == member {
                guard u16(position + 8) == 0 else { throw FixtureError(reason: "\(name) is compressed") }
                // .npy: magic (6), version (2), header length (2 bytes in version 1, else 4).
                let headerLength = bytes[start + 6] == 1 ? 10 + u16(start + 8) : 12 + u32(start + 8)
                var values = Array(bytes[(start + headerLength)..<(start + size)])
                edit(&values)
                bytes.replaceSubrange((start + headerLength)..<(start + size), with: values)
                crc = crc32(bytes[start..<(start + size)])
                put32(crc!, at: position + 14)
            }
            position = start + size
        }
        guard let crc else { throw FixtureError(reason: "no member \(name) in the archive") }
        while position + 46 <= bytes.count, u32(position) == 0x0201_4B50 {
            let nameLength = u16(position + 28), extra = u16(position + 30), comment = u16(position + 32)
            if Array(bytes[(position + 46)..<(position + 46 + nameLength)]) == member { put32(crc, at: position + 16) }
            position += 46 + nameLength + extra + comment
        }
        return Data(bytes)
    }

    /// The eight little-endian bytes of `value`.
    static func littleEndian(_ value: Double) -> [UInt8] {
        (0..<8).map { UInt8(truncatingIfNeeded: value.bitPattern >> (8 * $0)) }
    }

    static func littleEndian(_ value: Int64) -> [UInt8] {
        (0..<8).map { UInt8(truncatingIfNeeded: value >> (8 * $0)) }
    }
}

/// A fixture that could not be made.
struct FixtureError: Error, CustomStringConvertible {
    let reason: String
    var description: String { "cannot make the test fixture: \(reason)" }
}
