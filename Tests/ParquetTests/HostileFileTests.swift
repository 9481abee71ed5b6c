import Foundation
import OrchardTestKit
import Testing
@testable import Parquet

/// Files of a few KB whose footer or page headers claim gigabytes of decoded data: the reader must refuse
/// each with a `ParquetError` naming the column and the sizes, before allocating anything that large.
@Suite struct HostileFileTests {
    static func zstd(_ bytes: [UInt8]) throws -> [UInt8] {
        var out: [UInt8] = []
        try bytes.withUnsafeBytes { try PageCompressor(.zstd, zstdLevel: 3).compress($0, into: &out) }
        return out
    }

    /// A string column whose dictionary holds one 8 MiB value and whose 4,000 indices all point at it: 32 GiB.
    static func dictionaryBomb() throws -> HostileFile {
        let value = [UInt8](repeating: 0x61, count: 8 << 20)
        let plain = withUnsafeBytes(of: UInt32(value.count).littleEndian) { Array($0) } + value
        var dictionary = PageHeader(type: .dictionaryPage, uncompressedPageSize: Int32(plain.count), compressedPageSize: 0)
        let dictionaryBody = try zstd(plain)
        dictionary.compressedPageSize = Int32(dictionaryBody.count)
        dictionary.dictionaryPageHeader = DictionaryPageHeader(numValues: 1, encoding: .plain, isSorted: nil)
        let indices: [UInt8] = [0] + HostileFile.rleRun(4000, value: nil)  // bit width 0: every index is 0
        let data = HostileFile.dataPage(count: 4000, encoding: .rleDictionary, body: try zstd(indices),
                                        uncompressedSize: Int32(indices.count))
        return HostileFile(field: .string("s"), codec: .zstd, pages: [(dictionary, dictionaryBody), data],
                           rows: 4000, numValues: 4000)
    }

    /// An optional float column of 127 pages × 2^24 nulls, each page a few bytes of RLE.
    static func allNullBomb() -> HostileFile {
        let page = HostileFile.dataPage(count: 1 << 24, encoding: .plain,
                                        body: HostileFile.levelsV1(HostileFile.rleRun(1 << 24, value: 0)))
        let values = Int64(127) << 24
        return HostileFile(field: .float("f", optional: true), pages: Array(repeating: page, count: 127),
                           rows: values, numValues: values)
    }

    /// One row holding a list of 2^30 null elements, written as 64 pages of run-length levels.
    static func listBomb() -> HostileFile {
        let n = 1 << 24
        let first = HostileFile.levelsV1(HostileFile.rleRun(1, value: 0) + HostileFile.rleRun(n - 1, value: 1))
        let rest = HostileFile.levelsV1(HostileFile.rleRun(n, value: 1))
        let definitions = HostileFile.levelsV1(HostileFile.rleRun(n, value: 1))  // element null: no values needed
        let pages = (0..<64).map { i in
            HostileFile.dataPage(count: Int32(n), encoding: .plain, body: (i == 0 ? first : rest) + definitions)
        }
        return HostileFile(field: .list("l", of: .float), pages: pages, rows: 1, numValues: Int64(n) * 64)
    }

    /// Ten zstd pages of 8 real bytes, each header claiming 200 MiB uncompressed.
    static func hugePages(count: Int) throws -> HostileFile {
        let claimed: Int32 = 200 << 20
        let page = HostileFile.dataPage(count: 2, encoding: .plain, body: try zstd([UInt8](repeating: 0, count: 8)),
                                        uncompressedSize: claimed)
        return HostileFile(field: .float("f"), codec: .zstd, pages: Array(repeating: page, count: count),
                           rows: Int64(2 * count), numValues: Int64(2 * count),
                           totalUncompressedSize: Int64(claimed) * Int64(count))
    }

    /// Ten real floats in a row group that claims 2^40 rows.
    static func hugeRowCount() -> HostileFile {
        let page = HostileFile.dataPage(count: 10, encoding: .plain, body: [UInt8](repeating: 0, count: 40))
        return HostileFile(field: .float("f"), pages: [page], rows: 1 << 40, numValues: 10)
    }

    /// Every hostile file, named, as bytes.
    static func all() throws -> [(name: String, bytes: [UInt8])] {
        [("dictionary-bomb", try dictionaryBomb().bytes()), ("all-null-bomb", allNullBomb().bytes()),
         ("list-bomb", listBomb().bytes()), ("huge-pages", try hugePages(count: 10).bytes()),
         ("huge-row-count", hugeRowCount().bytes())]
    }

    /// Opens and reads every row group, returning the error thrown.
    func readError(_ bytes: [UInt8], options: ParquetReadOptions = .init()) -> ParquetError? {
        do {
            let reader = try ParquetFileReader(bytes: bytes, options: options)
            for g in 0..<reader.rowGroupCount { _ = try reader.readRowGroup(g) }
            return nil
        } catch let error as ParquetError {
            return error
        } catch {
            return nil
        }
    }

    func expectOverBudget(_ error: ParquetError?, column: String?, budget: Int64 = 1 << 30) {
        guard case .overBudget(let what, let bytes, let limit) = error else {
            Issue.record("expected overBudget, got \(String(describing: error))")
            return
        }
        #expect(what.contains("column '\(column ?? "")"))
        #expect(bytes > limit)
        #expect(limit == budget)
        #expect(error?.description.contains("\(limit) bytes") == true)
    }

