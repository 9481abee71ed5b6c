// The RLE/bit-packed hybrid encoding (parquet-format Encodings.md, "RLE = 3"): runs of one repeated value or
// groups of 8 bit-packed literals. Runs start on 8-value group boundaries, so a literal group never has to
// be rewritten when a run begins.

/// Encodes unsigned values of a fixed bit width into the RLE/bit-packed hybrid, with a fast path for long runs.
struct RleHybridEncoder {
    let bitWidth: Int
    private(set) var output: [UInt8] = []
    private var buffered: (UInt32, UInt32, UInt32, UInt32, UInt32, UInt32, UInt32, UInt32) = (0, 0, 0, 0, 0, 0, 0, 0)
    private var numBuffered = 0
    private var currentValue: UInt32 = 0
    private var repeatCount = 0
    private var literalCount = 0
    private var literalIndicator: Int?

    init(bitWidth: Int) {
        self.bitWidth = bitWidth
    }

    /// Appends `count` copies of `value` (cheap once a run is established).
    mutating func put(_ value: UInt32, count: Int) {
        var remaining = count
        while remaining > 0 {
            if value == currentValue && repeatCount >= 8 {
                repeatCount += remaining
                return
            }
            put(value)
            remaining -= 1
        }
    }

    /// Appends one value.
    mutating func put(_ value: UInt32) {
        if value == currentValue {
            repeatCount += 1
            if repeatCount > 8 { return }  // continuing a run: nothing to buffer
        } else {
            if repeatCount >= 8 { flushRepeatedRun() }
            repeatCount = 1
            currentValue = value
        }
        withUnsafeMutableBytes(of: &buffered) { $0.storeBytes(of: value, toByteOffset: numBuffered * 4, as: UInt32.self) }
        numBuffered += 1
        if numBuffered == 8 { flushBufferedValues() }
    }

    private mutating func flushBufferedValues() {
        if repeatCount >= 8 {
            // The 8 buffered values are the start of a run: drop them, close any literal run before it.
            numBuffered = 0
            if literalCount != 0 { flushLiteralRun(updateIndicator: true) }
            return
        }
        literalCount += numBuffered
        let groups = literalCount / 8
        flushLiteralRun(updateIndicator: groups + 1 >= 64)
        repeatCount = 0
    }

    private mutating func flushLiteralRun(updateIndicator: Bool) {
        if literalIndicator == nil {
            literalIndicator = output.count
            output.append(0)
        }
        if numBuffered > 0 {
            var acc: UInt64 = 0
            var bits = 0
            let values = buffered
            withUnsafeBytes(of: values) { raw in
                for i in 0..<8 {
                    let v = i < numBuffered ? raw.load(fromByteOffset: i * 4, as: UInt32.self) : 0
                    acc |= UInt64(v) << UInt64(bits)
                    bits += bitWidth
                    while bits >= 8 {
                        output.append(UInt8(truncatingIfNeeded: acc))
                        acc >>= 8
                        bits -= 8
                    }
                }
            }
            numBuffered = 0
        }
        if updateIndicator, let at = literalIndicator {
            let groups = (literalCount + 7) / 8
            output[at] = UInt8(groups << 1 | 1)
            literalIndicator = nil
            literalCount = 0
        }
    }

    private mutating func flushRepeatedRun() {
        var header = UInt64(repeatCount) << 1
        while header >= 0x80 {
            output.append(UInt8(truncatingIfNeeded: header) | 0x80)
            header >>= 7
        }
        output.append(UInt8(header))
        var v = currentValue
        for _ in 0..<((bitWidth + 7) / 8) {
            output.append(UInt8(truncatingIfNeeded: v))
            v >>= 8
        }
        numBuffered = 0
        repeatCount = 0
    }

    /// Flushes everything and returns the encoded bytes.
    mutating func finish() -> [UInt8] {
        if literalCount > 0 || repeatCount > 0 || numBuffered > 0 {
            let allRepeat = literalCount == 0 && (repeatCount == numBuffered || numBuffered == 0)
            if repeatCount > 0 && allRepeat {
                flushRepeatedRun()
            } else {
                literalCount += numBuffered
                flushLiteralRun(updateIndicator: true)
                repeatCount = 0
            }
        }
        defer { output = [] }
        return output
    }
}

/// The number of bits needed to store values up to `maxValue`.
func bitWidth(of maxValue: UInt64) -> Int {
    maxValue == 0 ? 0 : 64 - maxValue.leadingZeroBitCount
}
