/// A minimal PNG encoder written independently of libpng, so tests can produce files of
/// every colour type and bit depth with exactly known samples and no gamma chunks.
/// The zlib stream uses stored (uncompressed) deflate blocks; every row uses filter 0.
/// Bit depths 1, 2 and 4 pack several samples per byte (gray and palette only).
enum RawPNG {
    enum ColorType: UInt8 {
        case gray = 0, rgb = 2, palette = 3, grayAlpha = 4, rgba = 6

        var channels: Int {
            switch self {
            case .gray, .palette: return 1
            case .grayAlpha: return 2
            case .rgb: return 3
            case .rgba: return 4
            }
        }
    }

    /// A PNG file. `samples` are row-major with channels interleaved (palette indices for
    /// `.palette`), each below 2^bitDepth. `palette` lists RGB entries and `paletteAlpha`
    /// their tRNS alpha values.
    static func encode(
        width: Int, height: Int, colorType: ColorType, bitDepth: Int, samples: [Int],
        palette: [[Int]] = [], paletteAlpha: [Int] = []
    ) -> [UInt8] {
        precondition(samples.count == width * height * colorType.channels)
        var raw = [UInt8]()
        let rowSamples = width * colorType.channels
        for y in 0..<height {
            raw.append(0)  // filter type None
            let row = samples[(y * rowSamples)..<((y + 1) * rowSamples)]
            if bitDepth < 8 {
                // Several samples per byte, the first in the most significant bits.
                let perByte = 8 / bitDepth
                for start in stride(from: row.startIndex, to: row.endIndex, by: perByte) {
                    var byte = 0
                    for k in 0..<perByte {
                        let sample = start + k < row.endIndex ? row[start + k] : 0
                        byte |= sample << (8 - bitDepth * (k + 1))
                    }
                    raw.append(UInt8(byte))
                }
                continue
            }
            for sample in row {
                if bitDepth == 16 { raw.append(UInt8(sample >> 8)) }
                raw.append(UInt8(sample & 0xff))
            }
        }
        var file: [UInt8] = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]
        file += chunk("IHDR", bigEndian(width) + bigEndian(height) + [UInt8(bitDepth), colorType.rawValue, 0, 0, 0])
        if !palette.isEmpty { file += chunk("PLTE", palette.flatMap { $0.map { UInt8($0) } }) }
        if !paletteAlpha.isEmpty { file += chunk("tRNS", paletteAlpha.map { UInt8($0) }) }
        file += chunk("IDAT", zlibStored(raw))
        file += chunk("IEND", [])
        return file
    }

    /// A PNG file whose IHDR claims `width x height` gray pixels but holds only one row,
    /// after an ancillary chunk of `padding` zero bytes (which makes the file large enough
    /// for the size to be plausible).
    static func encodeClaimingSize(width: Int, height: Int, padding: Int = 0) -> [UInt8] {
        var file: [UInt8] = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]
        file += chunk("IHDR", bigEndian(width) + bigEndian(height) + [8, 0, 0, 0, 0])
        if padding > 0 { file += chunk("paDd", [UInt8](repeating: 0, count: padding)) }
        file += chunk("IDAT", zlibStored([0, 0, 0]))
        file += chunk("IEND", [])
        return file
    }

    static func bigEndian(_ value: Int) -> [UInt8] {
        (0..<4).reversed().map { UInt8(truncatingIfNeeded: value >> (8 * $0)) }
    }

    private static func chunk(_ type: String, _ data: [UInt8]) -> [UInt8] {
        let typeBytes = Array(type.utf8)
        return bigEndian(data.count) + typeBytes + data + bigEndian(Int(crc32(typeBytes + data)))
    }

    /// zlib header 78 01, stored blocks of at most 65535 bytes, Adler-32 trailer.
    private static func zlibStored(_ data: [UInt8]) -> [UInt8] {
        var out: [UInt8] = [0x78, 0x01]
        var offset = 0
        repeat {
            let length = min(65535, data.count - offset)
            let isFinal = offset + length == data.count
            out.append(isFinal ? 1 : 0)
            out += [UInt8(length & 0xff), UInt8(length >> 8), UInt8(~length & 0xff), UInt8((~length >> 8) & 0xff)]
            out += data[offset..<(offset + length)]
            offset += length
        } while offset < data.count
        var a: UInt32 = 1
        var b: UInt32 = 0
        for byte in data {
            a = (a + UInt32(byte)) % 65521
            b = (b + a) % 65521
        }
        return out + bigEndian(Int((b << 16) | a))
    }

    /// CRC-32 (polynomial 0xEDB88320, reflected), as PNG chunks use.
    static func crc32(_ bytes: [UInt8]) -> UInt32 {
        var crc: UInt32 = 0xffff_ffff
        for byte in bytes {
            crc ^= UInt32(byte)
            for _ in 0..<8 {
                crc = crc & 1 == 1 ? (crc >> 1) ^ 0xedb8_8320 : crc >> 1
            }
        }
        return ~crc
    }
}
