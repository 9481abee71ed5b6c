import Foundation
import LinearAlgebra
import SparkConnectTestKit
import Testing
@testable import Pipeline

/// A featurize job's whole RPC sequence against a fake server that speaks Spark 3.5's protocol
/// (FakeSparkConnectServer, which refuses anything 3.5 lacks): the fake answers listings, counts and PCA
/// sums from a script, runs no executors, so the dataset gets its records and `_SUCCESS` but no rows.
@Suite("Spark engine against Spark 3.5", .serialized)
struct SparkEngineSpark35Tests {
    /// Answers by query: the cluster's task slots, the image count, PCA sums of 4-d features, the written
    /// dataset's counts and failures.
    static func answers(images: Int) throws -> @Sendable (String) -> FakeAnswer? {
        var sums = try CovarianceAccumulator(dimension: 4)
        for row in 0 ..< 6 { try sums.add((0 ..< 4).map { Float(($0 + 1) * (row + 1) % 5) }) }
        let chunks = PartialSums.chunks(of: sums).map { "('\($0[0])', \($0[1]), \($0[2]), '\($0[3])')" }
        let slots = try FakeAnswer.pyarrow("pa.table({'(max(p) + 1)': pa.array([2], pa.int32())})")
        let count = try FakeAnswer.pyarrow("pa.table({'count(1)': pa.array([\(images)], pa.int64())})")
        let partials = try FakeAnswer.pyarrow("""
            pa.Table.from_pylist([dict(zip(['sums_id', 'sums_chunk', 'sums_chunks', 'sums'], c)) for c in [\(chunks.joined(separator: ", "))]],
                schema=pa.schema([('sums_id', pa.string()), ('sums_chunk', pa.int32()), ('sums_chunks', pa.int32()), ('sums', pa.string())]))
            """)
        let totals = try FakeAnswer.pyarrow("pa.table({'count(1)': pa.array([\(images)], pa.int64()), 'max': pa.array([1280], pa.int32())})")
        let failures = try FakeAnswer.pyarrow("pa.table({'reason': ['not an image'], 'count(1)': pa.array([1], pa.int64())})")
        return { query in
            if query.contains("spark_partition_id()") { return slots }
            if query.hasPrefix("SELECT count(1) FROM (SELECT path FROM orchard_images_") { return count }
            if query.hasPrefix("SELECT sums_id, sums_chunk, sums_chunks, sums FROM parquet.") { return partials }
            if query.hasPrefix("SELECT count(*), max(size(features))") { return totals }
            if query.contains("GROUP BY reason") { return failures }
            return nil
        }
    }

    /// Runs `job` on a fake 3.5 server reporting `version`; returns the server and the run's summary.
    static func run(
        version: String, pca: Int?, content: Bool
    ) async throws -> (server: FakeSparkConnectServer, summary: RunSummary, output: String) {
        let input = try TestSupport.sampleFolder(classes: ["Banana 1", "Lemon 1"], perClass: 3)
        let output = try TestSupport.temporaryFolder("spark35")
        let server = try await FakeSparkConnectServer(speaking: try .spark43Against35(), version: version, answer: try answers(images: 6))
        // What gets shipped as the binary: 1.5 MiB, so it travels in chunks (the fake runs nothing).
        let binary = output + "-binary"
        try Data(repeating: 0x7F, count: 3 << 19).write(to: URL(fileURLWithPath: binary))
        var engine = SparkEngine(master: server.url, stores: StoreResolver(), binary: binary, progressOutput: { _ in })
        engine.sendsContent = content
        do {
            let summary = try await engine.run(TestSupport.job(input, output, pca: pca))
            await server.stop()
            return (server, summary, output)
        } catch {
            await server.stop()
            throw TestFailure("\(error); refused: \(server.service.refusals)")
        }
    }

    /// What every run must show: nothing refused, every request one 3.5.6 reads, only 3.5's RPCs called.
    static func expectSpoken35(_ server: FakeSparkConnectServer) throws {
        #expect(server.service.refusals == [])
        let compatibility = try ProtocolCompatibility.spark43Against35()
        for call in server.service.calls {
            #expect(throws: Never.self, "\(call.rpc)") { try compatibility.check(rpc: call.rpc, request: call.request) }
        }
        let rpcs = Set(server.service.calls.map(\.rpc))
        #expect(rpcs == ["AnalyzePlan", "Config", "AddArtifacts", "ExecutePlan", "ReleaseExecute"])
    }

    @Test("with PCA on Spark 3.5.6: listing, featurize, PCA sums and fit, PCA apply, counts, _SUCCESS")
    func pcaJob() async throws {
        let (server, summary, output) = try await Self.run(version: "3.5.6", pca: 2, content: true)
        try Self.expectSpoken35(server)
        #expect(summary.images == 6 && summary.failures == 1 && summary.pcaComponents == 2)
        #expect(FileManager.default.fileExists(atPath: output + "/_SUCCESS"))
        let queries = server.service.queries
        #expect(queries.contains { $0.contains("SELECT TRANSFORM(path, length, content)") && $0.contains("length, base64(content) AS content") })
        #expect(queries.contains { $0.contains("pca-apply") })
        // 3.5.6 has spark.sql.chunkBase64String.enabled (since 3.5.2): set, as on 4.x.
        #expect(server.service.config["spark.sql.chunkBase64String.enabled"] == "false")
        #expect(server.service.artifacts.keys.contains { $0.hasPrefix("files/pca-") })
    }

    @Test("without PCA on Spark 3.5.1: the base64 line breaks are removed in SQL, not by a setting 3.5.1 lacks")
    func contentJobOn351() async throws {
        let (server, summary, output) = try await Self.run(version: "3.5.1", pca: nil, content: true)
        try Self.expectSpoken35(server)
        #expect(summary.images == 6)
        #expect(FileManager.default.fileExists(atPath: output + "/_SUCCESS"))
        #expect(server.service.config["spark.sql.chunkBase64String.enabled"] == nil)
        #expect(server.service.queries.contains { $0.contains(#"length, translate(base64(content), '\r\n', '') AS content"#) })
    }
}
