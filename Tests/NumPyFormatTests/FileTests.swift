import Foundation
import Testing
import NumPyFormat

/// Reading and writing files: clear errors naming the file, and atomic replacement.
@Suite struct FileTests {
    @Test func missingFile() throws {
        try withTemporaryDirectory { directory in
            let url = directory.appendingPathComponent("absent.npy")
            let error = thrownError { try NPYFile.read(from: url) }
            #expect(error == .inFile(path: url.path, .fileNotFound))
            #expect(error?.description == "'\(url.path)': no such file")
            #expect(thrownError { try NPZFile.read(from: url) } == .inFile(path: url.path, .fileNotFound))
        }
    }

    @Test func directory() throws {
        try withTemporaryDirectory { directory in
            #expect(thrownError { try NPYFile.read(from: directory) } == .inFile(path: directory.path, .isDirectory))
            #expect(thrownError { try NPZFile.read(from: directory) } == .inFile(path: directory.path, .isDirectory))
        }
    }

    @Test func emptyFile() throws {
        try withTemporaryDirectory { directory in
            let url = directory.appendingPathComponent("empty.npz")
            #expect(FileManager.default.createFile(atPath: url.path, contents: Data()))
            let error = thrownError { try NPZFile.read(from: url) }
            #expect(error == .inFile(path: url.path, .emptyInput))
            #expect(error?.description == "'\(url.path)': the file is empty (0 bytes)")
            #expect(thrownError { try NPYFile.read(from: url) } == .inFile(path: url.path, .emptyInput))
        }
    }

    @Test func errorsInsideAnArchiveNameFileAndMember() throws {
        try withTemporaryDirectory { directory in
            let url = directory.appendingPathComponent("model.npz")
            var bytes = try NPZFile.encode(["means": NumPyArray(float64: [1, 2])])
            bytes[30 + 9 + 20] = UInt8(ascii: "X")  // a byte of means.npy: its CRC-32 no longer matches
            try Data(bytes).write(to: url)
            let error = thrownError { try NPZFile.read(from: url) }
            #expect(error?.description.hasPrefix("'\(url.path)': zip member 'means.npy': ") == true)
        }
    }

    @Test func writingReplacesAtomically() throws {
        try withTemporaryDirectory { directory in
            let url = directory.appendingPathComponent("model.npz")
            try NPZFile.write(["a": NumPyArray(scalar: 1.0)], to: url)
            try NPZFile.write(["b": NumPyArray(scalar: 2.0)], to: url, compression: .deflated)
            #expect(try NPZFile.read(from: url) == ["b": NumPyArray(scalar: 2.0)])
            // A write that fails leaves the old file as it was, and no temporary file.
            #expect(thrownError { try NPZFile.write(["c": NumPyArray(string: "bad\u{0}")], to: url) }
                == .inFile(path: url.path, .inMember(name: "c.npy", .unrepresentableString("bad\u{0}"))))
            #expect(try NPZFile.read(from: url) == ["b": NumPyArray(scalar: 2.0)])
            #expect(try FileManager.default.contentsOfDirectory(atPath: directory.path) == ["model.npz"])
        }
    }

    @Test func unwritableDestinations() throws {
        try withTemporaryDirectory { directory in
            let missingDirectory = directory.appendingPathComponent("no/such/dir/x.npy")
            let error = thrownError { try NPYFile.write(NumPyArray(scalar: 1.0), to: missingDirectory) }
            #expect(caseName(error?.problem) == "cannotWrite")
            #expect(error?.description.hasPrefix("'\(missingDirectory.path)': cannot write: ") == true)

            let occupied = directory.appendingPathComponent("occupied")
            try FileManager.default.createDirectory(at: occupied, withIntermediateDirectories: false)
            #expect(caseName(thrownError { try NPYFile.write(NumPyArray(scalar: 1.0), to: occupied) }?.problem) == "cannotWrite")
            #expect(try FileManager.default.contentsOfDirectory(atPath: directory.path) == ["occupied"])
        }
    }
}
