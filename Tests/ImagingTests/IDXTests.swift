import Foundation
import Imaging
import PropertyBased
import Randomness
import Testing

@Suite struct IDXRoundTrip {
    @Test(arguments: [false, true]) func imagesAndLabelsComeBackExactly(gzip: Bool) async {
        await propertyCheck(
            count: 25, input: Gen.int(in: 1...6), Gen.int(in: 1...9), Gen.int(in: 1...9), Gen.uint64(in: 0...UInt64.max)
        ) { count, rows, columns, seed in
            let images = (0..<count).map { try! randomIntegerImage(width: columns, height: rows, seed: seed &+ UInt64($0)) }
            var generator = SeededGenerator(seed: seed)
            let labels = (0..<count).map { _ in generator.nextInt(below: 10) }
            try! withTemporaryDirectory { directory in
                let imagePath = directory + "/images.idx"
                let labelPath = directory + "/labels.idx"
                try IDXFile.writeImages(images, to: imagePath, gzip: gzip)
                try IDXFile.writeLabels(labels, to: labelPath, gzip: gzip)
                #expect(try readFile(imagePath).starts(with: [0x1f, 0x8b]) == gzip)
                #expect(try IDXFile.readImages(at: imagePath) == images)
                #expect(try IDXFile.readLabels(at: labelPath) == labels)
                let both = try IDXFile.readLabelledImages(imagesAt: imagePath, labelsAt: labelPath)
                #expect(both.images == images && both.labels == labels)
            }
        }
    }

    @Test(arguments: [false, true]) func limitReadsTheFirstItems(gzip: Bool) throws {
        let images = try (0..<5).map { try randomIntegerImage(width: 4, height: 3, seed: UInt64($0)) }
        try withTemporaryDirectory { directory in
            let imagePath = directory + "/images"
            let labelPath = directory + "/labels"
            try IDXFile.writeImages(images, to: imagePath, gzip: gzip)
            try IDXFile.writeLabels([3, 1, 4, 1, 5], to: labelPath, gzip: gzip)
            #expect(try IDXFile.readImages(at: imagePath, limit: 2) == Array(images.prefix(2)))
            #expect(try IDXFile.readImages(at: imagePath, limit: 0) == [])
            #expect(try IDXFile.readImages(at: imagePath, limit: 99) == images)
            #expect(try IDXFile.readLabels(at: labelPath, limit: 3) == [3, 1, 4])
            let both = try IDXFile.readLabelledImages(imagesAt: imagePath, labelsAt: labelPath, limit: 4)
            #expect(both.images == Array(images.prefix(4)) && both.labels == [3, 1, 4, 1])
        }
    }

    @Test func compressionFollowsTheFileNameByDefault() throws {
        let images = [try randomIntegerImage(width: 2, height: 2, seed: 1)]
        try withTemporaryDirectory { directory in
            try IDXFile.writeImages(images, to: directory + "/a.gz")
            try IDXFile.writeImages(images, to: directory + "/a.idx")
            #expect(try readFile(directory + "/a.gz").starts(with: [0x1f, 0x8b]))
            #expect(try readFile(directory + "/a.idx").starts(with: [0, 0, 8, 3, 0, 0, 0, 1, 0, 0, 0, 2, 0, 0, 0, 2]))
            #expect(try FileManager.default.contentsOfDirectory(atPath: directory).sorted() == ["a.gz", "a.idx"])
        }
    }

    @Test func writerRoundsAndClipsValues() throws {
        let image = try Image(width: 4, height: 1, pixels: [-3, 12.4, 12.6, 300])
        let back = try withTemporaryDirectory { directory in
            try IDXFile.writeImages([image], to: directory + "/x")
            return try IDXFile.readImages(at: directory + "/x")
        }
        #expect(back == [try Image(width: 4, height: 1, pixels: [0, 12, 13, 255])])
    }
}

