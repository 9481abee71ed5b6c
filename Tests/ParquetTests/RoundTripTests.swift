import Foundation
import Testing
@testable import Parquet

@Suite struct RoundTripTests {
    func writeSample(_ path: String, rows: Int, options: ParquetWriterOptions, batchSize: Int = 37) throws -> ParquetFileMetadata {
        let writer = try ParquetFileWriter(path: path, schema: SampleData.schema, options: options, metadata: ["k": "v", "orchard.model": "{\"pca\": 1}"])
        var start = 0
        while start < rows {
            let end = min(rows, start + batchSize)
            try writer.write(SampleData.batch(rows: start..<end))
            start = end
        }
        return try writer.close()
    }

    func readAll(_ path: String) throws -> [[ParquetValue]] {
        let reader = try ParquetFileReader(path: path)
        var rows: [[ParquetValue]] = []
        for g in 0..<reader.rowGroupCount {
            let group = try reader.readRowGroup(g)
            for r in 0..<group.rowCount { rows.append(group.columns.map { $0.value(row: r) }) }
        }
        return rows
    }

    @Test(arguments: ParquetCompression.allCases)
    func everyTypeRoundTrips(compression: ParquetCompression) throws {
        let scratch = try Scratch()
        let path = scratch.path("all.parquet")
        let meta = try writeSample(path, rows: 250, options: .init(compression: compression, rowGroupRows: 100, pageBytes: 512))
        #expect(meta.rowGroupRowCounts == [100, 100, 50])
        let reader = try ParquetFileReader(path: path)
        #expect(reader.schema == SampleData.schema)
        #expect(reader.metadata == ["k": "v", "orchard.model": "{\"pca\": 1}"])
        #expect(reader.rowCount == 250)
        let rows = try readAll(path)
        #expect(rows.count == 250)
        for r in 0..<rows.count where rows[r] != SampleData.row(r) {
            Issue.record("row \(r) differs: \(rows[r]) vs \(SampleData.row(r))")
            break
        }
    }

    @Test func floatsAreBitExact() throws {
        let scratch = try Scratch()
        let path = scratch.path("nan.parquet")
        let schema = ParquetSchema([.float("f"), .list("l", of: .float)])
        let values: [Float] = [.nan, -0.0, 0, .signalingNaN, Float(bitPattern: 0x7fc0_1234), .infinity]
        var batch = ParquetRowBatch(schema: schema)
        for v in values { batch.append(float: v, to: 0); batch.appendFloatList(values, to: 1) }
        let writer = try ParquetFileWriter(path: path, schema: schema)
        try writer.write(batch)
        try writer.close()
        let group = try ParquetFileReader(path: path).readRowGroup(0)
        #expect(try group.column("f").floats.map(\.bitPattern) == values.map(\.bitPattern))
        #expect(try group.floatLists("l").allSatisfy { $0?.map(\.bitPattern) == values.map(\.bitPattern) })
    }

    @Test func emptyFileHasSchemaAndNoRows() throws {
        let scratch = try Scratch()
        let path = scratch.path("empty.parquet")
        let meta = try ParquetFileWriter(path: path, schema: SampleData.schema, metadata: ["a": "b"]).close()
        #expect(meta.rowCount == 0)
        let reader = try ParquetFileReader(path: path)
        #expect(reader.rowCount == 0 && reader.rowGroupCount == 0)
        #expect(reader.schema == SampleData.schema)
        #expect(reader.metadata == ["a": "b"])
        #expect(try ParquetTextDump.head(reader, count: 5) == "(no rows)")
    }

    @Test func columnSelectionReadsOnlyThoseColumns() throws {
        let scratch = try Scratch()
        let path = scratch.path("sel.parquet")
        _ = try writeSample(path, rows: 40, options: .init(compression: .zstd))
        let group = try ParquetFileReader(path: path).readRowGroup(0, columns: ["ls", "s"])
        #expect(group.columns.map(\.field.name) == ["ls", "s"])
        #expect(try group.strings("s")[3] == SampleData.row(3)[10].description)
        #expect(throws: ParquetError.noSuchColumn("nope")) { try ParquetFileReader(path: path).readRowGroup(0, columns: ["nope"]) }
    }

