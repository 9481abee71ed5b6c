import Foundation

/// Builds a dictionary of distinct byte arrays and an index per value, giving up once the dictionary's
/// PLAIN size passes a limit (the caller then falls back to PLAIN for the chunk).
struct DictionaryBuilder {
    private(set) var bytes: [UInt8] = []
    private(set) var offsets: [Int] = [0]
    private(set) var indices: [UInt32] = []
    /// Open-addressing table of entry index + 1 (0 = empty).
    private var table: [UInt32]
    private var mask: Int
    private let byteLimit: Int

    /// The dictionary page size: each entry's bytes plus its 4-byte length.
    var plainSize: Int { bytes.count + 4 * (offsets.count - 1) }
    var count: Int { offsets.count - 1 }

    init(byteLimit: Int, expectedValues: Int) {
        self.byteLimit = byteLimit
        var capacity = 1024
        while capacity < min(expectedValues, 1 << 20) * 2 { capacity <<= 1 }
        table = [UInt32](repeating: 0, count: capacity)
        mask = capacity - 1
    }

    private static func hash(_ p: UnsafeBufferPointer<UInt8>) -> Int {
        var h: UInt64 = 0xcbf2_9ce4_8422_2325
        for b in p { h = (h ^ UInt64(b)) &* 0x100_0000_01b3 }
        return Int(truncatingIfNeeded: h ^ (h >> 29))
    }

    /// Adds one value; returns false when the dictionary would pass the byte limit.
    mutating func add(_ value: UnsafeBufferPointer<UInt8>) -> Bool {
        var slot = Self.hash(value) & mask
        while true {
            let entry = Int(table[slot])
            if entry == 0 { break }
            let start = offsets[entry - 1], end = offsets[entry]
            if end - start == value.count {
                let same = bytes.withUnsafeBufferPointer { stored in
                    value.count == 0 || memcmp(stored.baseAddress! + start, value.baseAddress!, value.count) == 0
                }
                if same {
                    indices.append(UInt32(entry - 1))
                    return true
                }
            }
            slot = (slot + 1) & mask
        }
        guard plainSize + value.count + 4 <= byteLimit else { return false }
        bytes.append(contentsOf: value)
        offsets.append(bytes.count)
        table[slot] = UInt32(count)
        indices.append(UInt32(count - 1))
        if count * 2 > table.count { grow() }
        return true
    }

    private mutating func grow() {
        table = [UInt32](repeating: 0, count: table.count * 2)
        mask = table.count - 1
        for entry in 1...count {
            let start = offsets[entry - 1], end = offsets[entry]
            var slot = bytes.withUnsafeBufferPointer { Self.hash(UnsafeBufferPointer(rebasing: $0[start..<end])) } & mask
            while table[slot] != 0 { slot = (slot + 1) & mask }
            table[slot] = UInt32(entry)
        }
    }
}