@Suite struct IDXErrors {
    /// Writes `bytes` to a file and returns the error of reading it as images (or labels).
    private func imageReadError(_ bytes: [UInt8], labels: Bool = false, limit: Int? = nil) throws -> (IDXError?, String) {
        try withTemporaryDirectory { directory in
            let path = directory + "/file"
            try writeFile(bytes, to: path)
            do {
                if labels { _ = try IDXFile.readLabels(at: path, limit: limit) } else { _ = try IDXFile.readImages(at: path, limit: limit) }
                return (nil, path)
            } catch let error as IDXError {
                return (error, path)
            }
        }
    }

    private func be(_ values: Int...) -> [UInt8] { values.flatMap(RawPNG.bigEndian) }

    private func validImageFile(gzip: Bool) throws -> [UInt8] {
        try withTemporaryDirectory { directory in
            let images = try (0..<10).map { try randomIntegerImage(width: 28, height: 28, seed: UInt64($0)) }
            try IDXFile.writeImages(images, to: directory + "/f", gzip: gzip)
            return try readFile(directory + "/f")
        }
    }

    @Test func missingDirectoryAndEmpty() throws {
        #expect(throws: IDXError.fileNotFound(path: "/nonexistent/file.idx")) {
            try IDXFile.readImages(at: "/nonexistent/file.idx")
        }
        try withTemporaryDirectory { directory in
            #expect(throws: IDXError.isDirectory(path: directory)) { try IDXFile.readLabels(at: directory) }
        }
        let (error, path) = try imageReadError([])
        #expect(error == .emptyFile(path: path))
    }

    @Test func wrongMagicNumbers() throws {
        var (error, path) = try imageReadError(Array("GIF89a, not an IDX file".utf8))
        #expect(error == .notIDX(path: path, magic: 0x4749_4638))
        (error, path) = try imageReadError(be(2049, 3) + [1, 2, 3])
        #expect(error == .labelFileGivenToImageReader(path: path))
        #expect(error?.description.contains("this is a label file, not an image file") == true)
        (error, path) = try imageReadError(be(2051, 1, 1, 1) + [0], labels: true)
        #expect(error == .imageFileGivenToLabelReader(path: path))
        #expect(error?.description.contains("this is an image file, not a label file") == true)
        (error, path) = try imageReadError(be(0x0D03, 1, 1, 1) + [0])  // doubles, rank 3
        #expect(error == .unsupportedIDXType(path: path, magic: 0x0D03, expected: 2051))
    }

    @Test func truncatedRawFiles() throws {
        let bytes = try validImageFile(gzip: false)
        var (error, path) = try imageReadError(Array(bytes.dropLast(100)))
        #expect(error == .truncated(path: path, neededBytes: 16 + 10 * 784, availableBytes: 16 + 10 * 784 - 100))
        (error, path) = try imageReadError(Array(bytes.prefix(10)))  // inside the header
        #expect(error == .truncated(path: path, neededBytes: 16, availableBytes: 10))
        (error, path) = try imageReadError(be(2049, 5) + [1, 2], labels: true)
        #expect(error == .truncated(path: path, neededBytes: 13, availableBytes: 10))
        // With a limit, only the requested images need to be there.
        (error, path) = try imageReadError(Array(bytes.dropLast(100)), limit: 9)
        #expect(error == nil)
    }

    @Test func truncatedGzipFiles() throws {
        let bytes = try validImageFile(gzip: true)
        let (error, path) = try imageReadError(Array(bytes.prefix(bytes.count / 2)))
        guard case .truncated(let errorPath, let needed, let available) = error else {
            Issue.record("expected a truncation error, got \(String(describing: error))")
            return
        }
        #expect(errorPath == path && needed == 16 + 10 * 784 && available < needed)
    }

    @Test func corruptGzipStreams() throws {
        var bytes = try validImageFile(gzip: true)
        bytes[2] = 7  // compression method: not deflate
        var (error, path) = try imageReadError(bytes)
        #expect(error == .corruptGzip(path: path, message: "unknown compression method"))

        bytes = try validImageFile(gzip: true)
        bytes[bytes.count - 6] ^= 0xff  // the CRC-32 in the trailer
        (error, path) = try imageReadError(bytes)
        #expect(error == .corruptGzip(path: path, message: "incorrect data check"))
        #expect(error?.description.contains(path) == true)
    }

    /// Content after the announced data is ignored, but the gzip checksum still covers it:
    /// the reader decompresses to the end of the stream, also when a limit leaves items
    /// unread, so a file damaged anywhere is rejected rather than used in part.
    @Test func checksumIsVerifiedPastTheAnnouncedData() throws {
        let content = be(2051, 1, 2, 2) + [1, 2, 3, 4] + [UInt8](repeating: 7, count: 100)
        var compressed = RawGzip.encode(content)
        var (error, path) = try imageReadError(compressed)
        #expect(error == nil)
        compressed[compressed.count - 8] ^= 0xff
        (error, path) = try imageReadError(compressed)
        #expect(error == .corruptGzip(path: path, message: "incorrect data check"))
        let partial = RawGzip.encode(be(2051, 2, 2, 2) + [1, 2, 3, 4, 5, 6, 7, 8])
        (error, path) = try imageReadError(partial, limit: 1)
        #expect(error == nil)
        var damaged = partial
        damaged[damaged.count - 8] ^= 0xff
        (error, path) = try imageReadError(damaged, limit: 1)
        #expect(error == .corruptGzip(path: path, message: "incorrect data check"))
    }

    /// A gzip file cut anywhere after the items a reader needs, down to one byte of its
    /// 8-byte trailer (CRC-32 and length), is reported, with or without a limit.
    @Test func aCutGzipTrailerIsReported() throws {
        let compressed = try validImageFile(gzip: true)
        for cut in [1, 4, 8, 20] {
            for limit in [nil, 2] as [Int?] {
                let (error, path) = try imageReadError(Array(compressed.dropLast(cut)), limit: limit)
                let expected = IDXError.corruptGzip(
                    path: path, message: "the file ends before the gzip stream does (truncated, or its trailer is missing)")
                if case .truncated = error { continue }  // the cut reached the items themselves
                #expect(error == expected, "cut \(cut), limit \(String(describing: limit)): \(String(describing: error))")
            }
        }
    }

    @Test func absurdDimensions() throws {
        // 2^31 rows: one image would need more bytes than the file has.
        var (error, path) = try imageReadError(be(2051, 1, 1 << 31, 28) + [UInt8](repeating: 0, count: 100))
        #expect(error == .absurdDimensions(
            path: path, detail: "one 2147483648 x 28 image needs 60129542144 bytes, more than the 116-byte file can hold"))
        // rows x columns overflows any integer.
        (error, path) = try imageReadError(be(2051, 1, 0xFFFF_FFFF, 0xFFFF_FFFF) + [0])
        #expect(error == .absurdDimensions(path: path, detail: "images of 4294967295 x 4294967295 pixels"))
        (error, path) = try imageReadError(be(2051, 1, 0, 28) + [0])
        #expect(error == .absurdDimensions(path: path, detail: "images of 0 x 28 pixels"))
        // 2^32 − 1 images of 28 x 28: more than the file holds (but each image would fit).
        (error, path) = try imageReadError(be(2051, 0xFFFF_FFFF, 28, 28) + [UInt8](repeating: 0, count: 784))
        #expect(error == .truncated(path: path, neededBytes: 16 + 0xFFFF_FFFF * 784, availableBytes: 800))
    }

    @Test func absurdDimensionsInAGzipFile() throws {
        // A valid gzip stream whose content announces one image of 2^31 x 2^31 pixels
        // (2^62 bytes, no overflow) followed by a few bytes of data.
        let content = be(2051, 1, 1 << 31, 1 << 31) + [UInt8](repeating: 9, count: 50)
        let compressed = RawGzip.encode(content)
        let (error, path) = try imageReadError(compressed)
        #expect(error == .absurdDimensions(
            path: path,
            detail: "one 2147483648 x 2147483648 image needs 4611686018427387904 bytes, "
                + "more than the \(compressed.count)-byte file can hold"))
        // The hand-made stream itself is valid: read as labels of the wrong kind it fails on
        // the magic number, not on the compression.
        let (labelError, labelPath) = try imageReadError(compressed, labels: true)
        #expect(labelError == .imageFileGivenToLabelReader(path: labelPath))
        // 2^32 − 1 images of 28 x 28 cannot come out of a small gzip file.
        let many = RawGzip.encode(be(2051, 0xFFFF_FFFF, 28, 28) + [UInt8](repeating: 0, count: 784))
        let (manyError, manyPath) = try imageReadError(many)
        #expect(manyError == .absurdDimensions(
            path: manyPath,
            detail: "4294967295 items of 784 bytes are more than a \(many.count)-byte gzip file can expand to"))
    }

    @Test func invalidLimitAndCountMismatch() throws {
        try withTemporaryDirectory { directory in
            let images = try (0..<3).map { try randomIntegerImage(width: 2, height: 2, seed: UInt64($0)) }
            try IDXFile.writeImages(images, to: directory + "/i")
            try IDXFile.writeLabels([1, 2], to: directory + "/l")
            #expect(throws: IDXError.invalidLimit(-1)) { try IDXFile.readImages(at: directory + "/i", limit: -1) }
            #expect(throws: IDXError.countMismatch(imagesPath: directory + "/i", images: 3, labelsPath: directory + "/l", labels: 2)) {
                try IDXFile.readLabelledImages(imagesAt: directory + "/i", labelsAt: directory + "/l")
            }
        }
    }

    @Test func writerRejectsDataIDXCannotHold() throws {
        try withTemporaryDirectory { directory in
            let path = directory + "/out"
            let gray = try Image(width: 2, height: 2)
            #expect(throws: IDXError.unwritableData(path: path, detail: "no images to write (the size would be unknown)")) {
                try IDXFile.writeImages([], to: path)
            }
            #expect(throws: IDXError.unwritableData(path: path, detail: "image 1 is 2x2 RGB, expected 2x2 gray")) {
                try IDXFile.writeImages([gray, gray.rgb()], to: path)
            }
            #expect(throws: IDXError.unwritableData(path: path, detail: "image 1 is 3x2 gray, expected 2x2 gray")) {
                try IDXFile.writeImages([gray, try Image(width: 3, height: 2)], to: path)
            }
            #expect(throws: IDXError.unwritableData(path: path, detail: "image 0 has NaN or infinite pixels")) {
                try IDXFile.writeImages([try Image(width: 1, height: 1, pixels: [.nan])], to: path)
            }
            #expect(throws: IDXError.unwritableData(path: path, detail: "label 1 is 256, outside 0...255")) {
                try IDXFile.writeLabels([0, 256], to: path)
            }
            #expect(!FileManager.default.fileExists(atPath: path))
            #expect(throws: IDXError.self) { try IDXFile.writeLabels([1], to: "/nonexistent-directory/labels") }
        }
    }
}

