import Foundation
import OrchardTestKit
import Testing
@testable import Pipeline

extension SparkEngineTests {
    /// `--update --engine spark`: an empty OUT becomes version 1, an update after photos were added,
    /// removed and changed featurizes only those on the cluster, and the dataset equals a from-scratch
    /// local run on the new input; the local engine then updates the Spark-made dataset in turn.
    @Test func sparkUpdatesEqualAFromScratchRunOnTheNewInput() async throws {
        let server = TestSupport.packageRoot + "/scripts/spark-connect-server.sh"
        let port = try FreePort.pick()
        try TestSupport.runDaemonScript(["/usr/bin/env", "SPARK_CONNECT_MASTER=local[2]", "/bin/bash", server, "start", String(port)])
        defer { try? TestSupport.runDaemonScript(["/bin/bash", server, "stop", String(port)]) }
        let spark = SparkEngine(
            master: "sc://127.0.0.1:\(port)", stores: StoreResolver(), partitions: 2, binary: TestSupport.orchardBinary,
            progressOutput: { _ in })
        let local = LocalEngine(stores: StoreResolver(), progressOutput: { _ in })

        let input = try TestSupport.sampleFolder(classes: UpdateTests.classes, perClass: 5)
        let output = try TestSupport.temporaryFolder("spark-updated")
        let first = try await spark.run(UpdateTests.job(input, output))
        #expect(first.engine == "spark" && first.version == 1 && first.images == 15 && first.resumed == 0)

        try UpdateTests.change(input)
        let second = try await spark.run(UpdateTests.job(input, output))
        #expect(second.version == 2)
        #expect(second.images == 16 && second.resumed == 12)  // 3 added + 1 changed featurized on the cluster
        #expect(second.history?.last.map { [$0.added, $0.removed, $0.changed] } == [3, 2, 1])
        try await Self.expectRowsOfAFromScratchRun(output, input: input)
        try UpdateTests.expectOnlyManifestParts(output)

        // The manifest is the engines' common ground: the local engine updates what Spark made.
        let kiwis = try FileManager.default.contentsOfDirectory(atPath: input + "/Kiwi 1").sorted()
        try FileManager.default.removeItem(atPath: input + "/Kiwi 1/" + kiwis[0])
        let third = try await local.run(UpdateTests.job(input, output))
        #expect(third.version == 3 && third.images == 15 && third.resumed == 15)
        try await Self.expectRowsOfAFromScratchRun(output, input: input)
    }

    /// The rows of `output` are those a local run from scratch on `input` writes: same paths, labels and
    /// errors, features within 1e-5 (Spark's workers and this process may split the threads differently),
    /// projections equal up to sign within the bound the fit allows.
    static func expectRowsOfAFromScratchRun(_ output: String, input: String) async throws {
        let scratch = try TestSupport.temporaryFolder("spark-update-scratch")
        _ = try await LocalEngine(stores: StoreResolver(), progressOutput: { _ in }).run(UpdateTests.job(input, scratch, update: false))
        let rows = try await TestSupport.rows(of: output), expected = try await TestSupport.rows(of: scratch)
        #expect(rows.map(\.path) == expected.map(\.path))
        #expect(rows.map(\.label) == expected.map(\.label))
        #expect(rows.map(\.error) == expected.map(\.error))
        let gap = zip(rows, expected).map { a, b in zip(a.features ?? [], b.features ?? []).map { abs($0 - $1) }.max() ?? 0 }.max() ?? 0
        #expect(gap <= 1e-5, "features differ by \(gap)")
        try expectEqualProjections(rows, expected, featureGap: Double(gap))
    }
}
