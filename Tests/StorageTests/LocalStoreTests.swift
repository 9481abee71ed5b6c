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
        try await store.delete([base.appending("a/1.txt"), base.appending("missing")])
        #expect(try await store.size(of: base.appending("a/1.txt")) == nil)
        // No temporary files are left behind by atomic writes.
        #expect(try await store.list(under: base).count == 1)
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
