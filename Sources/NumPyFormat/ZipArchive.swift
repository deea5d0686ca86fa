/// The part of the ZIP format (PKWARE APPNOTE 6.3) that `.npz` files use: members stored or
/// deflated, one local header before each member's data, a central directory listing them
/// and an end-of-central-directory record. No ZIP64, encryption, or multi-disk archives.
///
/// All integers are little-endian. Written archives carry a fixed timestamp
/// (1980-01-01 00:00) so that the same members always give the same bytes.
enum ZipArchive {
    struct Member: Equatable {
        var name: String
        var contents: [UInt8]
    }

    enum Method: UInt16 {
        case stored = 0
        case deflated = 8
    }

    static let localHeaderSignature: UInt32 = 0x0403_4B50
    static let centralHeaderSignature: UInt32 = 0x0201_4B50
    static let endRecordSignature: UInt32 = 0x0605_4B50
    static let zip64LocatorSignature: UInt32 = 0x0706_4B50
    static let localHeaderSize = 30
    static let centralHeaderSize = 46
    static let endRecordSize = 22
    /// DOS date 1980-01-01: (year − 1980) << 9 | month << 5 | day; the DOS time 00:00:00 is 0.
    static let dosDate: UInt16 = 0 << 9 | 1 << 5 | 1
    /// General-purpose flag bit 11: the name is UTF-8.
    static let utf8NameFlag: UInt16 = 1 << 11
    /// Version 2.0 (deflate), the lowest that covers everything written here.
    static let versionNeeded: UInt16 = 20
    /// Made by Unix (3) with version 2.0, so that unzip restores mode 0644 from the attributes.
    static let versionMadeBy: UInt16 = 3 << 8 | 20
    static let externalAttributes: UInt32 = 0o100644 << 16
    /// DEFLATE cannot expand data by more than a factor of 1032; a member claiming more is corrupt.
    static let maximumDeflateRatio = 1032
}

// MARK: - Writing

extension ZipArchive {
    /// The archive holding `members` in the given order.
    static func encode(_ members: [Member], method: Method) throws -> [UInt8] {
        guard members.count < Int(UInt16.max) else {
            throw NumPyFormatError.tooLargeForZip("an archive of \(members.count) members")
        }
        var archive: [UInt8] = []
        var centralDirectory: [UInt8] = []
        for member in members {
            let name = Array(member.name.utf8)
            guard name.count <= Int(UInt16.max) else {
                throw NumPyFormatError.inMember(name: member.name, .tooLargeForZip("a name of \(name.count) bytes"))
            }
            let flags: UInt16 = name.allSatisfy { $0 < 0x80 } ? 0 : utf8NameFlag
            let stored = method == .stored ? member.contents : try Zlib.deflate(member.contents)
            let crc = member.contents.withUnsafeBytes(Zlib.crc32)
            guard let size = UInt32(exactly: member.contents.count), size != .max,
                  let storedSize = UInt32(exactly: stored.count), storedSize != .max,
                  let offset = UInt32(exactly: archive.count), offset != .max
            else {
                throw NumPyFormatError.inMember(name: member.name, .tooLargeForZip("the member or the archive before it"))
            }

            archive.appendLittleEndian(localHeaderSignature)
            archive.appendLittleEndian(versionNeeded)
            archive.appendLittleEndian(flags)
            archive.appendLittleEndian(method.rawValue)
            archive.appendLittleEndian(UInt16(0))
            archive.appendLittleEndian(dosDate)
            archive.appendLittleEndian(crc)
            archive.appendLittleEndian(storedSize)
            archive.appendLittleEndian(size)
            archive.appendLittleEndian(UInt16(name.count))
            archive.appendLittleEndian(UInt16(0))
            archive += name
            archive += stored

            centralDirectory.appendLittleEndian(centralHeaderSignature)
            centralDirectory.appendLittleEndian(versionMadeBy)
            centralDirectory.appendLittleEndian(versionNeeded)
            centralDirectory.appendLittleEndian(flags)
            centralDirectory.appendLittleEndian(method.rawValue)
            centralDirectory.appendLittleEndian(UInt16(0))
            centralDirectory.appendLittleEndian(dosDate)
            centralDirectory.appendLittleEndian(crc)
            centralDirectory.appendLittleEndian(storedSize)
            centralDirectory.appendLittleEndian(size)
            centralDirectory.appendLittleEndian(UInt16(name.count))
            centralDirectory.appendLittleEndian(UInt16(0))  // extra field length
            centralDirectory.appendLittleEndian(UInt16(0))  // comment length
            centralDirectory.appendLittleEndian(UInt16(0))  // disk number
            centralDirectory.appendLittleEndian(UInt16(0))  // internal attributes
            centralDirectory.appendLittleEndian(externalAttributes)
            centralDirectory.appendLittleEndian(offset)
            centralDirectory += name
        }
        guard let directoryOffset = UInt32(exactly: archive.count), directoryOffset != .max,
              let directorySize = UInt32(exactly: centralDirectory.count), directorySize != .max
        else { throw NumPyFormatError.tooLargeForZip("the archive") }
        archive += centralDirectory
        archive.appendLittleEndian(endRecordSignature)
        archive.appendLittleEndian(UInt16(0))  // this disk
        archive.appendLittleEndian(UInt16(0))  // disk with the central directory
        archive.appendLittleEndian(UInt16(members.count))
        archive.appendLittleEndian(UInt16(members.count))
        archive.appendLittleEndian(directorySize)
        archive.appendLittleEndian(directoryOffset)
        archive.appendLittleEndian(UInt16(0))  // comment length
        return archive
    }
}

