import Foundation
import Testing
@testable import Parquet

/// Our files read by pyarrow and DuckDB, and pyarrow's files read by us — value for value.
@Suite struct PyarrowInteropTests {
    func writeSample(_ path: String, rows: Int, compression: ParquetCompression) throws {
        let writer = try ParquetFileWriter(path: path, schema: SampleData.schema,
                                           options: .init(compression: compression, rowGroupRows: 64, pageBytes: 700),
                                           metadata: ["orchard.model": "pca-v1", "provenance": "{\"images\": 3}"])
        try writer.write(SampleData.batch(rows: 0..<rows))
        try writer.close()
    }

    @Test(arguments: [ParquetCompression.snappy, .zstd, .uncompressed, .gzip])
    func pyarrowReadsEveryValue(compression: ParquetCompression) throws {
        let scratch = try Scratch()
        let path = scratch.path("ours.parquet")
        try writeSample(path, rows: 150, compression: compression)
        let script = Canonical.python + #"""
import sys, pyarrow.parquet as pq
t = pq.read_table(sys.argv[1])
md = pq.read_metadata(sys.argv[1])
print("META", md.metadata[b"orchard.model"].decode(), md.metadata[b"provenance"].decode(), md.num_row_groups)
for f in t.schema: print("TYPE", f.name, f.type, f.nullable)
for line in canon(t): print(line)
"""#
        let out = try runPython(script, [path]).split(separator: "\n").map(String.init)
        #expect(out.first == "META pca-v1 {\"images\": 3} 3")
        let types = out.filter { $0.hasPrefix("TYPE ") }
        #expect(types.contains("TYPE lf list<element: float> True"))
        #expect(types.contains("TYPE ts timestamp[us, tz=UTC] False"))
        #expect(types.contains("TYPE s string False"))
        #expect(types.contains("TYPE bin binary False"))
        #expect(types.contains("TYPE s_opt string True"))
        let rows = out.filter { !$0.hasPrefix("TYPE ") && !$0.hasPrefix("META ") }
        let expected = (0..<150).map { Canonical.row(SampleData.row($0)) }
        #expect(rows.count == expected.count)
        for (i, (a, b)) in zip(rows, expected).enumerated() where a != b {
            Issue.record("row \(i): pyarrow \(a)\n ours \(b)")
            break
        }
    }

    @Test func duckdbReadsEveryValue() throws {
        let scratch = try Scratch()
        let path = scratch.path("ours.parquet")
        try writeSample(path, rows: 120, compression: .zstd)
        let script = Canonical.python + #"""
import sys, duckdb
con = duckdb.connect()
print("COUNT", con.sql(f"select count(*), count(s_opt), sum(len(lf)) from read_parquet('{sys.argv[1]}')").fetchall()[0])
for name, typ, *_ in con.sql(f"describe select * from read_parquet('{sys.argv[1]}')").fetchall(): print("TYPE", name, typ)
t = con.sql(f"select * from read_parquet('{sys.argv[1]}')").fetch_arrow_table()
for line in canon(t): print(line)
"""#
        let out = try runPython(script, [path]).split(separator: "\n").map(String.init)
        let rowsWithS = (0..<120).filter { $0 % 3 != 1 }.count
        let listLengths = (0..<120).filter { $0 % 4 != 3 }.reduce(0) { $0 + $1 % 5 }
        #expect(out.first == "COUNT (120, \(rowsWithS), \(listLengths))")
        #expect(out.contains("TYPE lf FLOAT[]"))
        #expect(out.contains("TYPE ls VARCHAR[]"))
        #expect(out.contains("TYPE ts TIMESTAMP WITH TIME ZONE"))
        let rows = out.filter { !$0.hasPrefix("TYPE ") && !$0.hasPrefix("COUNT ") }
        let expected = (0..<120).map { Canonical.row(SampleData.row($0)) }
        #expect(rows == expected)
    }

    /// pyarrow writes the sample table with the given options; we read it and compare with pyarrow's own view.
    @Test(arguments: [
        "compression='snappy'",
        "compression='zstd', data_page_version='2.0'",
        "compression='gzip', use_dictionary=False",
        "compression='none', data_page_version='2.0', use_dictionary=False",
        "compression='zstd', data_page_size=300, row_group_size=70",
        "compression='snappy', data_page_version='2.0', use_dictionary=True, data_page_size=256",
        "compression='snappy', use_compliant_nested_type=False",
        "compression='zstd', coerce_timestamps='ms', allow_truncated_timestamps=True",
    ])
    func weReadPyarrowFiles(options: String) throws {
        let scratch = try Scratch()
        let source = scratch.path("ours.parquet")
        let path = scratch.path("pyarrow.parquet")
        try writeSample(source, rows: 200, compression: .uncompressed)
        let script = Canonical.python + """
import sys, pyarrow.parquet as pq
t = pq.read_table(sys.argv[1])
pq.write_table(t, sys.argv[2], \(options))
md = pq.read_metadata(sys.argv[2])
encodings = set()
for g in range(md.num_row_groups):
    for c in range(md.num_columns): encodings |= set(md.row_group(g).column(c).encodings)
print("ENCODINGS", sorted(encodings))
for line in canon(pq.read_table(sys.argv[2])): print(line)
"""
        let out = try runPython(script, [source, path]).split(separator: "\n").map(String.init)
        let expected = out.filter { !$0.hasPrefix("ENCODINGS") }
        #expect(expected.count == 200)
        let ours = try Canonical.rows(of: path)
        #expect(ours.count == expected.count)
        for (i, (a, b)) in zip(ours, expected).enumerated() where a != b {
            Issue.record("row \(i) with \(options): ours \(a)\n pyarrow \(b)")
            break
        }
        if options.contains("use_dictionary=True") || !options.contains("use_dictionary") {
            #expect(out.first?.contains("RLE_DICTIONARY") == true)
        }
    }

    @Test func pyarrowFloatNaNPayloadsSurvive() throws {
        let scratch = try Scratch()
        let path = scratch.path("nan.parquet")
        let schema = ParquetSchema([.float("f"), .list("l", of: .float, optional: true)])
        let bits: [UInt32] = [0x7fc0_0000, 0x7fc0_1234, 0xffc0_0001, 0x7f80_0001, 0x8000_0000, 0x0000_0001, 0x3f80_0000]
        var batch = ParquetRowBatch(schema: schema)
        for b in bits {
            batch.append(float: Float(bitPattern: b), to: 0)
            batch.appendFloatList(bits.map { Float(bitPattern: $0) }, to: 1)
        }
        let writer = try ParquetFileWriter(path: path, schema: schema, options: .init(compression: .zstd))
        try writer.write(batch)
        try writer.close()
        let script = """
import sys, numpy as np, pyarrow.parquet as pq, pyarrow.compute as pc
t = pq.read_table(sys.argv[1])
print(" ".join("%08x" % x for x in t.column("f").combine_chunks().to_numpy().view(np.uint32)))
print(" ".join("%08x" % x for x in pc.list_flatten(t.column("l")).combine_chunks().to_numpy().view(np.uint32)))
"""
        let lines = try runPython(script, [path]).split(separator: "\n").map(String.init)
        let expected = bits.map { String(format: "%08x", $0) }.joined(separator: " ")
        #expect(lines.first == expected)
        #expect(lines.last == Array(repeating: expected, count: bits.count).joined(separator: " "))
    }

    /// An empty table: pyarrow writes one row group whose chunks say data_page_offset 0 and hold a lone
    /// dictionary page, or no page at all for booleans (found by fuzz/corpus/parquet/pyarrow-empty.parquet).
    @Test func weReadPyarrowEmptyTables() throws {
        let scratch = try Scratch()
        let path = scratch.path("empty.parquet")
        let script = """
import sys, pyarrow as pa, pyarrow.parquet as pq
pq.write_table(pa.table({"s": pa.array([], pa.string()), "i": pa.array([], pa.int32()),
                        "t": pa.array([], pa.bool_()), "l": pa.array([], pa.list_(pa.float32()))}), sys.argv[1])
"""
        _ = try runPython(script, [path])
        let reader = try ParquetFileReader(path: path)
        #expect(reader.rowCount == 0)
        for index in 0..<reader.rowGroupCount {
            let group = try reader.readRowGroup(index)
            #expect(group.rowCount == 0)
            #expect(group.columns.map(\.rowCount) == [0, 0, 0, 0])
        }
    }
}
