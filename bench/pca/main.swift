// PCA benchmark: accumulate, fit and transform 9,000 × 1,280 float32 vectors (Orchard side).
// Run through bench/pca/run.sh, which builds this against Sources/LinearAlgebra in release mode.
import Foundation
import LinearAlgebra

let rows = Int(CommandLine.arguments.dropFirst().first ?? "") ?? 9000
if let threads = CommandLine.arguments.dropFirst(2).first.flatMap({ Int($0) }) { BLASThreads.count = threads }
let d = 1280
let components = 100

// Low-rank-plus-noise data with a large mean, like pooled MobileNetV2 features.
struct Generator {
    var state: UInt64 = 42
    mutating func uniform() -> Float {
        state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
        return Float(state >> 40) / Float(1 << 24)
    }
}
var generator = Generator()
let rank = 32
let mixing = (0..<(rank * d)).map { _ in generator.uniform() - 0.5 }
var data = [Float](repeating: 0, count: rows * d)
for r in 0..<rows {
    let z = (0..<rank).map { _ in generator.uniform() * 4 - 2 }
    for j in 0..<d {
        var v: Float = 3 + 0.1 * generator.uniform()
        for i in 0..<rank { v += z[i] * mixing[i * d + j] }
        data[r * d + j] = v
    }
}

func seconds(_ body: () throws -> Void) rethrows -> Double {
    let start = ContinuousClock.now
    try body()
    let elapsed = ContinuousClock.now - start
    return Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) * 1e-18
}

var accumulator = try CovarianceAccumulator(dimension: d)
let accumulate = try seconds { try accumulator.add(data) }
var model: PCAModel?
let fit = try seconds { model = try PCAModel.fit(accumulator, components: .count(components)) }
var ratioModel: PCAModel?
let ratioFit = try seconds { ratioModel = try PCAModel.fit(accumulator, components: .varianceRatio(0.95)) }
var projected: [Float] = []
let transform = try seconds { projected = try model!.transform(data) }
var merged = try CovarianceAccumulator(dimension: d)
let serialised = accumulator.serialized()
let roundTrip = try seconds { try merged.merge(CovarianceAccumulator(serialized: serialised)) }
print(String(format: "orchard  %d x %d, %d BLAS threads: accumulate %.3f s, fit (K=%d) %.3f s, transform %.3f s, total %.3f s;"
    + " fit (0.95 → K=%d) %.3f s; accumulator %.1f MB, deserialise+merge %.3f s (sum |projection| %.4g)",
    rows, d, BLASThreads.count, accumulate, components, fit, transform, accumulate + fit + transform,
    ratioModel!.componentCount, ratioFit, Double(serialised.count) / 1e6, roundTrip, projected.reduce(0) { $0 + abs($1) }))
