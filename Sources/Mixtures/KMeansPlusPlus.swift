import CBLAS
import LinearAlgebra
import Randomness

/// The outcome of k-means: centroids, the label of every sample and its squared distance.
public struct KMeansResult: Sendable {
    /// K x d: row k is centroid k.
    public let centroids: Matrix
    /// The index of the centroid nearest to each sample.
    public let labels: [Int]
    /// ‖xᵢ − c_{labelᵢ}‖² for each sample.
    public let squaredDistances: [Double]

    /// Σᵢ ‖xᵢ − c_{labelᵢ}‖², the k-means objective.
    public var inertia: Double { squaredDistances.reduce(0, +) }
}

/// k-means++ seeding followed by Lloyd iterations, the default initialisation of a mixture.
///
/// Seeding (Arthur and Vassilvitskii, 2007): the first centroid is a uniformly random
/// sample; each next one is sample i with probability D(xᵢ)² / Σⱼ D(xⱼ)², where D(x) is the
/// distance to the nearest centroid chosen so far (uniform if every D is 0). A Lloyd
/// iteration moves each centroid to the mean of its samples (an empty cluster keeps its
/// centroid) and relabels every sample by its nearest centroid, using
/// ‖x − c‖² = ‖x‖² − 2 xᵀc + ‖c‖² with X Cᵀ computed by one GEMM.
///
/// Mathematical properties (tested in `KMeansLaws`):
/// - every label is the nearest centroid; the seeds are distinct samples when the data has
///   at least K distinct rows;
/// - Lloyd iterations never increase the inertia.
public func kMeansPlusPlus(
    _ x: Matrix, clusters k: Int, lloydIterations: Int = 5, using generator: inout SeededGenerator
) throws -> KMeansResult {
    let n = x.rows, d = x.columns
    guard k >= 1, k <= n else { throw MixtureError.invalidComponentCount(components: k, samples: n) }
    guard d >= 1 else { throw MixtureError.noSamples("the samples have dimension 0") }
    guard lloydIterations >= 0 else {
        throw MixtureError.invalidOption("lloydIterations is \(lloydIterations); it must be 0 or more")
    }
    var centroids = Matrix(rows: k, columns: d)
    var labels = [Int](repeating: 0, count: n)
    var distances = [Double](repeating: .infinity, count: n)
    x.storage.withUnsafeBufferPointer { p in
        for c in 0..<k {
            let total = distances.reduce(0) { $0 + ($1.isFinite ? $1 : 0) }
            var chosen = 0
            if c == 0 || total == 0 {
                chosen = generator.nextInt(below: n)
            } else {
                let target = generator.nextUniform() * total
                var cumulative = 0.0
                for i in 0..<n where distances[i] > 0 {
                    chosen = i
                    cumulative += distances[i]
                    if cumulative > target { break }
                }
            }
            let seed = p.baseAddress! + chosen * d
            centroids.setRow(c, to: Array(UnsafeBufferPointer(start: seed, count: d)))
            for i in 0..<n {
                let xi = p.baseAddress! + i * d
                var s = 0.0
                for j in 0..<d {
                    let v = xi[j] - seed[j]
                    s += v * v
                }
                if s < distances[i] {
                    distances[i] = s
                    labels[i] = c
                }
            }
        }
    }
    for _ in 0..<lloydIterations {
        centroids = clusterMeans(x, labels: labels, previous: centroids)
        let (newLabels, newDistances) = nearestCentroids(x, centroids)
        let changed = newLabels != labels
        labels = newLabels
        distances = newDistances
        if !changed { break }
    }
    return KMeansResult(centroids: centroids, labels: labels, squaredDistances: distances)
}

/// The mean of the samples of each cluster (an empty cluster keeps its previous centroid).
func clusterMeans(_ x: Matrix, labels: [Int], previous: Matrix) -> Matrix {
    let k = previous.rows, d = x.columns
    var sums = Matrix(rows: k, columns: d)
    var counts = [Int](repeating: 0, count: k)
    x.storage.withUnsafeBufferPointer { p in
        sums.storage.withUnsafeMutableBufferPointer { s in
            for (i, c) in labels.enumerated() {
                counts[c] += 1
                for j in 0..<d { s[c * d + j] += p[i * d + j] }
            }
        }
    }
    var means = previous
    for c in 0..<k where counts[c] > 0 {
        for j in 0..<d { means[c, j] = sums[c, j] / Double(counts[c]) }
    }
    return means
}

/// For each sample, the nearest centroid and the squared distance to it, by
/// ‖x − c‖² = ‖x‖² − 2 xᵀc + ‖c‖² (clamped at 0) with X Cᵀ from one GEMM.
func nearestCentroids(_ x: Matrix, _ centroids: Matrix) -> (labels: [Int], squaredDistances: [Double]) {
    let n = x.rows, d = x.columns, k = centroids.rows
    var products = Matrix(rows: n, columns: k)
    try! Matrix.gemm(x, centroids, transposeB: true, into: &products)  // shapes agree by construction
    let centroidNorms = (0..<k).map { c in centroids.row(c).reduce(0) { $0 + $1 * $1 } }
    var labels = [Int](repeating: 0, count: n)
    var distances = [Double](repeating: 0, count: n)
    x.storage.withUnsafeBufferPointer { p in
        for i in 0..<n {
            var norm = 0.0
            for j in 0..<d { norm += p[i * d + j] * p[i * d + j] }
            var best = Double.infinity
            for c in 0..<k {
                let distance = norm - 2 * products[i, c] + centroidNorms[c]
                if distance < best {
                    best = distance
                    labels[i] = c
                }
            }
            distances[i] = max(best, 0)
        }
    }
    return (labels, distances)
}
