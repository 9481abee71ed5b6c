import Foundation
import OrchardTestKit
import S3
import Storage
import Testing
@testable import Pipeline

/// `featurize --update` with s3:// input and output against a local moto server: images are known by
/// their ETag, and the updated dataset equals a from-scratch run on the new input.
@Suite(.serialized) struct S3UpdateTests {
    @Test func anS3UpdateEqualsAFromScratchRunOnTheNewInput() async throws {
        let endpoint = try S3PipelineTests.startMoto()
        let environment = S3PipelineTests.motoEnvironment
        let client = try S3PipelineTests.motoClient(endpoint)
        defer { Task { try? await client.shutdown() } }
        try await client.createBucket("update")
        // The same folder locally and in S3: changed in both the same way, so the local from-scratch run is the reference.
        let local = try TestSupport.sampleFolder(classes: UpdateTests.classes, perClass: 4)
        func upload() async throws -> Set<String> {
            var keys = Set<String>()
            for object in try await LocalStore().list(under: .local(path: local)) {
                let key = "in/" + object.location.description.dropFirst(local.count + 1)
                keys.insert(key)
                _ = try await client.putObject(
                    bucket: "update", key: key, bytes: try await LocalStore().read(object.location, maxBytes: 1 << 20),
                    contentType: "image/jpeg")
            }
            return keys
        }
        let before = try await upload()

        let stores = StoreResolver(s3Endpoint: endpoint, environment: environment)
        let engine = LocalEngine(stores: stores, progressOutput: { _ in })
        var job = UpdateTests.job(local, "unused", update: false)
        job.input = .s3(bucket: "update", key: "in")
        job.output = .s3(bucket: "update", key: "out")
        _ = try await engine.run(job)

        try UpdateTests.change(local)
        let after = try await upload()
        try await client.deleteObjects(bucket: "update", keys: Array(before.subtracting(after)))
        job.update = true
        let summary = try await engine.run(job)
        #expect(summary.images == 13)
        #expect(summary.resumed == 9)  // 3 added, 1 changed (its ETag) featurized
        #expect(summary.history?.last.map { [$0.added, $0.removed, $0.changed] } == [3, 2, 1])

        let reference = try TestSupport.temporaryFolder("s3-reference")
        _ = try await LocalEngine(stores: StoreResolver(), progressOutput: { _ in })
            .run(UpdateTests.job(local, reference, update: false))
        var expected = try await TestSupport.rows(of: reference)
        for index in expected.indices { expected[index].path = "s3://update/in/" + expected[index].path.dropFirst(local.count + 1) }
        UpdateTests.expectSameRows(try await S3PipelineTests.rows(job.output, stores), expected.sorted { $0.path < $1.path })

        let names = try await stores.store(for: job.output).list(under: job.output).map(\.location.description)
        #expect(!names.contains { $0.contains("_temporary") })
        #expect(names.contains("s3://update/out/_SUCCESS"))
        try await stores.shutdown()
    }
}