// MARK: - Reading

extension ZipArchive {
    /// One central-directory entry.
    private struct CentralEntry {
        var name: String
        var nameBytes: [UInt8]
        var flags: UInt16
        var method: UInt16
        var crc: UInt32
        var storedSize: Int
        var size: Int
        var localHeaderOffset: Int
    }

    /// The members of the archive in `bytes`, in central-directory order, each checked
    /// against its recorded size and CRC-32. Members may not overlap: each member's local
    /// header and data are bytes of its own, so that the archive cannot expand far beyond
    /// its size by listing the same compressed data many times (an "overlapping zip bomb").
    static func decode(_ bytes: UnsafeRawBufferPointer) throws -> [Member] {
        guard !bytes.isEmpty else { throw NumPyFormatError.emptyInput }
        let end = try findEndRecord(bytes)
        let entries = try readCentralDirectory(bytes, end: end)
        var seen = Set<String>()
        let located = try entries.map { entry in
            guard seen.insert(entry.name).inserted else { throw NumPyFormatError.duplicateMember(entry.name) }
            return try inMember(entry) { try locate(entry, in: bytes, dataEnd: end.directoryOffset) }
        }
        let byOffset = located.sorted { $0.span.lowerBound < $1.span.lowerBound }
        for (first, second) in zip(byOffset, byOffset.dropFirst()) where first.span.overlaps(second.span) {
            throw NumPyFormatError.badZip(
                "the members '\(first.entry.name)' (bytes \(first.span)) and '\(second.entry.name)' "
                    + "(bytes \(second.span)) overlap")
        }
        return try located.map { member in
            Member(name: member.entry.name, contents: try inMember(member.entry) { try extract(member) })
        }
    }

    /// `body`'s result; its `NumPyFormatError` is wrapped in the member's name.
    private static func inMember<T>(_ entry: CentralEntry, _ body: () throws -> T) throws -> T {
        do {
            return try body()
        } catch let error as NumPyFormatError {
            throw NumPyFormatError.inMember(name: entry.name, error)
        }
    }

    private struct EndRecord {
        var entryCount: Int
        var directoryOffset: Int
        var directorySize: Int
        var position: Int
    }

