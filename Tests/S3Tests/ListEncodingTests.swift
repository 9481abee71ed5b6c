import Foundation
import Testing

@testable import S3

/// Keys that XML 1.0 cannot carry, or that URL encoding mangles, come back from a listing exactly as put.
@Suite struct ListEncodingTests {
    static let awkwardKeys = [
        "odd/100% sure.jpg", "odd/a+b.jpg", "odd/with space.jpg", "odd/ctl-\u{1}-one.jpg", "odd/tab\there.jpg",
"odd/Pomme Golden – été 🍎.jpg", "odd/%2B already encoded.jpg", "odd/amp & <lt>.jpg",
        "odd/plus+%20+space.jpg",
    ]

    // A newline is left out here only because moto cannot route a PUT whose path holds %0A (boto3 fails
    // the same way); `responseKeysAreDecoded` covers it.
    @Test func listingReturnsExactlyTheKeysPut() async throws {
        let client = try await TestClients.moto()
        // The client must be shut down even when a step throws (its deinit traps otherwise).
        do {
            try await Self.roundTrip(client)
        } catch {
            Issue.record("\(error)")
        }
        try await client.shutdown()
    }

    static func roundTrip(_ client: S3Client) async throws {
        let bucket = TestClients.bucketName()
        try await client.createBucket(bucket)
        for key in awkwardKeys { try await client.putObject(bucket: bucket, key: key, bytes: Array(key.utf8)) }
        let listed = try await client.listObjects(bucket: bucket, prefix: "odd/")
        #expect(listed.map(\.key) == awkwardKeys.sorted { Array($0.utf8).lexicographicallyPrecedes(Array($1.utf8)) })
        // The prefix is sent encoded and signed: one with a `+` or a tab finds its key alone.
        #expect(try await client.listObjects(bucket: bucket, prefix: "odd/a+b").map(\.key) == ["odd/a+b.jpg"])
        #expect(try await client.listObjects(bucket: bucket, prefix: "odd/tab\t").map(\.key) == ["odd/tab\there.jpg"])
        for key in awkwardKeys {
            #expect(try await client.getObject(bucket: bucket, key: key, maxBytes: 1024) == Array(key.utf8), "\(key)")
        }
    }

    @Test func requestAsksForURLEncodingAndSignsIt() {
        let signer = SigV4Signer(region: "us-east-1", service: "s3")
        let query = signer.canonicalQuery([("list-type", "2"), ("max-keys", "1000"), ("encoding-type", "url"),
                                           ("prefix", "a b+c\u{1}/é")])
        #expect(query == "encoding-type=url&list-type=2&max-keys=1000&prefix=a%20b%2Bc%01%2F%C3%A9")
    }

    @Test func responseKeysAreDecoded() throws {
        let body = """
            <?xml version="1.0" encoding="UTF-8"?>
            <ListBucketResult xmlns="http://s3.amazonaws.com/doc/2006-03-01/"><Name>b</Name><Prefix>odd%2F</Prefix>
            <EncodingType>url</EncodingType><IsTruncated>true</IsTruncated>
            <NextContinuationToken>1a+b/c=</NextContinuationToken>
            <Contents><Key>odd/new%0Aline+%2B%01%09%25.jpg</Key><Size>3</Size></Contents>
            <Contents><Key>odd/%C3%A9t%C3%A9+%F0%9F%8D%8E</Key><Size>4</Size></Contents>
            </ListBucketResult>
            """
        let (objects, token) = try S3Client.parseListPage(Array(body.utf8))
        #expect(objects.map(\.key) == ["odd/new\nline +\u{1}\t%.jpg", "odd/été 🍎"])
        #expect(token == "1a+b/c=")  // opaque: S3 does not encode it, so it is not decoded
        // Without EncodingType the keys are taken as they are.
        let plain = "<ListBucketResult><IsTruncated>false</IsTruncated><Contents><Key>a+b%41</Key><Size>1</Size></Contents></ListBucketResult>"
        #expect(try S3Client.parseListPage(Array(plain.utf8)).objects.map(\.key) == ["a+b%41"])
    }

    @Test func encodedKeysDecodeAsBotocoreDoes() {
        // S3 writes a space as `+` and a literal `+` as `%2B` (botocore decodes with unquote_plus).
        #expect(URIEncoding.decode("odd/a%2Bb+c%01%09%0A%C3%A9.jpg", plusIsSpace: true) == "odd/a+b c\u{1}\t\né.jpg")
    }
}
