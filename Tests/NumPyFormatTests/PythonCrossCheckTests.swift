import Foundation
import Testing
import NumPyFormat

/// Runs `python3` with a script and arguments; returns its standard output, or throws with
/// its standard error if it fails.
enum Python {
    struct Failure: Error, CustomStringConvertible {
        var status: Int32
        var standardError: String
        var description: String { "python3 exited with status \(status): \(standardError)" }
    }

    static func run(_ script: String, _ arguments: [String] = []) throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", "-c", script] + arguments
        let output = Pipe(), errors = Pipe()
        process.standardOutput = output
        process.standardError = errors
        try process.run()
        let outputData = output.fileHandleForReading.readDataToEndOfFile()
        let errorData = errors.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            throw Failure(status: process.terminationStatus, standardError: String(decoding: errorData, as: UTF8.self))
        }
        return String(decoding: outputData, as: UTF8.self)
    }

    /// Whether `python3` runs and can import NumPy; the cross-checks are skipped otherwise.
    static let hasNumPy: Bool = (try? run("import numpy")) != nil
}

/// NumPy itself reads what we write and writes what we read.
@Suite(.enabled(if: Python.hasNumPy, "needs python3 with numpy"))
struct PythonCrossCheckTests {
    /// What NumPy saw in one array: its dtype, shape, and values (floats as hex bit patterns).
    struct Seen: Decodable, Equatable {
        var dtype: String
        var shape: [Int]
        var bits: [String]?
        var integers: [Int64]?
        var strings: [String]?
    }

    static let describe = """
        import json, sys, numpy as np
        def describe(a):
            d = {'dtype': a.dtype.str, 'shape': list(a.shape)}
            flat = a.reshape(-1)
            if a.dtype.kind == 'f': d['bits'] = ['%016x' % v for v in flat.astype('<f8').view('<u8').tolist()]
            elif a.dtype.kind in 'iu': d['integers'] = [int(v) for v in flat.tolist()]
            else: d['strings'] = [str(v) for v in flat.tolist()]
            return d
        path = sys.argv[1]
        if path.endswith('.npz'):
            with np.load(path) as f: out = {k: describe(f[k]) for k in f.files}
        else:
            out = {'': describe(np.load(path))}
        print(json.dumps(out))
        """

    static func seen(_ url: URL) throws -> [String: Seen] {
        try JSONDecoder().decode([String: Seen].self, from: Data(Python.run(describe, [url.path]).utf8))
    }

    static func expectedSeen(_ array: NumPyArray) -> Seen {
        switch array.values {
        case .float64(let values):
            return Seen(dtype: "<f8", shape: array.shape, bits: values.map { hex($0.bitPattern) })
        case .int64(let values):
            return Seen(dtype: "<i8", shape: array.shape, integers: values)
        case .uint8(let values):
            return Seen(dtype: "|u1", shape: array.shape, integers: values.map(Int64.init))
        case .unicode(let values):
            let width = max(1, values.map(\.unicodeScalars.count).max() ?? 1)
            return Seen(dtype: "<U\(width)", shape: array.shape, strings: values)
        }
    }

    static func hex(_ value: UInt64) -> String {
        let digits = String(value, radix: 16)
        return String(repeating: "0", count: 16 - digits.count) + digits
    }

    static let arrays: [String: NumPyArray] = [
        "means": try! NumPyArray(float64: [0.1, -2, 1e300, .infinity, -0.0, .leastNonzeroMagnitude], shape: [3, 2]),
        "counts": try! NumPyArray(int64: [.min, -1, 0, .max], shape: [2, 2]),
        "pixels": try! NumPyArray(uint8: Array(0 ..< 24), shape: [2, 3, 4]),
        "names": NumPyArray(strings: ["mean", "", "Σ", "😀 ok", "a\u{0}b"]),
        "kind": NumPyArray(string: "GaussianMixture"),
        "loglik": NumPyArray(scalar: -1234.5),
        "empty": try! NumPyArray(float64: [], shape: [0, 3]),
    ]

    @Test(arguments: [NPZFile.Compression.stored, .deflated])
    func numpyLoadsOurNpz(compression: NPZFile.Compression) throws {
        try withTemporaryDirectory { directory in
            let url = directory.appendingPathComponent("model.npz")
            try NPZFile.write(Self.arrays, to: url, compression: compression)
            let seen = try Self.seen(url)
            #expect(seen == Self.arrays.mapValues(Self.expectedSeen))
        }
    }

    @Test func numpyLoadsOurNpy() throws {
        try withTemporaryDirectory { directory in
            for (key, array) in Self.arrays {
                let url = directory.appendingPathComponent("\(key).npy")
                try NPYFile.write(array, to: url)
                #expect(try Self.seen(url) == ["": Self.expectedSeen(array)], "\(key)")
            }
        }
    }

