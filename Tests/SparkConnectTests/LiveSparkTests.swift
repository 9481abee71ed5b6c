import Foundation
import Synchronization
import Testing
@testable import SparkConnect

/// The client against a real local Spark Connect server (pyspark's, started by
/// scripts/spark-connect-server.sh): everything `orchard featurize --engine spark` relies on.
@Suite("Live Spark Connect", .serialized, .sparkServer)
struct LiveSparkTests {
    func session() async throws -> SparkSession {
        try await SparkTestServer.shared.connectedSession()
    }

    @Test("SELECT 1 returns one integer row; the server reports its version")
    func selectOne() async throws {
        let spark = try await session()
        let rows = try await spark.sql("SELECT 1 AS one").collect()
        #expect(rows.count == 1)
        #expect(rows.first?.fields == [SparkField(name: "one", type: .integer, nullable: false)])
        #expect(rows.first?["one"] == .integer(1))
        #expect(try await spark.version().hasPrefix("4."))
    }

    static let everyTypeQuery = """
        SELECT * FROM VALUES
          ('a', X'0001', CAST(-1 AS TINYINT), CAST(2 AS SMALLINT), 3, 4L, CAST(1.5 AS FLOAT), 2.25D, true,
           array(CAST(1 AS FLOAT), NULL), array(0.5D), NULL),
          (NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, array(), NULL)
        AS t(s, b, y, h, i, l, f, d, t, af, ad, n)
        """

