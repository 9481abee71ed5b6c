/// Comparisons whose time does not tell an attacker how much of a secret they guessed.
enum ConstantTime {
    /// Equal bytes, in time that depends only on the lengths (no early exit on the first difference).
    static func equal(_ a: [UInt8], _ b: [UInt8]) -> Bool {
        var difference = UInt8(truncatingIfNeeded: a.count ^ b.count)
        for i in 0..<max(a.count, b.count) {
            difference |= (i < a.count ? a[i] : 0) ^ (i < b.count ? b[i] : 0)
        }
        return difference == 0 && a.count == b.count
    }
}
