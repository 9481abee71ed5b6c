/// Non-null values of one physical kind, as decoded from a page or a dictionary (no placeholders for nulls).
enum DenseValues: Sendable {
    case booleans([Bool])
    case int32s([Int32])
    case int64s([Int64])
    case floats([Float])
    case doubles([Double])
    /// Byte arrays: value i is bytes[offsets[i]..<offsets[i+1]].
    case byteArrays(bytes: [UInt8], offsets: [Int])

    var count: Int {
        switch self {
        case .booleans(let v): v.count
        case .int32s(let v): v.count
        case .int64s(let v): v.count
        case .floats(let v): v.count
        case .doubles(let v): v.count
        case .byteArrays(_, let offsets): offsets.count - 1
        }
    }

    /// The bytes `gather(indices)` would copy for byte arrays (0 for fixed-width values, whose size is known).
    func gatheredByteCount(_ indices: [UInt32]) -> Int64 {
        guard case .byteArrays(_, let offsets) = self else { return 0 }
        var total: Int64 = 0
        for i in indices { total += Int64(offsets[Int(i) + 1] - offsets[Int(i)]) }
        return total
    }

    /// Looks up dictionary entries; every index was checked against the dictionary size by the decoder.
    func gather(_ indices: [UInt32]) -> DenseValues {
        switch self {
        case .booleans(let v): return .booleans(indices.map { v[Int($0)] })
        case .int32s(let v): return .int32s(indices.map { v[Int($0)] })
        case .int64s(let v): return .int64s(indices.map { v[Int($0)] })
        case .floats(let v): return .floats(indices.map { v[Int($0)] })
        case .doubles(let v): return .doubles(indices.map { v[Int($0)] })
        case .byteArrays(let bytes, let offsets):
            var outBytes: [UInt8] = []
            var outOffsets = [0]
            outOffsets.reserveCapacity(indices.count + 1)
            for i in indices {
                outBytes.append(contentsOf: bytes[offsets[Int(i)]..<offsets[Int(i) + 1]])
                outOffsets.append(outBytes.count)
            }
            return .byteArrays(bytes: outBytes, offsets: outOffsets)
        }
    }
}
