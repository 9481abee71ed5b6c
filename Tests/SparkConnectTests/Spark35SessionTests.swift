import Foundation
import SparkConnectTestKit
import Testing
@testable import SparkConnect

/// The client against a fake server that speaks Spark 3.5.6's protocol (FakeSparkConnectServer): every
/// request the client's builders make must be one 3.5.6 reads, and no RPC 3.5 lacks may be called.
@Suite("Spark 3.5 sessions", .serialized)
struct Spark35SessionTests {
    static let rows = """
        pa.table({'n': pa.array([7], pa.int64())})
        """

    @Test("every request the client builds is one Spark 3.5.6 reads; no 4.x-only RPC is called")
    func everyRequestReadsAs35() async throws {
        let answer = try FakeAnswer.pyarrow(Self.rows)
        let server = try await FakeSparkConnectServer(speaking: try .spark43Against35(), version: "3.5.6") { _ in answer }
        let spark = try await SparkSession.connect(url: server.url)
        #expect(await spark.serverVersion == SparkVersion(3, 5, 6))

        // Every builder of the public API, as the featurize engine and other callers use them.
        let frame = try await spark.sql("SELECT 7 AS n")
        #expect(try await frame.collect().map(\.values) == [[.long(7)]])
        #expect(try await frame.count() == 7)
        _ = try await frame.limit(3).repartition(2).collect()
        try await frame.createOrReplaceTempView("v")
        _ = try await spark.read.table("v").collect()
        let files = spark.read.format("binaryFile").option("recursiveFileLookup", "true").schema("path string").load(["/tmp/x"])
        try await files.createOrReplaceTempView("files")
        try await frame.write.format("parquet").mode(.overwrite).option("compression", "zstd").partitionBy("n").save("/tmp/out")
        try await frame.write.mode(.append).parquet("/tmp/out2")
        try await spark.conf.set(["spark.sql.files.openCostInBytes": "0", "spark.sql.chunkBase64String.enabled": "false"])
        #expect(try await spark.conf.get("spark.sql.files.openCostInBytes") == "0")
        try await spark.conf.unset("spark.sql.files.openCostInBytes")
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("orchard-spark35-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let small = folder.appendingPathComponent("small"), large = folder.appendingPathComponent("large")
        try Data(repeating: 1, count: 1000).write(to: small)
        try Data((0 ..< 2_500_000).map { UInt8(truncatingIfNeeded: $0) }).write(to: large)  // chunked: 3 chunks
        #expect(try await spark.addArtifacts(files: [small, large]) == ["small", "large"])
        #expect(server.service.artifacts == ["files/small": 1000, "files/large": 2_500_000])
        // A result stream that breaks is resumed with ReattachExecute.
        await spark.breakStream(afterResponses: 1)
        #expect(try await spark.sql("SELECT 7 AS n").collect().count == 1)
        #expect(await spark.reattachments == 1)
        // A server error: on 3.5 the client asks no FetchErrorDetails.
        await #expect(throws: SparkConnectError.self) { _ = try await frame.schema() }
        await spark.stop()
        await server.stop()

        let calls = server.service.calls
        #expect(server.service.refusals == [])
        let compatibility = try ProtocolCompatibility.spark43Against35()
        for call in calls {
            #expect(throws: Never.self, "\(call.rpc)") { try compatibility.check(rpc: call.rpc, request: call.request) }
        }
        #expect(Set(calls.map(\.rpc)) == [
            "AnalyzePlan", "ExecutePlan", "Config", "AddArtifacts", "ReattachExecute", "ReleaseExecute",
        ])
        #expect(server.service.queries == ["SELECT 7 AS n", "SELECT 7 AS n"])
    }

    @Test("against a 4.x server the same session uses Spark 4's forms: SqlCommand.input, ReleaseSession")
    func spark4Forms() async throws {
        let same = ProtocolCompatibility(client: try .spark("4.3.0"), server: try .spark("4.3.0"))
        let server = try await FakeSparkConnectServer(speaking: same, version: "4.3.0")
        let spark = try await SparkSession.connect(url: server.url)
        _ = try await spark.sql("SELECT 1")
        await spark.stop()
        await server.stop()
        let calls = server.service.calls
        #expect(calls.map(\.rpc) == ["AnalyzePlan", "ExecutePlan", "ReleaseExecute", "ReleaseSession"])
        #expect(server.service.queries == ["SELECT 1"])
        // The same query as a 3.5 server would have missed it: sent in `SqlCommand.input`.
        let execute = try #require(calls.first { $0.rpc == "ExecutePlan" })
        #expect(throws: Incompatibility.self) {
            try ProtocolCompatibility.spark43Against35().check(rpc: "ExecutePlan", request: execute.request)
        }
    }

    @Test("server versions parse and order by number, vendor suffixes aside")
    func versions() {
        #expect(SparkVersion("3.5.5-amzn-1") == SparkVersion(3, 5, 5))
        #expect(SparkVersion("3.5.5-amzn-1")?.text == "3.5.5-amzn-1")
        #expect(SparkVersion("4.3.0")! > SparkVersion(3, 5, 6))
        #expect(SparkVersion("3.5")! < SparkVersion(3, 5, 2))
        #expect(SparkVersion("3.5.1")! < SparkVersion(3, 5, 2))
        #expect(SparkVersion("unknown") == nil)
        #expect(SparkVersion(3, 5, 6).speaksSpark4Protocol == false)
        #expect(SparkVersion(4, 0, 0).speaksSpark4Protocol)
    }
}