@Suite struct MNISTData {
    static let imagesPath = dataDirectory + "/mnist/mnist-4k-images-idx3-ubyte.gz"
    static let labelsPath = dataDirectory + "/mnist/mnist-4k-labels-idx1-ubyte.gz"

    @Test func fourThousandDigitsFourHundredOfEach() throws {
        let (images, labels) = try IDXFile.readLabelledImages(imagesAt: Self.imagesPath, labelsAt: Self.labelsPath)
        #expect(images.count == 4000)
        #expect(images.allSatisfy { $0.width == 28 && $0.height == 28 && $0.channels == 1 })
        #expect(images.allSatisfy { $0.pixels.allSatisfy { (0...255).contains($0) && $0.rounded() == $0 } })
        #expect(images.allSatisfy { $0.valueRange.upperBound > 100 })  // every digit has ink
        #expect((0...9).map { digit in labels.filter { $0 == digit }.count } == Array(repeating: 400, count: 10))
        let firstThousand = try IDXFile.readImages(at: Self.imagesPath, limit: 1000)
        #expect(firstThousand == Array(images.prefix(1000)))
    }

    @Test func digitsCanBeSavedAsPNG() throws {
        let digit = try IDXFile.readImages(at: Self.imagesPath, limit: 1)[0]
        let back = try withTemporaryDirectory { directory in
            try PNGFile.write(digit.scaled(by: 1.0 / 255), to: directory + "/digit.png")
            return try PNGFile.read(directory + "/digit.png")
        }
        #expect(back == digit.mapPixels { $0 / 255 })
    }
}
