/// Deterministic pseudo-random test data (SplitMix64 + Box–Muller), so tests need no fixtures.
struct TestRandom {
    private var state: UInt64

    init(seed: UInt64) { state = seed }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// Uniform in (0, 1).
    mutating func uniform() -> Double { (Double(next() >> 11) + 0.5) / Double(1 << 53) }

    mutating func gaussian() -> Double {
        (-2 * log(uniform())).squareRoot() * cos(2 * .pi * uniform())
    }

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
