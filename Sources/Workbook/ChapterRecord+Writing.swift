import Foundation

extension ChapterRecord {
    /// The JSON encoder for records: pretty, stable key order, and NaN / ±∞ written as the
    /// strings "nan", "inf", "-inf" (a failed check may well have found a NaN).
    public static var encoder: JSONEncoder {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        encoder.nonConformingFloatEncodingStrategy = .convertToString(
            positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
        return encoder
    }

    /// The decoder matching ``encoder``.
    public static var decoder: JSONDecoder {
        let decoder = JSONDecoder()
        decoder.nonConformingFloatDecodingStrategy = .convertFromString(
            positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
        return decoder
    }

    /// Writes the record as JSON to `url`, creating its directory if needed. The file is
    /// written under a temporary name in the same directory and renamed, so a reader never
    /// sees half a file.
    public func write(to url: URL) throws {
        let data: Data
        do {
            data = try Self.encoder.encode(self)
        } catch {
            throw WorkbookError.cannotWriteRecord(path: url.path, reason: String(describing: error))
        }
        try AtomicFile.write(data, to: url)
    }

    /// Reads a record written by ``write(to:)``.
    public static func read(from url: URL) throws -> ChapterRecord {
        let data: Data
        do {
            data = try Data(contentsOf: url)
        } catch {
            throw WorkbookError.cannotReadRecord(path: url.path, reason: "cannot read the file")
        }
        do {
            return try decoder.decode(ChapterRecord.self, from: data)
        } catch {
            throw WorkbookError.cannotReadRecord(path: url.path, reason: String(describing: error))
        }
    }
}