    /// The end-of-central-directory record: the signature 0x06054b50 followed by 18 bytes and
    /// a comment that reaches exactly to the end of the file, searched from the end backwards
    /// (the comment is at most 65535 bytes).
    private static func findEndRecord(_ bytes: UnsafeRawBufferPointer) throws -> EndRecord {
        guard bytes.count >= endRecordSize else { throw NumPyFormatError.notAZip }
        let lowest = max(0, bytes.count - endRecordSize - Int(UInt16.max))
        var position = bytes.count - endRecordSize
        while position >= lowest {
            if bytes.littleEndian(UInt32.self, at: position) == endRecordSignature,
               let commentLength = bytes.littleEndian(UInt16.self, at: position + 20),
               position + endRecordSize + Int(commentLength) == bytes.count {
                break
            }
            position -= 1
        }
        guard position >= lowest,
              let disk = bytes.littleEndian(UInt16.self, at: position + 4),
              let directoryDisk = bytes.littleEndian(UInt16.self, at: position + 6),
              let entriesOnDisk = bytes.littleEndian(UInt16.self, at: position + 8),
              let entries = bytes.littleEndian(UInt16.self, at: position + 10),
              let size = bytes.littleEndian(UInt32.self, at: position + 12),
              let offset = bytes.littleEndian(UInt32.self, at: position + 16)
        else { throw NumPyFormatError.notAZip }
        if position >= 20, bytes.littleEndian(UInt32.self, at: position - 20) == zip64LocatorSignature {
            throw NumPyFormatError.unsupportedZip("ZIP64 archives")
        }
        guard disk == 0, directoryDisk == 0, entriesOnDisk == entries else {
            throw NumPyFormatError.unsupportedZip("archives split over several disks")
        }
        guard Int(offset) + Int(size) <= position else {
            throw NumPyFormatError.badZip(
                "truncated central directory (offset \(offset), size \(size), but the end record is at byte \(position))")
        }
        return EndRecord(entryCount: Int(entries), directoryOffset: Int(offset), directorySize: Int(size), position: position)
    }

    private static func readCentralDirectory(_ bytes: UnsafeRawBufferPointer, end: EndRecord) throws -> [CentralEntry] {
        guard let directory = bytes.slice(at: end.directoryOffset, length: end.directorySize) else {
            throw NumPyFormatError.badZip("truncated central directory")
        }
        var entries: [CentralEntry] = []
        var position = 0
        for index in 0 ..< end.entryCount {
            let truncated = NumPyFormatError.badZip(
                "truncated central directory (entry \(index + 1) of \(end.entryCount) does not fit in its \(end.directorySize) bytes)")
            guard directory.littleEndian(UInt32.self, at: position) == centralHeaderSignature else {
                throw directory.count - position < centralHeaderSize
                    ? truncated
                    : NumPyFormatError.badZip("central directory entry \(index + 1) has a bad signature")
            }
            guard let flags = directory.littleEndian(UInt16.self, at: position + 8),
                  let method = directory.littleEndian(UInt16.self, at: position + 10),
                  let crc = directory.littleEndian(UInt32.self, at: position + 16),
                  let storedSize = directory.littleEndian(UInt32.self, at: position + 20),
                  let size = directory.littleEndian(UInt32.self, at: position + 24),
                  let nameLength = directory.littleEndian(UInt16.self, at: position + 28),
                  let extraLength = directory.littleEndian(UInt16.self, at: position + 30),
                  let commentLength = directory.littleEndian(UInt16.self, at: position + 32),
                  let offset = directory.littleEndian(UInt32.self, at: position + 42),
                  let nameBytes = directory.slice(at: position + centralHeaderSize, length: Int(nameLength))
            else { throw truncated }
            let entryEnd = position + centralHeaderSize + Int(nameLength) + Int(extraLength) + Int(commentLength)
            guard entryEnd <= directory.count else { throw truncated }
            guard let name = String(validating: Array(nameBytes), as: UTF8.self) else {
                throw NumPyFormatError.badZip("the name of central directory entry \(index + 1) is not UTF-8")
            }
            guard storedSize != .max, size != .max, offset != .max else {
                throw NumPyFormatError.inMember(name: name, .unsupportedZip("ZIP64 members (4 GiB or more)"))
            }
            entries.append(CentralEntry(
                name: name, nameBytes: Array(nameBytes), flags: flags, method: method, crc: crc,
                storedSize: Int(storedSize), size: Int(size), localHeaderOffset: Int(offset)))
            position = entryEnd
        }
        guard position == directory.count else {
            throw NumPyFormatError.badZip(
                "the central directory holds \(directory.count - position) bytes beyond its \(end.entryCount) entries")
        }
        return entries
    }