    /// Our `.npy` bytes are exactly `np.save`'s.
    @Test func npySameBytesAsNumPy() throws {
        try withTemporaryDirectory { directory in
            _ = try Python.run("""
                import sys, numpy as np
                d = sys.argv[1]
                np.save(d + '/f8.npy', np.array([[0.1, -2.0], [1e300, 5.0], [0.0, 1.5]]))
                np.save(d + '/i8.npy', np.array([[-9, 0], [7, 2**62]], dtype='<i8'))
                np.save(d + '/u1.npy', np.arange(24, dtype=np.uint8).reshape(2, 3, 4))
                np.save(d + '/U.npy', np.array(['mean', '', 'Σ😀']))
                np.save(d + '/s.npy', np.array('GaussianMixture'))
                np.save(d + '/x.npy', np.array(-1234.5))
                np.save(d + '/e.npy', np.zeros((0, 3)))
                """, [directory.path])
            let ours: [String: NumPyArray] = [
                "f8": try NumPyArray(float64: [0.1, -2, 1e300, 5, 0, 1.5], shape: [3, 2]),
                "i8": try NumPyArray(int64: [-9, 0, 7, 1 << 62], shape: [2, 2]),
                "u1": try NumPyArray(uint8: Array(0 ..< 24), shape: [2, 3, 4]),
                "U": NumPyArray(strings: ["mean", "", "Σ😀"]),
                "s": NumPyArray(string: "GaussianMixture"),
                "x": NumPyArray(scalar: -1234.5),
                "e": try NumPyArray(float64: [], shape: [0, 3]),
            ]
            for (name, array) in ours {
                let theirs = try [UInt8](Data(contentsOf: directory.appendingPathComponent("\(name).npy")))
                #expect(try NPYFile.encode(array) == theirs, "\(name)")
                #expect(identical(try NPYFile.decode(theirs), array), "\(name)")
            }
        }
    }

    /// Files NumPy writes in forms we only read: float32, Fortran order, big-endian, other
    /// integer widths, bool, format versions 2.0 and 3.0, and compressed archives.
    @Test func weReadNumPysFiles() throws {
        try withTemporaryDirectory { directory in
            _ = try Python.run("""
                import sys, numpy as np
                from numpy.lib import format
                d = sys.argv[1]
                np.save(d + '/f4.npy', np.array([1.5, -0.1, 3e-3], dtype='<f4'))
                np.save(d + '/fortran.npy', np.asfortranarray(np.arange(12.0).reshape(3, 4)))
                np.save(d + '/fortran3.npy', np.asfortranarray(np.arange(24, dtype='<i4').reshape(2, 3, 4)))
                np.save(d + '/big.npy', np.array([1.0, -2.5, 1e-300], dtype='>f8'))
                np.save(d + '/u2.npy', np.array([0, 65535], dtype='<u2'))
                np.save(d + '/b.npy', np.array([True, False, True]))
                np.save(d + '/text.npy', np.array('héllo wörld ∑ 🙂'))
                np.save(d + '/strings.npy', np.array([['a', 'bcd'], ['', 'éé']]))
                for v in [(2, 0), (3, 0)]:
                    with open(d + '/v%d.npy' % v[0], 'wb') as f:
                        format.write_array(f, np.array([[1.0, 2.0], [3.0, 4.0]]), version=v)
                arrays = dict(means=np.arange(6.0).reshape(3, 2) / 4, weights=np.array([0.25, 0.75], dtype='<f4'),
                              k=np.array(2), label=np.array('gmm'), cov=np.asfortranarray(np.eye(3) * 2))
                np.savez(d + '/plain.npz', **arrays)
                np.savez_compressed(d + '/compressed.npz', **arrays)
                """, [directory.path])
            func read(_ name: String) throws -> NumPyArray { try NPYFile.read(from: directory.appendingPathComponent(name)) }

            #expect(try read("f4.npy") == NumPyArray(float64: [1.5, -0.1, 3e-3].map { Double(Float($0)) }))
            #expect(try read("fortran.npy") == NumPyArray(float64: (0 ..< 12).map(Double.init), shape: [3, 4]))
            #expect(try read("fortran3.npy") == NumPyArray(int64: Array(0 ..< 24), shape: [2, 3, 4]))
            #expect(try read("big.npy") == NumPyArray(float64: [1.0, -2.5, 1e-300]))
            #expect(try read("u2.npy") == NumPyArray(int64: [0, 65535]))
            #expect(try read("b.npy") == NumPyArray(uint8: [1, 0, 1]))
            #expect(try read("text.npy") == NumPyArray(string: "héllo wörld ∑ 🙂"))
            #expect(try read("strings.npy") == NumPyArray(strings: ["a", "bcd", "", "éé"], shape: [2, 2]))
            #expect(try read("v2.npy") == NumPyArray(float64: [1, 2, 3, 4], shape: [2, 2]))
            #expect(try read("v3.npy") == NumPyArray(float64: [1, 2, 3, 4], shape: [2, 2]))

            let expected: [String: NumPyArray] = [
                "means": try NumPyArray(float64: (0 ..< 6).map { Double($0) / 4 }, shape: [3, 2]),
                "weights": NumPyArray(float64: [0.25, 0.75]),
                "k": NumPyArray(scalar: 2),
                "label": NumPyArray(string: "gmm"),
                "cov": try NumPyArray(float64: [2, 0, 0, 0, 2, 0, 0, 0, 2], shape: [3, 3]),
            ]
            #expect(try NPZFile.read(from: directory.appendingPathComponent("plain.npz")) == expected)
            #expect(try NPZFile.read(from: directory.appendingPathComponent("compressed.npz")) == expected)
        }
    }

    /// Python's own zipfile module accepts our archives (CRC, sizes, directory) and sees the
    /// fixed timestamp.
    @Test func pythonZipfileTestsOurArchive() throws {
        try withTemporaryDirectory { directory in
            let url = directory.appendingPathComponent("model.npz")
            try NPZFile.write(Self.arrays, to: url, compression: .deflated)
            let output = try Python.run("""
                import sys, zipfile
                with zipfile.ZipFile(sys.argv[1]) as z:
                    assert z.testzip() is None
                    for i in z.infolist(): print(i.filename, i.date_time, i.compress_type)
                """, [url.path])
            let expectedLines = Self.arrays.keys.sorted().map { "\($0).npy (1980, 1, 1, 0, 0, 0) 8" }
            #expect(output.split(separator: "\n").map(String.init) == expectedLines)
        }
    }
}
