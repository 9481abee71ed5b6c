import OrchardTestKit
/// Deterministic pseudo-random test data (OrchardTestKit's SplitMix64), so tests need no fixtures.
struct TestRandom {
    private var generator: SplitMix64

    init(seed: UInt64) { generator = SplitMix64(seed: seed) }

    mutating func next() -> UInt64 { generator.next() }

    /// Uniform in (0, 1).
    mutating func uniform() -> Double { generator.uniform() }

    mutating func gaussian() -> Double { generator.gaussian() }

    /// `rows` × `d` correlated vectors around a large mean: x = mean + z·A, with A random and decaying.
    mutating func correlatedRows(_ rows: Int, dimension d: Int, mean: Double = 1000) -> [Float] {
        let mixing = (0..<(d * d)).map { i in gaussian() / Double(1 + i % d) }
        let centre = (0..<d).map { _ in mean * (0.5 + uniform()) }
        var out = [Float](repeating: 0, count: rows * d)
        for r in 0..<rows {
            let z = (0..<d).map { _ in gaussian() }
            for j in 0..<d {
                var v = centre[j]
                for i in 0..<d { v += z[i] * mixing[i * d + j] }
                out[r * d + j] = Float(v)
            }
        }
        return out
    }
}

#if canImport(Glibc)
import Glibc
#else
import Darwin
#endif
