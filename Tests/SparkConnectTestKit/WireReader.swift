/// Reads the protobuf binary wire format field by field (https://protobuf.dev/programming-guides/encoding/),
/// with no schema: what a server sees before it looks a field number up in its own descriptors.
struct WireReader {
    /// One field's payload as the wire carries it.
    enum Value {
        case varint(UInt64)
        case fixed64
        case fixed32
        case lengthDelimited(ArraySlice<UInt8>)
    }

    /// The bytes are not valid protobuf.
    struct Malformed: Error {
        let reason: String
    }

    private var bytes: ArraySlice<UInt8>

    init(_ bytes: ArraySlice<UInt8>) {
        self.bytes = bytes
    }

    var isAtEnd: Bool { bytes.isEmpty }

    /// The next field's number and payload.
    mutating func next() throws(Malformed) -> (number: Int32, value: Value) {
        let tag = try varint()
        let number = tag >> 3
        guard number > 0, number <= 536_870_911 else { throw Malformed(reason: "field number \(number)") }
        switch tag & 7 {
        case 0: return (Int32(number), .varint(try varint()))
        case 1: try skip(8); return (Int32(number), .fixed64)
        case 5: try skip(4); return (Int32(number), .fixed32)
        case 2:
            let length = try varint()
            guard length <= UInt64(bytes.count) else { throw Malformed(reason: "length \(length) past the end") }
            let payload = bytes.prefix(Int(length))
            bytes = bytes.dropFirst(Int(length))
            return (Int32(number), .lengthDelimited(payload))
        default:
            // Groups (3, 4) are proto2-only; Spark's protos are proto3.
            throw Malformed(reason: "wire type \(tag & 7) of field \(number)")
        }
    }

    /// A base-128 varint.
    mutating func varint() throws(Malformed) -> UInt64 {
        var value: UInt64 = 0
        for shift in stride(from: 0, to: 70, by: 7) {
            guard let byte = bytes.popFirst() else { throw Malformed(reason: "varint past the end") }
            guard shift < 64 else { throw Malformed(reason: "varint longer than 10 bytes") }
            value |= UInt64(byte & 0x7F) << UInt64(shift)
            if byte & 0x80 == 0 { return value }
        }
        throw Malformed(reason: "varint longer than 10 bytes")
    }

    private mutating func skip(_ count: Int) throws(Malformed) {
        guard bytes.count >= count else { throw Malformed(reason: "fixed-width value past the end") }
        bytes = bytes.dropFirst(count)
    }
}
