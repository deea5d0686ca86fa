import Imaging
import LinearAlgebra
import PropertyBased
import Randomness
import Testing

/// `Matrix.removeRowMeans` and `addToRows`, the patch-mean (DC) handling of mean-removed
/// priors, against naive sums.
@Suite struct PatchMeanRemoval {
    /// After removal every row sums to 0 (to rounding, relative to the row's size), the
    /// returned means are the naive means Σⱼ xᵢⱼ / d, and adding them back restores the rows.
    @Test func removedRowsSumToZeroAndTheMeansAreNaiveMeans() async {
        await propertyCheck(count: 40, input: Gen.int(in: 1...12), Gen.int(in: 1...70), Gen.uint64()) { rows, d, seed in
            var g = SeededGenerator(seed: seed)
            let original = try! Matrix(rows: rows, columns: d,
                                       storage: (0..<(rows * d)).map { _ in 100 * g.nextUniform() + g.nextGaussian() })
            var x = original
            let means = x.removeRowMeans()
            #expect(means.count == rows)
            for i in 0..<rows {
                let row = original.row(i)
                let size = row.map(abs).reduce(0, +)
                var naive = 0.0
                for value in row { naive += value }
                naive /= Double(d)
                #expect(abs(means[i] - naive) <= 1e-14 * size / Double(d), "row \(i): \(means[i]) against \(naive)")
                #expect(abs(x.row(i).reduce(0, +)) <= 1e-13 * size, "row \(i) sums to \(x.row(i).reduce(0, +))")
                for j in 0..<d { #expect(abs(x[i, j] - (row[j] - naive)) <= 1e-13 * size / Double(d)) }
            }
            x.addToRows(means)
            for (a, b) in zip(x.storage, original.storage) { #expect(abs(a - b) <= 1e-13 * max(abs(b), 1)) }
        }
    }

    /// `addToRows` adds value i to every entry of row i, exactly.
    @Test func addToRowsAddsOneValuePerRow() throws {
        var x = try Matrix(rows: 2, columns: 3, storage: [1, 2, 3, 4, 5, 6])
        x.addToRows([10, -0.5])
        #expect(x.storage == [11, 12, 13, 3.5, 4.5, 5.5])
    }
}