    @Test func dictionaryOfHugeValuesTimesManyIndices() throws {
        let bytes = try Self.dictionaryBomb().bytes()
        #expect(bytes.count < 4096)
        let error = readError(bytes)
        expectOverBudget(error, column: "s")
        #expect(error?.description.contains("page 1") == true)
    }

    @Test func allNullPagesWithHugeValueCounts() {
        let bytes = Self.allNullBomb().bytes()
        #expect(bytes.count < 8192)
        // Refused when the footer is read, before a single page.
        #expect(throws: ParquetError.self) { try ParquetFileReader(bytes: bytes) }
        expectOverBudget(readError(bytes), column: "f")
    }

    @Test func repetitionLevelsExpandingToOneHugeList() {
        let bytes = Self.listBomb().bytes()
        #expect(bytes.count < 4096)
        expectOverBudget(readError(bytes), column: "l.list.element")
    }

    @Test func hugeUncompressedPageSizes() throws {
        // Ten pages claiming 2 GB in all: the footer's claim is over budget.
        expectOverBudget(readError(try Self.hugePages(count: 10).bytes()), column: "f")
        // One page under budget: the zstd frame records 8 bytes, so nothing of 200 MiB is allocated.
        #expect(throws: ParquetError.compression(codec: "zstd", detail: "frame holds 8 bytes, header says \(200 << 20)")) {
            _ = try ParquetFileReader(bytes: try Self.hugePages(count: 1).bytes()).readRowGroup(0)
        }
        // A footer that understates the pages' total: the page that passes it is named.
        var lying = try Self.hugePages(count: 1)
        lying.totalUncompressedSize = 100
        let error = readError(lying.bytes())
        guard case .malformed(let detail, _) = error else { Issue.record("got \(String(describing: error))"); return }
        #expect(detail.contains("page 0") && detail.contains("footer says 100"))
    }

    @Test func hugeRowCountInARowGroup() {
        expectOverBudget(readError(Self.hugeRowCount().bytes()), column: "f")
    }

    @Test func budgetsAreConfigurable() throws {
        // A tiny file budget refuses even an honest file, at open.
        let scratch = try Scratch()
        let path = scratch.path("small.parquet")
        let writer = try ParquetFileWriter(path: path, schema: SampleData.schema)
        try writer.write(SampleData.batch(rows: 0..<50))
        try writer.close()
        #expect(throws: Never.self) { try ParquetFileReader(path: path).readRowGroup(0) }
        let tight = ParquetReadOptions(maxDecodedBytesPerColumnChunk: 1 << 30, maxDecodedBytesPerFile: 1000)
        expectOverBudget(readError(Array(try Data(contentsOf: URL(fileURLWithPath: path))), options: tight),
                         column: nil, budget: 1000)
    }

    @Test func realFeaturePartStillReads() throws {
        // A part as `featurize` writes it: 1,000 rows × 1,280 floats (≈ 5 MB decoded).
        let scratch = try Scratch()
        let path = scratch.path("part.parquet")
        let schema = ParquetSchema([.string("path"), .string("label"), .list("features", of: .float, optional: true),
                                    .string("error", optional: true)])
        let writer = try ParquetFileWriter(path: path, schema: schema)
        var batch = ParquetRowBatch(schema: schema)
        for r in 0..<1000 {
            batch.append(string: "photos/\(r % 7)/img\(r).jpg", to: 0)
            batch.append(string: "label\(r % 7)", to: 1)
            batch.appendFloatList((0..<1280).map { Float($0 &* 31 &+ r) / 1000 }, to: 2)
            batch.appendNull(to: 3)
        }
        try writer.write(batch)
        try writer.close()
        let reader = try ParquetFileReader(path: path)
        var rows = 0
        for g in 0..<reader.rowGroupCount { rows += try reader.readRowGroup(g).rowCount }
        #expect(rows == 1000)
    }

    /// The issue's bound, checked on the real CLI: each hostile file fails `orchard parquet head` with a
    /// parquet error while the process's peak RSS stays under 100 MB.
    @Test func cliRefusesEachHostileFileInLittleMemory() throws {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().path
        let besideTests = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().path + "/orchard"
        let orchard = FileManager.default.isExecutableFile(atPath: besideTests) ? besideTests : root + "/.build/debug/orchard"
        try #require(FileManager.default.isExecutableFile(atPath: orchard), "build the orchard binary first")
        let scratch = try Scratch()
        for (name, bytes) in try Self.all() {
            let path = scratch.path("\(name).parquet")
            try Data(bytes).write(to: URL(fileURLWithPath: path))
            let result = try ChildProcess.run("/usr/bin/time", ["-f", "maxrss-kb %M", orchard, "parquet", "head", path])
            let lines = result.errors.split(separator: "\n")
            let rss = lines.last { $0.hasPrefix("maxrss-kb ") }.flatMap { Int($0.dropFirst("maxrss-kb ".count)) }
            print("hostile parquet \(name): status \(result.status), peak RSS \(rss.map { "\($0) KB" } ?? "?")")
            #expect(result.status != 0, "\(name) was accepted")
            #expect(result.errors.contains("parquet:"), "\(name): \(result.errors)")
            let kilobytes = try #require(rss, "no RSS from /usr/bin/time for \(name)")
            #expect(kilobytes < 100_000, "\(name) peaked at \(kilobytes) KB")
        }
    }
}
