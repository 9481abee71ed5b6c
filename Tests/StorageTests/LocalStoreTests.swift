import Foundation
import Testing
@testable import Storage

@Suite struct LocalStoreTests {
    let root = NSTemporaryDirectory() + "orchard-storage-\(UUID().uuidString)"

    @Test func writeListReadDelete() async throws {
        let store = LocalStore()
        let base = StorageLocation.local(path: root)
        try await store.write(Array("one".utf8), to: base.appending("a/1.txt"))
        try await store.write(Array("two!".utf8), to: base.appending("b/2.txt"))
        let listed = try await store.list(under: base)
        #expect(listed.map(\.location.name) == ["1.txt", "2.txt"])
        #expect(listed.map(\.size) == [3, 4])
        #expect(listed[0].location.parentName == "a")
        #expect(try await store.read(base.appending("b/2.txt"), maxBytes: 10) == Array("two!".utf8))
        try await store.delete([base.appending("a/1.txt"), base.appending("missing")], under: base)
        #expect(try await store.size(of: base.appending("a/1.txt")) == nil)
        // No temporary files are left behind by atomic writes.
        #expect(try await store.list(under: base).count == 1)
    }

    @Test func deletionStaysInsideItsRootAndNeverRemovesIt() async throws {
        let store = LocalStore()
        let parent = StorageLocation.local(path: root + "/parent")
        let out = parent.appending("out")
        try await store.write([1], to: out.appending("_temporary/features/part-0.parquet"))
        try await store.delete([out.appending("_temporary/features/part-0.parquet")], under: out)
        // The emptied folders below OUT go, OUT and its (now empty) parent stay.
        #expect(!FileManager.default.fileExists(atPath: root + "/parent/out/_temporary"))
        #expect(FileManager.default.fileExists(atPath: root + "/parent/out"))
        await #expect(throws: StorageError.self, "a location outside the root is refused") {
            try await store.delete([parent.appending("other.txt")], under: out)
        }
        await #expect(throws: StorageError.self) {
            try await store.delete([.local(path: root + "/parent/out/../sibling.txt")], under: out)
        }
    }

    @Test func rangesReadThePartAsked() async throws {
        let store = LocalStore()
        let file = StorageLocation.local(path: root + "/r.bin")
        try await store.write(Array(0 ..< 100), to: file)
        #expect(try await store.read(file, offset: 90, count: 20) == Array(90 ..< 100))
        #expect(try await store.read(file, offset: 3, count: 2) == [3, 4])
        await #expect(throws: StorageError.notFound(root + "/nope")) { try await store.read(.local(path: root + "/nope"), offset: 0, count: 1) }
    }

    @Test func aLeaseIsExclusiveAndNamesItsHolder() async throws {
        let store = LocalStore()
        let lock = StorageLocation.local(path: root + "/_orchard/lock")
        let first = try await store.acquireLease(lock, holder: "run one", duration: .seconds(60))
        #expect(await first.isHeld)
        await #expect(throws: StorageError.leaseHeld(root + "/_orchard/lock", holder: "run one")) {
            _ = try await store.acquireLease(lock, holder: "run two", duration: .seconds(60))
        }
        await first.release()
        let second = try await store.acquireLease(lock, holder: "run two", duration: .seconds(60))
        await second.release()
    }

    @Test func linkedFoldersAreWalkedAsSparkWalksThemButNeverInACycle() async throws {
        let store = LocalStore()
        let input = StorageLocation.local(path: root + "/in")
        try await store.write([1], to: .local(path: root + "/elsewhere/Lemon/1.jpg"))
        try await store.write([2], to: input.appending("Kiwi/2.jpg"))
        let links = ["Lemon": root + "/elsewhere/Lemon", "Kiwi/loop": root + "/in", "Kiwi/dangling": root + "/gone",
                     "Kiwi/3.jpg": root + "/in/Kiwi/2.jpg"]
        for (name, target) in links {
            try FileManager.default.createSymbolicLink(atPath: root + "/in/" + name, withDestinationPath: target)
        }
        let listed = try await store.list(under: input)
        #expect(listed.map(\.location.description) == ["Kiwi/2.jpg", "Kiwi/3.jpg", "Lemon/1.jpg"].map { root + "/in/" + $0 })
        #expect(listed.map(\.size) == [1, 1, 1])
    }

    @Test func aStoreGuardedByALeaseWritesNothingOnceTheLeaseIsGone() async throws {
        let out = StorageLocation.local(path: root + "/guarded")
        let lease = try await LocalStore().acquireLease(out.appending("_orchard/lock"), holder: "run one", duration: .seconds(60))
        let store = LeaseGuardedStore(LocalStore(), lease: lease)
        try await store.write([1], to: out.appending("part-0.parquet"))
        await lease.release()  // as a run whose S3 lease expired while it was stopped
        await #expect(throws: StorageError.leaseLost(out.appending("part-1.parquet").description)) {
            try await store.write([2], to: out.appending("part-1.parquet"))
        }
        await #expect(throws: StorageError.leaseLost(out.description)) {
            try await store.delete([out.appending("part-0.parquet")], under: out)
        }
        #expect(try await store.read(out.appending("part-0.parquet"), maxBytes: 1) == [1], "reads go on, the part stays")
        #expect(try await store.size(of: out.appending("part-1.parquet")) == nil)
    }

    @Test func listingCarriesAVersionThatChangesWithTheContent() async throws {
        let store = LocalStore()
        let file = StorageLocation.local(path: root + "/v/photo.jpg")
        try await store.write([1, 2, 3], to: file)
        let before = try await store.list(under: .local(path: root + "/v"))[0].version
        // Same size, new content: rewriting changes the modification time.
        var times = [timespec(tv_sec: 1_000_000_000, tv_nsec: 0), timespec(tv_sec: 1_000_000_000, tv_nsec: 0)]
        utimensat(AT_FDCWD, root + "/v/photo.jpg", &times, 0)
        let after = try await store.list(under: .local(path: root + "/v"))[0].version
        #expect(before != nil && after != nil && before != after)
    }

    @Test func readRefusesObjectsPastTheLimit() async throws {
        let store = LocalStore()
        let file = StorageLocation.local(path: root + "/big.bin")
        try await store.write([UInt8](repeating: 7, count: 100), to: file)
        await #expect(throws: StorageError.tooLarge(root + "/big.bin", size: 100, limit: 99)) {
            try await store.read(file, maxBytes: 99)
        }
    }

    @Test func parsesLocations() throws {
        #expect(try StorageLocation(parsing: "s3://bucket/a/b.jpg") == .s3(bucket: "bucket", key: "a/b.jpg"))
        #expect(try StorageLocation(parsing: "s3://bucket") == .s3(bucket: "bucket", key: ""))
        #expect(try StorageLocation(parsing: "data/x") == .local(path: "data/x"))
        #expect(throws: StorageError.self) { try StorageLocation(parsing: "http://x/y") }
        #expect(throws: StorageError.self) { try StorageLocation(parsing: "s3:///key") }
        #expect(StorageLocation.s3(bucket: "b", key: "p").appending("x").description == "s3://b/p/x")

        // HDFS: kept as the URI Spark reads; names and labels come from the path, not the namenode.
        let image = try StorageLocation(parsing: "hdfs://namenode:8020/fruits/Apple 10/1_100.jpg")
        #expect(image == .hdfs(uri: "hdfs://namenode:8020/fruits/Apple 10/1_100.jpg"))
        #expect(image.name == "1_100.jpg")
        #expect(image.parentName == "Apple 10")
        #expect(try StorageLocation(parsing: "hdfs://namenode/top.jpg").parentName == "")
        #expect(try StorageLocation(parsing: "hdfs://nn/fruits").appending("Kiwi").description == "hdfs://nn/fruits/Kiwi")
    }
}
