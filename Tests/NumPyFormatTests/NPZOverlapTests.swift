import Testing
@testable import NumPyFormat

/// Each member of an archive owns its bytes: an archive whose members share data could
/// expand to far more than its size (the "overlapping zip bomb").
@Suite struct NPZOverlapTests {
    @Test func overlappingMembersAreRefusedBeforeExtracting() throws {
        let first = try NPYFile.encode(NumPyArray(float64: [1, 2, 3]))
        var bytes = try NPZFile.encode(["a": NumPyArray(float64: [1, 2, 3]), "b": NumPyArray(float64: [4])])
        let directory = NPZMalformedTests.directoryOffset(bytes)
        // a.npy's data (after its 30 + 5 header bytes) now run on over b.npy's local header
        // and data, to the central directory.
        for field in [20, 24] { NPZMalformedTests.patch32(&bytes, at: directory + field, UInt32(directory - 35)) }
        let secondStart = 35 + first.count
        #expect(problem { try NPZFile.decode(bytes) } == .badZip(
            "the members 'a.npy' (bytes 0..<\(directory)) and 'b.npy' (bytes \(secondStart)..<\(directory)) overlap"))
    }

    @Test func adjacentMembersAreFine() throws {
        let arrays = ["a": NumPyArray(float64: [1, 2, 3]), "b": NumPyArray(float64: [4]), "c": NumPyArray(scalar: 5)]
        for compression in [NPZFile.Compression.stored, .deflated] {
            #expect(NPZTests.sameArrays(try NPZFile.decode(NPZFile.encode(arrays, compression: compression)), arrays))
        }
    }
}
