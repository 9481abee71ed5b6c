/// Computes a column chunk's min, max (type-defined order, PLAIN-encoded) and null count.
enum ChunkStatistics {
    /// Byte arrays longer than this are left out of min/max rather than bloating the footer.
    static let maxByteStatistic = 4096

    static func compute(_ column: ParquetColumn, slots: Range<Int>, levelCount: Int) -> Statistics {
        let validity = column.field.isList ? column.elementValidity : column.rowValidity
        var valid = 0
        var minMax: ([UInt8], [UInt8])?
        func isValid(_ i: Int) -> Bool { validity?[i] ?? true }
        switch column.field.type {
        case .boolean:
            var seen = (false, false)
            for i in slots where isValid(i) { if column.booleans[i] { seen.1 = true } else { seen.0 = true }; valid += 1 }
            if valid > 0 { minMax = ([seen.0 ? 0 : 1], [seen.1 ? 1 : 0]) }
        case .int32:
            var lo = Int32.max, hi = Int32.min
            for i in slots where isValid(i) { let v = column.int32s[i]; lo = min(lo, v); hi = max(hi, v); valid += 1 }
            if valid > 0 { minMax = (le(lo), le(hi)) }
        case .int64, .timestamp:
            var lo = Int64.max, hi = Int64.min
            for i in slots where isValid(i) { let v = column.int64s[i]; lo = min(lo, v); hi = max(hi, v); valid += 1 }
            if valid > 0 { minMax = (le(lo), le(hi)) }
        case .float:
            var lo = Float.infinity, hi = -Float.infinity
            if validity == nil {
                column.floats.withUnsafeBufferPointer { p in
                    for v in p[slots] { if v < lo { lo = v }; if v > hi { hi = v } }  // NaN compares false: skipped
                }
                valid = slots.count
            } else {
                for i in slots where isValid(i) { let v = column.floats[i]; if v < lo { lo = v }; if v > hi { hi = v }; valid += 1 }
            }
            // Spec: zeros are written as -0 for min and +0 for max; all-NaN chunks get no min/max.
            if lo <= hi { minMax = (le(lo == 0 ? -Float(0) : lo), le(hi == 0 ? Float(0) : hi)) }
        case .double:
            var lo = Double.infinity, hi = -Double.infinity
            for i in slots where isValid(i) { let v = column.doubles[i]; if v < lo { lo = v }; if v > hi { hi = v }; valid += 1 }
            if lo <= hi { minMax = (le(lo == 0 ? -Double(0) : lo), le(hi == 0 ? Double(0) : hi)) }
        case .string, .binary:
            var lo: ArraySlice<UInt8>?, hi: ArraySlice<UInt8>?
            for i in slots where isValid(i) {
                let v = column.bytes(slot: i)
                valid += 1
                if lo.map({ v.lexicographicallyPrecedes($0) }) ?? true { lo = v }
                if hi.map({ $0.lexicographicallyPrecedes(v) }) ?? true { hi = v }
            }
            if let lo, let hi, lo.count <= maxByteStatistic, hi.count <= maxByteStatistic { minMax = (Array(lo), Array(hi)) }
        }
        return Statistics(min: minMax?.0, max: minMax?.1, nullCount: Int64(levelCount - valid))
    }

    private static func le<T: BitwiseCopyable>(_ v: T) -> [UInt8] {
        withUnsafeBytes(of: v) { Array($0) }
    }
}