    @Test("every supported Arrow type, nulls and arrays come back intact, schema agrees")
    func everyType() async throws {
        let spark = try await session()
        let frame = try await spark.sql(Self.everyTypeQuery)
        let rows = try await frame.collect()
        #expect(rows.count == 2)
        #expect(rows[0].values == [
            .string("a"), .binary([0, 1]), .byte(-1), .short(2), .integer(3), .long(4), .float(1.5), .double(2.25),
            .boolean(true), .array([.float(1), .null]), .array([.double(0.5)]), .null,
        ])
        #expect(rows[1].values == Array(repeating: .null, count: 10) + [.array([]), .null])
        let schema = try await frame.schema()
        #expect(schema.map(\.type) == [
            .string, .binary, .byte, .short, .integer, .long, .float, .double, .boolean,
            .array(element: .float, containsNull: true), .array(element: .double, containsNull: false), .null,
        ])
        #expect(schema.map(\.name) == rows[0].fields.map(\.name))
        #expect(try await spark.sql("SELECT id FROM range(1234)").count() == 1234)
    }

    @Test("an AnalysisException becomes a readable SparkConnectError.server")
    func analysisError() async throws {
        let spark = try await session()
        let error = await #expect(throws: SparkConnectError.self) {
            _ = try await spark.sql("SELECT nope FROM range(1)").collect()
        }
        guard case .server(let exception)? = error else {
            Issue.record("expected a server exception, got \(String(describing: error))")
            return
        }
        #expect(exception.simpleClassName.hasSuffix("AnalysisException"))
        #expect(exception.errorClass == "UNRESOLVED_COLUMN.WITH_SUGGESTION")
        #expect(exception.sqlState == "42703")
        #expect(exception.message.contains("`nope`"))
        #expect("\(error!)".contains("AnalysisException: [UNRESOLVED_COLUMN.WITH_SUGGESTION]"))
        // The session stays usable after a failed query.
        #expect(try await spark.sql("SELECT 2").collect().first?[0] == .integer(2))
    }

    @Test("SELECT TRANSFORM round-trips rows through a program, fields joined by \\x01")
    func scriptTransformation() async throws {
        let spark = try await session()
        let echoed = try await spark.sql("""
            SELECT TRANSFORM(a, b) USING 'cat' AS (a STRING, b INT)
            FROM VALUES ('x', 1), ('y z', 2) AS t(a, b)
            """).collect()
        #expect(Set(echoed.map(\.values)) == [[.string("x"), .integer(1)], [.string("y z"), .integer(2)]])
        let raw = try await spark.sql("""
            SELECT TRANSFORM(a, b, c) USING 'od -An -c' AS (line STRING)
            FROM VALUES ('x', 1, CAST(NULL AS STRING)) AS t(a, b, c)
            """).collect()
        // od shows \x01 as 001 and NULL as \N: "x 001 1 001 \ N \n".
        let shown = raw.compactMap { $0[0].string }.joined().split(separator: " ").joined(separator: " ")
        #expect(shown == #"x 001 1 001 \ N \n"#)
        // Spark reads the script's stderr on a thread of its own and builds its error as soon as the script exits:
        // a script that exits the moment it writes can leave that error's stderr empty. This one lingers a second.
        let error = await #expect(throws: SparkConnectError.self) {
            _ = try await spark.sql("""
                SELECT TRANSFORM(id) USING 'sh -c "echo boom-from-script >&2; sleep 1; exit 3"' AS (x STRING) FROM range(1)
                """).collect()
        }
        #expect("\(error.map(String.init(describing:)) ?? "")".contains("boom-from-script"))
    }

    @Test("addArtifacts ships files, chunked and batched, into a per-session subfolder executors can run")
    func artifacts() async throws {
        let spark = try await session()
        let tag = UUID().uuidString.prefix(8).lowercased()
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("orchard-artifacts-\(tag)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        // Over one 1 MiB chunk, so it travels as a chunked artifact; the padding comment makes it ~2.5 MiB.
        let big = directory.appendingPathComponent("worker-\(tag).sh")
        let padding = String(repeating: "# padding line to make the script span several chunks\n", count: 48_000)
        try ("#!/bin/sh\n" + padding + "while IFS= read -r line; do echo \"seen:$line\"; done\n")
            .write(to: big, atomically: true, encoding: .utf8)
        let small = directory.appendingPathComponent("weights-\(tag).txt")
        try Data((0..<3000).map { UInt8(truncatingIfNeeded: $0 &* 7) }).write(to: small)

        let names = try await spark.addArtifacts(files: [big, small])
        #expect(names == ["worker-\(tag).sh", "weights-\(tag).txt"])

        let rows = try await spark.sql("""
            SELECT TRANSFORM(id) USING 'set -- */worker-\(tag).sh; exec "$1"' AS (line STRING)
            FROM range(0, 3, 1, 1)
            """).collect()
        #expect(rows.map { $0[0] } == [.string("seen:0"), .string("seen:1"), .string("seen:2")])

        // Byte-exact arrival: the executor's checksum of each file equals the local one.
        for (name, file) in [("worker-\(tag).sh", big), ("weights-\(tag).txt", small)] {
            let local = try PythonPeer.runProcess("/usr/bin/cksum", [], stdinFile: file)
            let remote = try await spark.sql("""
                SELECT TRANSFORM(id) USING 'cat >/dev/null; set -- */\(name); cksum < "$1"' AS (sum STRING)
                FROM range(0, 1, 1, 1)
                """).collect()
            #expect(remote.first?[0].string == String(decoding: local, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines))
        }

        // The file is not in the working directory itself: the bare name is not found.
        await #expect(throws: SparkConnectError.self) {
            _ = try await spark.sql("SELECT TRANSFORM(id) USING './worker-\(tag).sh' AS (x STRING) FROM range(0, 1, 1, 1)").collect()
        }
    }

    @Test("the DataFrame writer writes Parquet that Spark reads back; binaryFile lists inputs")
    func writeParquetAndListFiles() async throws {
        let spark = try await session()
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("orchard-spark-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: directory) }
        let output = directory.appendingPathComponent("features").path
        let frame = try await spark.sql("SELECT id, CAST(id AS FLOAT) * 0.5 AS half, array(CAST(id AS FLOAT)) AS v FROM range(10)")
        try await frame.write.mode(.overwrite).parquet(output)
        let written = try FileManager.default.contentsOfDirectory(atPath: output)
        #expect(written.contains("_SUCCESS"))
        #expect(written.contains { $0.hasPrefix("part-") && $0.hasSuffix(".parquet") })
        let back = spark.read.parquet(output)
        #expect(try await back.count() == 10)
        try await back.createOrReplaceTempView("orchard_written")
        let sum = try await spark.sql("SELECT sum(half) AS s FROM orchard_written").collect()
        #expect(sum.first?[0].double == 22.5)
        await #expect(throws: SparkConnectError.self) { try await frame.write.mode(.errorIfExists).parquet(output) }

        // binaryFile over a folder tree, as `orchard featurize` lists its input.
        let images = directory.appendingPathComponent("images/apple")
        try FileManager.default.createDirectory(at: images, withIntermediateDirectories: true)
        try Data([1, 2, 3]).write(to: images.appendingPathComponent("a.jpg"))
        try Data([4, 5]).write(to: images.appendingPathComponent("b.jpg"))
        try Data([6]).write(to: images.appendingPathComponent("notes.txt"))
        let listed = spark.read.format("binaryFile")
            .option("recursiveFileLookup", "true").option("pathGlobFilter", "*.jpg")
            .load(directory.appendingPathComponent("images").path)
        try await listed.createOrReplaceTempView("orchard_inputs")
        let files = try await spark.sql("SELECT path, length FROM orchard_inputs ORDER BY path").collect()
        #expect(files.map { $0["length"] } == [.long(3), .long(2)])
        #expect(files.first?["path"]?.string?.hasSuffix("/images/apple/a.jpg") == true)
    }

    @Test("spark.conf set/get/unset round-trip")
    func config() async throws {
        let spark = try await session()
        try await spark.conf.set("spark.sql.shuffle.partitions", "3")
        #expect(try await spark.conf.get("spark.sql.shuffle.partitions") == "3")
        try await spark.conf.unset("spark.sql.shuffle.partitions")
        #expect(try await spark.conf.get("spark.sql.shuffle.partitions") == "200")
        #expect(try await spark.conf.get("orchard.not.a.setting") == nil)
    }

    @Test("a broken result stream is resumed with ReattachExecute and loses nothing; progress is reported")
    func reattach() async throws {
        let spark = try await session()
        let frame = try await spark.sql("SELECT id FROM range(0, 25000, 1, 3) ORDER BY id")
        let reattachedBefore = await spark.reattachments
        await spark.breakStream(afterResponses: 2)
        let progress = ProgressLog()
        let rows = try await frame.collect(progress: { progress.append($0) })
        #expect(await spark.reattachments == reattachedBefore + 1)
        #expect(rows.count == 25000)
        #expect(rows.map { $0[0].int64 ?? -1 } == (0..<25000).map(Int64.init))
        #expect(progress.snapshots.allSatisfy { $0.completedTasks <= $0.totalTasks })
    }

    @Test("a job that runs for a few seconds reports stage and task progress")
    func progress() async throws {
        let spark = try await session()
        let progress = ProgressLog()
        // The server reports progress every spark.connect.progress.reportInterval (2 s by default).
        let rows = try await spark.sql("SELECT TRANSFORM(id) USING 'sleep 3; cat' AS (id STRING) FROM range(0, 2, 1, 2)")
            .collect(progress: { progress.append($0) })
        #expect(rows.count == 2)
        let last = try #require(progress.snapshots.last)
        #expect(last.totalTasks >= 2)
        #expect(last.stages.allSatisfy { $0.completedTasks <= $0.tasks })
    }

    @Test("an unreachable server fails fast with .unavailable")
    func unreachable() async throws {
        let error = await #expect(throws: SparkConnectError.self) {
            _ = try await SparkSession.connect(url: "sc://127.0.0.1:9", retryPolicy: .none)
        }
        if case .unavailable? = error {} else { Issue.record("expected .unavailable, got \(String(describing: error))") }
    }
}

/// Collects progress snapshots from the stream's task.
final class ProgressLog: Sendable {
    private let storage = Mutex<[ExecutionProgress]>([])
    func append(_ snapshot: ExecutionProgress) { storage.withLock { $0.append(snapshot) } }
    var snapshots: [ExecutionProgress] { storage.withLock { $0 } }
}
