import Foundation
import Testing
@testable import NumPyFormat

/// SplitMix64 (Steele, Lea & Flood 2014): a small seeded generator, so every random test
/// case is reproducible. (This test target depends only on NumPyFormat, not on Randomness.)
struct SplitMix64: RandomNumberGenerator {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

/// The innermost `NumPyFormatError` that `body` throws, or nil if it throws nothing or
/// something else.
func problem(_ body: () throws -> Any) -> NumPyFormatError? {
    do {
        _ = try body()
        return nil
    } catch let error as NumPyFormatError {
        return error.problem
    } catch {
        return nil
    }
}

/// The whole `NumPyFormatError` that `body` throws (with file and member context).
func thrownError(_ body: () throws -> Any) -> NumPyFormatError? {
    do {
        _ = try body()
        return nil
    } catch {
        return error as? NumPyFormatError
    }
}

/// The case name of an error with associated values ("badHeader", "truncatedData", …).
func caseName(_ error: NumPyFormatError?) -> String? {
    error.flatMap { Mirror(reflecting: $0).children.first?.label }
}

/// Equality that tells NaNs, signed zeros and canonically-equivalent strings apart:
/// float64 values by bit pattern, strings by Unicode scalars.
func identical(_ a: NumPyArray, _ b: NumPyArray) -> Bool {
    guard a.shape == b.shape else { return false }
    switch (a.values, b.values) {
    case (.float64(let x), .float64(let y)): return x.map(\.bitPattern) == y.map(\.bitPattern)
    case (.unicode(let x), .unicode(let y)): return x.map { Array($0.unicodeScalars) } == y.map { Array($0.unicodeScalars) }
    default: return a.values == b.values
    }
}

/// A `.npy` file with the given header dictionary text (padded like NumPy's) and data.
func npyBytes(header: String, data: [UInt8], major: UInt8 = 1) -> [UInt8] {
    var text = Array(header.utf8)
    let prefixSize = major == 1 ? 10 : 12
    text += repeatElement(UInt8(ascii: " "), count: 63 - (prefixSize + text.count) % 64)
    text.append(UInt8(ascii: "\n"))
    var bytes: [UInt8] = [0x93] + Array("NUMPY".utf8) + [major, 0]
    if major == 1 {
        bytes.appendLittleEndian(UInt16(text.count))
    } else {
        bytes.appendLittleEndian(UInt32(text.count))
    }
    return bytes + text + data
}

/// The little-endian bytes of `values`.
func littleEndianBytes<T: FixedWidthInteger>(_ values: [T]) -> [UInt8] {
    var bytes: [UInt8] = []
    for value in values { bytes.appendLittleEndian(value) }
    return bytes
}

/// A fresh empty directory, removed when `body` returns.
func withTemporaryDirectory<T>(_ body: (URL) throws -> T) throws -> T {
    let directory = FileManager.default.temporaryDirectory
        .appendingPathComponent("NumPyFormatTests-\(UUID().uuidString)", isDirectory: true)
    try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: directory) }
    return try body(directory)
}

// MARK: - Random arrays

extension SplitMix64 {
    mutating func int(_ range: ClosedRange<Int>) -> Int { Int.random(in: range, using: &self) }

    /// A shape of 0 to 3 dimensions, each 0 to 4 long.
    mutating func shape() -> [Int] {
        (0 ..< int(0 ... 3)).map { _ in int(0 ... 4) }
    }

    /// Doubles of every kind: ordinary, tiny, huge, subnormal, ±0, ±∞, NaN.
    mutating func double() -> Double {
        switch int(0 ... 9) {
        case 0: return [0.0, -0.0, .infinity, -.infinity, .nan, .leastNonzeroMagnitude, .greatestFiniteMagnitude][int(0 ... 6)]
        case 1: return Double(bitPattern: next())
        default: return Double.random(in: -1e6 ... 1e6, using: &self)
        }
    }

    /// A string of 0 to 6 code points from ASCII, Latin-1, Greek, CJK, emoji and combining
    /// marks, possibly with an embedded (never a trailing) U+0000.
    mutating func string() -> String {
        let ranges: [ClosedRange<UInt32>] = [0x20 ... 0x7E, 0xA0 ... 0xFF, 0x391 ... 0x3C9, 0x4E00 ... 0x4E80, 0x1F600 ... 0x1F64F, 0x300 ... 0x36F, 0 ... 0]
        var scalars = String.UnicodeScalarView()
        let length = int(0 ... 6)
        for position in 0 ..< length {
            let range = ranges[int(0 ... (position == length - 1 ? ranges.count - 2 : ranges.count - 1))]
            scalars.append(Unicode.Scalar(UInt32.random(in: range, using: &self))!)
        }
        return String(scalars)
    }

    /// A random array of a random element type and shape.
    mutating func array() -> NumPyArray {
        let shape = shape()
        let count = shape.reduce(1, *)
        let values: NumPyArray.Values
        switch int(0 ... 3) {
        case 0: values = .float64((0 ..< count).map { _ in double() })
        case 1: values = .int64((0 ..< count).map { _ in Int64(bitPattern: next()) })
        case 2: values = .uint8((0 ..< count).map { _ in UInt8.random(in: 0 ... 255, using: &self) })
        default: values = .unicode((0 ..< count).map { _ in string() })
        }
        return try! NumPyArray(shape: shape, values: values)
    }
}
