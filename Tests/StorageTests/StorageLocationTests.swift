import Testing

@testable import Storage

/// Text that looks meant for S3 or HDFS but is not a well-formed URL is refused, not taken as a local path.
@Suite struct StorageLocationTests {
    @Test func malformedRemoteLocationsAreRefusedNotTakenAsLocalPaths() {
        for text in ["s3:/bucket/y", "s3:bucket/y", "S3://bucket/y", "S3:/bucket/y", "s3a:/bucket/y", "hdfs:/nn/x", "HDFS://nn/x", "s3:"] {
            #expect(throws: StorageError.self, "\(text)") { try StorageLocation(parsing: text) }
        }
        do {
            _ = try StorageLocation(parsing: "s3:/bucket/y")
        } catch {
            #expect(error.description.contains("s3://bucket/key"), "\(error)")
        }
    }

    @Test func wellFormedAndLocalLocationsStillParse() throws {
        #expect(try StorageLocation(parsing: "s3://bucket/y") == .s3(bucket: "bucket", key: "y"))
        #expect(try StorageLocation(parsing: "hdfs://nn/x") == .hdfs(uri: "hdfs://nn/x"))
        #expect(try StorageLocation(parsing: "./s3:/bucket/y") == .local(path: "./s3:/bucket/y"))
        #expect(try StorageLocation(parsing: "s3-photos/y") == .local(path: "s3-photos/y"))
        #expect(try StorageLocation(parsing: "hdfsdata/x") == .local(path: "hdfsdata/x"))
    }
}
