/// SplitMix64 (Steele, Lea and Flood 2014): a small generator whose stream depends on its seed only,
/// so a seeded split picks the same rows on every machine and Swift version.
struct SeededGenerator {
    private var state: UInt64

    init(seed: UInt64) { state = seed }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// Uniform in 0..<bound (Lemire's multiply-shift; the bias, below bound/2⁶⁴, is immaterial here).
    mutating func next(below bound: Int) -> Int {
        Int(next().multipliedFullWidth(by: UInt64(bound)).high)
    }

    /// `values` in a random order: Fisher–Yates, spelled out so the order never depends on the
    /// standard library's `shuffle` algorithm.
    mutating func shuffled<T>(_ values: [T]) -> [T] {
        var values = values
        for i in stride(from: values.count - 1, to: 0, by: -1) {
            values.swapAt(i, next(below: i + 1))
        }
        return values
    }
}
