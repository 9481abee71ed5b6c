import Foundation
import OrchardTestKit
import Storage
import Testing

@testable import S3

/// The client against a local moto server (scripts/moto-server.sh, loopback only).
@Suite struct MotoIntegrationTests {
    @Test func listingPaginatesPast1000Keys() async throws {
        let client = try await TestClients.moto()
        let bucket = TestClients.bucketName()
        try await client.createBucket(bucket)
        let keys = (0..<1100).map { String(format: "images/Apple %04d.jpg", $0) }
        try await withThrowingTaskGroup(of: Void.self) { group in
            for (index, key) in keys.enumerated() {
                group.addTask { try await client.putObject(bucket: bucket, key: key, bytes: Array("jpeg \(index)".utf8)) }
            }
            try await group.waitForAll()
        }
        try await client.putObject(bucket: bucket, key: "other/x", bytes: [1])
        let listed = try await client.listObjects(bucket: bucket, prefix: "images/")
        #expect(listed.count == 1100)
        #expect(listed.map(\.key) == keys.sorted())
        #expect(listed.first?.size == Int64("jpeg 0".utf8.count))
        #expect(try await client.listObjects(bucket: bucket).count == 1101)
        let (page, token) = try await client.listPage(bucket: bucket, prefix: "images/", continuationToken: nil)
        #expect(page.count == 1000)
        #expect(token != nil)
        // 1,101 keys take two DeleteObjects batches.
        try await client.deleteObjects(bucket: bucket, keys: listed.map(\.key) + ["other/x"])
        #expect(try await client.listObjects(bucket: bucket).isEmpty)
        try await client.shutdown()
    }