    @Test func wrongAppendsAreReportedAtWrite() throws {
        let scratch = try Scratch()
        let schema = ParquetSchema([.string("s"), .list("l", of: .float)])
        let writer = try ParquetFileWriter(path: scratch.path("bad.parquet"), schema: schema)
        var batch = ParquetRowBatch(schema: schema)
        batch.append(string: "x", to: 0)
        batch.append(float: 1, to: 1)
        #expect(throws: ParquetError.self) { try writer.write(batch) }
        var nulls = ParquetRowBatch(schema: schema)
        nulls.appendNull(to: 0)
        #expect(nulls.firstError != nil)
        var uneven = ParquetRowBatch(schema: schema)
        uneven.append(string: "x", to: 0)
        #expect(throws: ParquetError.self) { try writer.write(uneven) }
    }

    @Test func dictionaryIsUsedForRepeatedStringsAndNotForUniqueOnes() throws {
        let scratch = try Scratch()
        let path = scratch.path("dict.parquet")
        let schema = ParquetSchema([.string("label"), .string("path")])
        var batch = ParquetRowBatch(schema: schema)
        for r in 0..<2000 {
            batch.append(string: ["apple", "banana", "cherry"][r % 3], to: 0)
            batch.append(string: "/data/fruits/\(r)-\(String(repeating: "p", count: 100)).jpg", to: 1)
        }
        let writer = try ParquetFileWriter(path: path, schema: schema, options: .init(dictionaryPageBytes: 16 << 10))
        try writer.write(batch)
        try writer.close()
        let reader = try ParquetFileReader(path: path)
        let chunks = reader.footer.rowGroups[0].columns.compactMap(\.metaData)
        #expect(chunks[0].encodings.contains(.rleDictionary) && chunks[0].dictionaryPageOffset != nil)
        #expect(!chunks[1].encodings.contains(.rleDictionary) && chunks[1].dictionaryPageOffset == nil)
        let group = try reader.readRowGroup(0)
        #expect(try group.strings("label")[4] == "banana")
        #expect(try group.strings("path")[1999] == "/data/fruits/1999-\(String(repeating: "p", count: 100)).jpg")
    }

    @Test func statisticsAreWritten() throws {
        let scratch = try Scratch()
        let path = scratch.path("stats.parquet")
        _ = try writeSample(path, rows: 30, options: .init())
        let reader = try ParquetFileReader(path: path)
        let chunks = reader.footer.rowGroups[0].columns.compactMap(\.metaData)
        let i32 = try #require(chunks[2].statistics)
        #expect(i32.minValue == withUnsafeBytes(of: Int32(-100)) { Array($0) })
        #expect(i32.maxValue == withUnsafeBytes(of: Int32(29 * 7 - 100)) { Array($0) })
        #expect(i32.nullCount == 0)
        #expect(chunks[3].statistics?.nullCount == 10)
        #expect(chunks[11].statistics?.minValue == Array("".utf8))
    }

    @Test func textDumpShowsSchemaAndRows() throws {
        let scratch = try Scratch()
        let path = scratch.path("dump.parquet")
        _ = try writeSample(path, rows: 3, options: .init())
        let reader = try ParquetFileReader(path: path)
        let schema = reader.schemaDescription
        #expect(schema.contains("optional group lf (LIST) {"))
        #expect(schema.contains("optional float element;"))
        #expect(schema.contains("lf: list<float>?"))
        #expect(schema.contains("orchard.model: {\"pca\": 1}"))
        let head = try ParquetTextDump.head(reader, count: 2)
        #expect(head.contains("-- row 1"))
        #expect(!head.contains("-- row 2"))
        #expect(head.contains("ts: 2023-11-14T22:13:20.000000Z"))
        #expect(head.contains("i32_opt: null"))
    }
}
