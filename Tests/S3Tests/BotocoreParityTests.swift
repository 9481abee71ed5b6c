import Foundation
import Testing

@testable import S3

/// The same S3 requests signed by Orchard and by botocore (S3SigV4Auth, S3SigV4QueryAuth) at a fixed time.
@Suite struct BotocoreParityTests {
    struct Case {
        var method: String
        var bucket: String
        var key: String?
        var query: [(name: String, value: String)] = []
        var headers: [(name: String, value: String)] = []
        var body: String = ""
        var configuration: S3Configuration
        var credentials: AWSCredentials
    }

    struct BotocoreResult: Decodable {
        var authorization: String
        var presigned_url: String
    }

    static let example = AWSCredentials(
        accessKeyID: "AKIDEXAMPLE", secretAccessKey: "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY")
    static let temporary = AWSCredentials(
        accessKeyID: "ASIAEXAMPLE", secretAccessKey: "a/b+c=d", sessionToken: "FwoGZXIvYXdzE//token+with/odd=chars")
    static let local = S3Configuration(
        region: "us-east-1", endpoint: URL(string: "http://127.0.0.1:9000"), addressing: .path)
    static let aws = S3Configuration(region: "eu-west-3")
    static let timestamp = "2026-11-25T12:34:56Z"

    static let cases: [Case] = [
        Case(method: "GET", bucket: "fruits", key: "Training/Apple Braeburn/0_100.jpg", configuration: local,
            credentials: example),
        Case(method: "GET", bucket: "fruits", key: "ünïcødé/ключ/+plus=eq&amp;~tilde", configuration: local,
            credentials: temporary),
        Case(method: "GET", bucket: "fruits", query: [("list-type", "2"), ("max-keys", "1000"),
            ("prefix", "Test/Banana Lady Finger/"), ("continuation-token", "1abc/+=xyz")],
            configuration: local, credentials: example),
        Case(method: "PUT", bucket: "fruits", key: "features/part-0.parquet",
            headers: [("content-type", "application/octet-stream")], body: "PAR1 not really parquet PAR1",
            configuration: aws, credentials: example),
        Case(method: "POST", bucket: "fruits", query: [("delete", "")],
            headers: [("content-md5", "1B2M2Y8AsgTpgAmY7PhCfg=="), ("content-type", "application/xml")],
            body: "<Delete><Object><Key>a</Key></Object></Delete>", configuration: aws, credentials: temporary),
        Case(method: "PUT", bucket: "fruits", key: "big.bin", query: [("partNumber", "3"), ("uploadId", "VXBsb2Fk+/=")],
            body: String(repeating: "x", count: 1000), configuration: aws, credentials: example),
        Case(method: "HEAD", bucket: "my.dotted.bucket", key: "a/b", configuration: aws, credentials: example),
    ]

    @Test func authorizationHeadersAndPresignedURLsMatchBotocore() throws {
        let date = try #require(ISO8601DateFormatter().date(from: Self.timestamp))
        var input: [[String: Any]] = []
        var ours: [(authorization: String, presigned: String)] = []
        for item in Self.cases {
            let addressing = Addressing(configuration: item.configuration)
            let (host, path) = addressing.locate(bucket: item.bucket, key: item.key)
            let signer = SigV4Signer(region: item.configuration.region)
            let body = Array(item.body.utf8)
            var request = SignableRequest(
                method: item.method, path: path, query: item.query, headers: [("host", host)] + item.headers)
            let query = request.encodedQuery
            let url = "\(addressing.scheme)://\(host)\(path)\(query.isEmpty ? "" : "?" + query)"
            signer.signHeaders(
                &request, credentials: item.credentials, date: date, payloadHash: Hashing.sha256Hex(body),
                addContentHashHeader: true)
            var presign = SignableRequest(method: item.method, path: path, query: item.query, headers: [("host", host)])
            signer.presign(&presign, credentials: item.credentials, date: date, expires: 900)
            ours.append((
                try #require(request.header("Authorization")),
                "\(addressing.scheme)://\(host)\(path)?\(presign.encodedQuery)"
            ))
            input.append([
                "method": item.method, "url": url, "headers": ([("host", host)] + item.headers).map { [$0.name, $0.value] },
                "body": item.body, "region": item.configuration.region, "access_key": item.credentials.accessKeyID,
                "secret_key": item.credentials.secretAccessKey, "token": item.credentials.sessionToken as Any,
                "timestamp": Self.timestamp, "expires": 900,
            ])
        }
        let output = try PythonProcess.run(
            TestResources.path("botocore_sign.py"), input: try JSONSerialization.data(withJSONObject: input))
        let theirs = try JSONDecoder().decode([BotocoreResult].self, from: output)
        try #require(theirs.count == Self.cases.count)
        for (index, (mine, reference)) in zip(ours, theirs).enumerated() {
            #expect(mine.authorization == reference.authorization, "case \(index)")
            #expect(try Self.queryItems(mine.presigned) == Self.queryItems(reference.presigned_url), "case \(index)")
            #expect(mine.presigned.prefix { $0 != "?" } == reference.presigned_url.prefix { $0 != "?" }, "case \(index)")
        }
    }

    @Test func virtualHostedAddressingOnAWS() {
        let addressing = Addressing(configuration: S3Configuration(region: "eu-west-3"))
        #expect(addressing.locate(bucket: "fruits", key: "a b/c").host == "fruits.s3.eu-west-3.amazonaws.com")
        #expect(addressing.locate(bucket: "fruits", key: "a b/c").path == "/a%20b/c")
        // Dotted buckets break the wildcard certificate, so auto falls back to path style.
        #expect(addressing.locate(bucket: "my.bucket", key: "k").path == "/my.bucket/k")
        let local = Addressing(configuration: Self.local)
        #expect(local.locate(bucket: "fruits", key: "k") == ("127.0.0.1:9000", "/fruits/k"))
        var forced = Self.local
        forced.addressing = .virtualHosted
        #expect(Addressing(configuration: forced).locate(bucket: "fruits", key: "k") == ("fruits.127.0.0.1:9000", "/k"))
    }

    /// Query parameters of a URL, decoded, as a dictionary (order differs between signers, content must not).
    static func queryItems(_ url: String) throws -> [String: String] {
        let query = url.drop { $0 != "?" }.dropFirst()
        var items: [String: String] = [:]
        for pair in query.split(separator: "&") {
            let name = pair.prefix { $0 != "=" }
            items[URIEncoding.decode(name)] = URIEncoding.decode(pair.dropFirst(name.count + 1))
        }
        return items
    }
}