    @Test func multipartUploadOf20MiBReadsBackIdentical() async throws {
        let client = try await TestClients.moto()
        let bucket = TestClients.bucketName()
        try await client.createBucket(bucket)
        let folder = try TestResources.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let file = folder.appendingPathComponent("features.bin")
        let content = TestClients.bytes(count: 20 << 20, seed: 42)
        try Data(content).write(to: file)
        try await client.uploadFile(path: file.path, bucket: bucket, key: "big/features.bin")
        let head = try #require(try await client.headObject(bucket: bucket, key: "big/features.bin"))
        #expect(head.size == Int64(content.count))
        // A multipart ETag ends in -<parts>: 20 MiB in 5 MiB parts is 4.
        #expect(head.eTag?.hasSuffix("-4") == true)
        let back = try await client.getObject(bucket: bucket, key: "big/features.bin", maxBytes: 32 << 20)
        #expect(back == content)
        await #expect(throws: S3Error.self) {
            _ = try await client.getObject(bucket: bucket, key: "big/features.bin", maxBytes: 1 << 20)
        }
        try await client.shutdown()
    }

    @Test func rangedGetReturnsExactlyTheRange() async throws {
        let client = try await TestClients.moto()
        let bucket = TestClients.bucketName()
        try await client.createBucket(bucket)
        let content = TestClients.bytes(count: 10_000, seed: 7)
        try await client.putObject(bucket: bucket, key: "r.bin", bytes: content)
        let slice = try await client.getObject(bucket: bucket, key: "r.bin", range: 1000...1999, maxBytes: 4096)
        #expect(slice == Array(content[1000...1999]))
        let tail = try await client.getObject(bucket: bucket, key: "r.bin", range: 9990...9999, maxBytes: 16)
        #expect(tail == Array(content[9990...]))
        try await client.shutdown()
    }

    @Test func deleteHeadAndMissingKeys() async throws {
        let client = try await TestClients.moto()
        let bucket = TestClients.bucketName()
        try await client.createBucket(bucket)
        for key in ["a", "b", "c & <d>"] { try await client.putObject(bucket: bucket, key: key, bytes: [1, 2, 3]) }
        try await client.deleteObjects(bucket: bucket, keys: ["a", "c & <d>", "never-existed"])
        #expect(try await client.listObjects(bucket: bucket).map(\.key) == ["b"])
        #expect(try await client.headObject(bucket: bucket, key: "a") == nil)
        #expect(try await client.headObject(bucket: bucket, key: "b")?.size == 3)
        do {
            _ = try await client.getObject(bucket: bucket, key: "a", maxBytes: 10)
            Issue.record("a deleted key was read")
        } catch let error as S3Error {
            #expect(error.isNotFound)
            #expect(error.code == "NoSuchKey")
            #expect(error.description.contains("s3://\(bucket)/a"))
        }
        try await client.shutdown()
    }

    @Test func oddKeysRoundTrip() async throws {
        let client = try await TestClients.moto()
        let bucket = TestClients.bucketName()
        try await client.createBucket(bucket)
        let keys = ["Training/Apple Braeburn/r_0_100.jpg", "ünï/cødé+plus=eq&amp;~t.jpg", "a//double/./dot"]
        for (index, key) in keys.enumerated() {
            try await client.putObject(bucket: bucket, key: key, bytes: [UInt8(index)])
        }
        #expect(Set(try await client.listObjects(bucket: bucket).map(\.key)) == Set(keys))
        for (index, key) in keys.enumerated() {
            #expect(try await client.getObject(bucket: bucket, key: key, maxBytes: 10) == [UInt8(index)])
        }
        try await client.shutdown()
    }

    @Test func presignedURLDownloadsWithoutCredentials() async throws {
        let client = try await TestClients.moto()
        let bucket = TestClients.bucketName()
        try await client.createBucket(bucket)
        try await client.putObject(bucket: bucket, key: "shared/report.txt", bytes: Array("hello".utf8))
        let url = try await client.presignedURL(bucket: bucket, key: "shared/report.txt", expiresIn: 600)
        #expect(url.query?.contains("X-Amz-Signature=") == true)
        #expect(url.query?.contains("X-Amz-Security-Token=") == true)
        let reply = try await CredentialsFetch.send(.GET, url.absoluteString, timeout: .seconds(10), source: "test")
        #expect(reply.status == 200)
        #expect(reply.body == Array("hello".utf8))
        try await client.shutdown()
    }

    @Test(arguments: ["environment", "profile", "imds"])
    func credentialSourcesWorkEndToEnd(source: String) async throws {
        let folder = try TestResources.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        var metadata: FakeCredentialsServer?
        defer { metadata?.stop() }
        var environment = ["HOME": folder.path, "AWS_EC2_METADATA_DISABLED": "true"]
        switch source {
        case "environment":
            environment["AWS_ACCESS_KEY_ID"] = "AKIAFROMENV"
            environment["AWS_SECRET_ACCESS_KEY"] = "env-secret"
        case "profile":
            let file = folder.appendingPathComponent("creds")
            try "[moto]\naws_access_key_id = AKIAFROMPROFILE\naws_secret_access_key = profile-secret\n"
                .write(to: file, atomically: true, encoding: .utf8)
            environment["AWS_SHARED_CREDENTIALS_FILE"] = file.path
            environment["AWS_PROFILE"] = "moto"
        default:
            let server = try FakeCredentialsServer()
            metadata = server
            environment["AWS_EC2_METADATA_DISABLED"] = nil
            environment["AWS_EC2_METADATA_SERVICE_ENDPOINT"] = "http://127.0.0.1:\(server.port)"
            environment["AWS_METADATA_SERVICE_TIMEOUT"] = FakeCredentialsServer.timeout
        }
        let chain = DefaultCredentialChain(environment: environment)
        let client = try await TestClients.moto(credentials: chain)
        let bucket = TestClients.bucketName()
        try await client.createBucket(bucket)
        try await client.putObject(bucket: bucket, key: "via-\(source)", bytes: [9])
        #expect(try await client.getObject(bucket: bucket, key: "via-\(source)", maxBytes: 1) == [9])
        let used = try await chain.credentials().accessKeyID
        #expect(used == ["environment": "AKIAFROMENV", "profile": "AKIAFROMPROFILE"][source] ?? metadata?.accessKey)
        try await client.shutdown()
    }

    @Test func failedRequestErrorsCarryNoSecrets() async throws {
        let client = try await TestClients.moto(attempts: 2)
        let secret = TestClients.credentials.secretAccessKey
        let token = try #require(TestClients.credentials.sessionToken)
        var texts: [String] = []
        do {
            _ = try await client.getObject(bucket: "no-such-bucket-\(UUID().uuidString.prefix(8).lowercased())", key: "k", maxBytes: 1)
        } catch {
            texts += ["\(error)", String(reflecting: error), error.localizedDescription]
            #expect((error as? S3Error)?.status == 404)
        }
        // A closed port: the transport error after the retries.
        let closed = S3Client(
            configuration: TestClients.configuration(URL(string: "http://127.0.0.1:9")!, attempts: 2),
            credentials: StaticCredentials(TestClients.credentials))
        do {
            _ = try await closed.listObjects(bucket: "b")
        } catch {
            texts += ["\(error)", String(reflecting: error), error.localizedDescription]
        }
        try await closed.shutdown()
        #expect(texts.count == 6)
        for text in texts {
            #expect(!text.contains(secret))
            #expect(!text.contains(token))
        }
        try await client.shutdown()
    }

    @Test func storeMapsLocationsAndErrors() async throws {
        let client = try await TestClients.moto()
        let bucket = TestClients.bucketName()
        try await client.createBucket(bucket)
        let store = S3Store(client: client)
        let root = StorageLocation.s3(bucket: bucket, key: "run-1")
        try await store.write(Array("x".utf8), to: root.appending("Apple/1.jpg"))
        try await store.write(Array("yy".utf8), to: root.appending("Banana/2.jpg"))
        try await store.write(Array("zzz".utf8), to: .s3(bucket: bucket, key: "run-10/other.jpg"))
        let listed = try await store.list(under: root)
        #expect(listed.map(\.location.description) == ["s3://\(bucket)/run-1/Apple/1.jpg", "s3://\(bucket)/run-1/Banana/2.jpg"])
        #expect(listed.map(\.size) == [1, 2])
        #expect(listed.last?.location.parentName == "Banana")
        #expect(try await store.list(under: root.appending("Apple/1.jpg")).count == 1)
        #expect(try await store.read(root.appending("Banana/2.jpg"), maxBytes: 2) == Array("yy".utf8))
        #expect(try await store.size(of: root.appending("missing")) == nil)
        await #expect(throws: StorageError.tooLarge("s3://\(bucket)/run-1/Banana/2.jpg", size: 2, limit: 1)) {
            _ = try await store.read(root.appending("Banana/2.jpg"), maxBytes: 1)
        }
        await #expect(throws: StorageError.notFound("s3://\(bucket)/run-1/missing")) {
            _ = try await store.read(root.appending("missing"), maxBytes: 1)
        }
        await #expect(throws: StorageError.notFound("s3://\(bucket)/nothing-here")) {
            _ = try await store.list(under: .s3(bucket: bucket, key: "nothing-here"))
        }
        // A missing bucket is not a missing object (which a caller may go on to create): it says so.
        let noBucket = StorageLocation.s3(bucket: bucket + "-missing", key: "in")
        for attempt in [{ _ = try await store.list(under: noBucket) }, { try await store.write([1], to: noBucket.appending("_orchard/lock")) }] {
            do {
                try await attempt()
                Issue.record("no error for a missing bucket")
            } catch {
                #expect("\(error)".contains("bucket '\(bucket)-missing' does not exist"), "\(error)")
            }
        }
        let folder = try TestResources.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let file = folder.appendingPathComponent("part.parquet")
        try Data(TestClients.bytes(count: 1234, seed: 3)).write(to: file)
        try await store.upload(file: file.path, to: root.appending("part.parquet"))
        #expect(try await store.size(of: root.appending("part.parquet")) == 1234)
        #expect(try await store.read(root.appending("part.parquet"), offset: 1230, count: 10)
            == Array(TestClients.bytes(count: 1234, seed: 3).suffix(4)))
        await #expect(throws: StorageError.self, "deletion is confined to its root") {
            try await store.delete([.s3(bucket: bucket, key: "elsewhere/x")], under: root)
        }
        try await store.delete(listed.map(\.location) + [root.appending("part.parquet")], under: root)
        await #expect(throws: StorageError.self) { _ = try await store.list(under: root) }

        // The lease: created once (If-None-Match), refused to a second holder while fresh, taken over once expired.
        let lock = root.appending("_orchard/lock")
        let first = try await store.acquireLease(lock, holder: "run one", duration: .seconds(60))
        await #expect(throws: StorageError.self) { _ = try await store.acquireLease(lock, holder: "run two", duration: .seconds(60)) }
        do {
            _ = try await store.acquireLease(lock, holder: "run two", duration: .seconds(60))
        } catch let error as StorageError {
            #expect(error.description.contains("run one"), "the loser is told who holds it: \(error)")
        }
        await first.release()
        let short = try await store.acquireLease(lock, holder: "run three", duration: .seconds(1))
        await short.release()
        // A lease whose holder died unrenewed (written by hand, expired) is taken over.
        let expired = #"{"expires":"2001-01-01T00:00:00Z","holder":"dead run","token":"x"}"#
        try await store.write(Array(expired.utf8), to: lock)
        let taken = try await store.acquireLease(lock, holder: "run four", duration: .seconds(60))
        #expect(await taken.isHeld)
        await taken.release()
        #expect(try await store.size(of: lock) == nil, "a released lease leaves no object")
        try await client.shutdown()
    }

    /// A release that comes while a renewal's PUT is on its way still removes the lock: it used to be left
    /// behind (renewed just after the DELETE), refusing the same command's next run for two minutes.
    @Test func aLeaseReleasedWhileItIsBeingRenewedLeavesNoObject() async throws {
        let client = try await TestClients.moto()
        let bucket = TestClients.bucketName()
        try await client.createBucket(bucket)
        let store = S3Store(client: client)
        // Eight leases renewed every 20 ms, each released at 40 spread-out moments: the requests of the others
        // slow moto down, so many releases meet a renewal in flight.
        let left = try await withThrowingTaskGroup(of: Int.self) { group in
            for run in 0 ..< 8 {
                group.addTask {
                    let lock = StorageLocation.s3(bucket: bucket, key: "out-\(run)/_orchard/lock")
                    var generator = SplitMix64(seed: UInt64(run))
                    var left = 0
                    for _ in 0 ..< 40 {
                        let lease = try await store.acquireLease(lock, holder: "run \(run)", duration: .milliseconds(60))
                        try await Task.sleep(for: .milliseconds(15 + Int(generator.next() % 30)))
                        await lease.release()
                        if try await store.size(of: lock) != nil {
                            left += 1
                            try await store.delete([lock], under: .s3(bucket: bucket, key: "out-\(run)"))
                        }
                    }
                    return left
                }
            }
            return try await group.reduce(0, +)
        }
        #expect(left == 0, "\(left) of 320 released leases left their lock behind")
        try await client.shutdown()
    }
}