    /// A member found in the archive: its central entry, its (stored or compressed) data,
    /// and the bytes its local header and data take.
    private struct LocatedMember {
        var entry: CentralEntry
        var method: Method
        var data: UnsafeRawBufferPointer
        var span: Range<Int>
    }

    /// Finds one member, whose local header and data must lie before `dataEnd` (the start
    /// of the central directory) and agree with the central entry.
    private static func locate(_ entry: CentralEntry, in bytes: UnsafeRawBufferPointer, dataEnd: Int) throws -> LocatedMember {
        guard entry.flags & 1 == 0 else { throw NumPyFormatError.unsupportedZip("encrypted members") }
        guard let method = Method(rawValue: entry.method) else {
            throw NumPyFormatError.unsupportedZip("compression method \(entry.method) (only stored and deflated)")
        }
        let region = UnsafeRawBufferPointer(rebasing: bytes[0 ..< dataEnd])
        guard region.littleEndian(UInt32.self, at: entry.localHeaderOffset) == localHeaderSignature else {
            throw region.count - entry.localHeaderOffset < localHeaderSize
                ? NumPyFormatError.badZip("the local header at byte \(entry.localHeaderOffset) lies outside the archive")
                : NumPyFormatError.badZip("bad local header signature at byte \(entry.localHeaderOffset)")
        }
        guard let nameLength = region.littleEndian(UInt16.self, at: entry.localHeaderOffset + 26),
              let extraLength = region.littleEndian(UInt16.self, at: entry.localHeaderOffset + 28),
              let localMethod = region.littleEndian(UInt16.self, at: entry.localHeaderOffset + 8),
              let localName = region.slice(at: entry.localHeaderOffset + localHeaderSize, length: Int(nameLength))
        else { throw NumPyFormatError.badZip("truncated local header") }
        guard Array(localName) == entry.nameBytes, localMethod == entry.method else {
            throw NumPyFormatError.badZip("the local header disagrees with the central directory")
        }
        let dataStart = entry.localHeaderOffset + localHeaderSize + Int(nameLength) + Int(extraLength)
        guard let data = region.slice(at: dataStart, length: entry.storedSize) else {
            throw NumPyFormatError.badZip("truncated member data (\(entry.storedSize) bytes from byte \(dataStart))")
        }
        return LocatedMember(
            entry: entry, method: method, data: data, span: entry.localHeaderOffset ..< dataStart + entry.storedSize)
    }

    /// The uncompressed contents of a member, checked against its recorded size and CRC-32.
    private static func extract(_ member: LocatedMember) throws -> [UInt8] {
        let (entry, data) = (member.entry, member.data)
        let contents: [UInt8]
        switch member.method {
        case .stored:
            guard entry.storedSize == entry.size else {
                throw NumPyFormatError.sizeMismatch(recorded: entry.size, actual: entry.storedSize)
            }
            contents = Array(data)
        case .deflated:
            guard entry.size <= entry.storedSize * maximumDeflateRatio + 1024 else {
                throw NumPyFormatError.badZip(
                    "\(entry.size) bytes claimed from \(entry.storedSize) compressed bytes (more than DEFLATE can expand)")
            }
            contents = try Zlib.inflate(data, expectedSize: entry.size)
        }
        // The fuzzing build (`make fuzz`) skips the checksum, so that mutated members reach
        // the .npy parser and the model loader instead of all failing here.
        #if !FUZZING_BUILD_MODE_UNSAFE_FOR_PRODUCTION
        let crc = contents.withUnsafeBytes(Zlib.crc32)
        guard crc == entry.crc else { throw NumPyFormatError.badCRC(stored: entry.crc, computed: crc) }
        #endif
        return contents
    }
}
