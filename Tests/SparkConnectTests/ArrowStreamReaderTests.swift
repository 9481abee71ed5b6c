import Foundation
import OrchardTestKit
import Testing
@testable import SparkConnect

/// The Arrow IPC reader against streams pyarrow writes, and against broken ones.
@Suite("Arrow stream reader")
struct ArrowStreamReaderTests {
    /// Two batches (3 rows, then 1) of every supported type, with nulls everywhere nulls may go.
    static let everyTypeScript = """
        import sys, pyarrow as pa
        schema = pa.schema([
            ('s', pa.string()), ('b', pa.binary()), ('y', pa.int8()), ('h', pa.int16()),
            ('i', pa.int32()), ('l', pa.int64()), ('f', pa.float32()), ('d', pa.float64()),
            ('t', pa.bool_()), ('af', pa.list_(pa.float32())), ('ad', pa.list_(pa.float64())),
            ('n', pa.null())])
        first = pa.record_batch([
            pa.array(['a', None, 'ünï'], pa.string()), pa.array([b'\\x00\\x01', b'', None], pa.binary()),
            pa.array([-128, None, 127], pa.int8()), pa.array([None, -32768, 7], pa.int16()),
            pa.array([1, None, -2147483648], pa.int32()), pa.array([None, 2**62, -1], pa.int64()),
            pa.array([1.5, None, -0.0], pa.float32()), pa.array([2.25, 1e300, None], pa.float64()),
            pa.array([True, None, False], pa.bool_()),
            pa.array([[1.0, None], None, []], pa.list_(pa.float32())),
            pa.array([[0.5], [1.0, 2.0], None], pa.list_(pa.float64())),
            pa.nulls(3)], schema=schema)
        second = pa.record_batch([
            pa.array(['z']), pa.array([b'\\xff']), pa.array([1], pa.int8()), pa.array([2], pa.int16()),
            pa.array([3], pa.int32()), pa.array([4], pa.int64()), pa.array([5.5], pa.float32()),
            pa.array([6.5]), pa.array([True]), pa.array([[7.0]], pa.list_(pa.float32())),
            pa.array([[8.0, 9.0]], pa.list_(pa.float64())), pa.nulls(1)], schema=schema)
        sink = pa.BufferOutputStream()
        with pa.ipc.new_stream(sink, schema) as writer:
            writer.write_batch(first)
            writer.write_batch(second)
        sys.stdout.buffer.write(sink.getvalue().to_pybytes())
        """

    static func everyTypeStream() throws -> [UInt8] {
        [UInt8](try PythonPeer.run(everyTypeScript))
    }

    @Test("decodes every supported type, nulls and lists as pyarrow wrote them")
    func everyType() throws {
        let batches = try ArrowStreamReader.decode(try Self.everyTypeStream())
        #expect(batches.map(\.rowCount) == [3, 1])
        let fields = batches[0].fields
        #expect(fields.map(\.name) == ["s", "b", "y", "h", "i", "l", "f", "d", "t", "af", "ad", "n"])
        #expect(fields.map(\.type) == [
            .string, .binary, .byte, .short, .integer, .long, .float, .double, .boolean,
            .array(element: .float, containsNull: true), .array(element: .double, containsNull: true), .null,
        ])
        let rows = batches.flatMap(\.rows)
        #expect(rows[0].values == [
            .string("a"), .binary([0, 1]), .byte(-128), .null, .integer(1), .null, .float(1.5), .double(2.25),
            .boolean(true), .array([.float(1), .null]), .array([.double(0.5)]), .null,
        ])
        #expect(rows[1].values == [
            .null, .binary([]), .null, .short(-32768), .null, .long(1 << 62), .null, .double(1e300), .null, .null,
            .array([.double(1), .double(2)]), .null,
        ])
        #expect(rows[2].values == [
            .string("ünï"), .null, .byte(127), .short(7), .integer(Int32.min), .long(-1), .float(-0.0), .null,
            .boolean(false), .array([]), .null, .null,
        ])
        #expect(rows[2]["f"]?.double?.sign == .minus)
        #expect(rows[1]["ad"]?.floatArray == [1, 2])
        #expect(rows[0]["af"]?.floatArray == nil)  // holds a null
        #expect(rows[3].values == [
            .string("z"), .binary([255]), .byte(1), .short(2), .integer(3), .long(4), .float(5.5), .double(6.5),
            .boolean(true), .array([.float(7)]), .array([.double(8), .double(9)]), .null,
        ])
    }

    @Test("a schema-only stream is one empty batch that still names the columns")
    func emptyResult() throws {
        let bytes = try PythonPeer.run("""
            import sys, pyarrow as pa
            sink = pa.BufferOutputStream()
            with pa.ipc.new_stream(sink, pa.schema([('x', pa.int64())])) as writer: pass
            sys.stdout.buffer.write(sink.getvalue().to_pybytes())
            """)
        let batches = try ArrowStreamReader.decode([UInt8](bytes))
        #expect(batches.count == 1)
        #expect(batches[0].rowCount == 0)
        #expect(batches[0].fields == [SparkField(name: "x", type: .long, nullable: true)])
    }

    @Test("names the column whose type it cannot decode")
    func unsupportedType() throws {
        let bytes = try PythonPeer.run("""
            import sys, pyarrow as pa
            t = pa.table({'when': pa.array([0], pa.timestamp('us'))})
            sink = pa.BufferOutputStream()
            with pa.ipc.new_stream(sink, t.schema) as writer: writer.write_table(t)
            sys.stdout.buffer.write(sink.getvalue().to_pybytes())
            """)
        #expect(throws: SparkConnectError.unsupportedType(column: "when", type: "Timestamp")) {
            try ArrowStreamReader.decode([UInt8](bytes))
        }
    }

    @Test("rejects empty input, absurd lengths and a body cut short")
    func malformed() throws {
        #expect(throws: SparkConnectError.self) { try ArrowStreamReader.decode([]) }
        #expect(throws: SparkConnectError.self) {
            try ArrowStreamReader.decode([0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x7F])
        }
        #expect(throws: SparkConnectError.self) {
            try ArrowStreamReader.decode([0xFF, 0xFF, 0xFF, 0xFF, 0x08, 0, 0, 0] + [UInt8](repeating: 0xEE, count: 8))
        }
        let stream = try Self.everyTypeStream()
        // The stream ends with the 8-byte end marker; 9 bytes off cuts into the last body.
        let error = #expect(throws: SparkConnectError.self) { try ArrowStreamReader.decode(Array(stream.dropLast(9))) }
        if case .malformedArrow(_, let reason)? = error {
            #expect(reason.contains("body length"))
        } else {
            Issue.record("expected malformedArrow, got \(String(describing: error))")
        }
    }

    @Test("every truncation and 3,000 random corruptions end in a result or an error, never a crash")
    func fuzz() throws {
        let stream = try Self.everyTypeStream()
        var errors = 0
        for length in 0..<stream.count {
            do { _ = try ArrowStreamReader.decode(Array(stream[..<length])) } catch is SparkConnectError { errors += 1 }
        }
        #expect(errors > stream.count / 2)
        var random = SplitMix64(seed: 0x5EED)
        for _ in 0..<3000 {
            var corrupted = stream
            for _ in 0..<Int(1 + random.next() % 4) {
                corrupted[Int(random.next() % UInt64(corrupted.count))] = UInt8(truncatingIfNeeded: random.next())
            }
            do { _ = try ArrowStreamReader.decode(corrupted) } catch is SparkConnectError {}
        }
    }
}

