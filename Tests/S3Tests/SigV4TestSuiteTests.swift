import Foundation
import Testing

@testable import S3

/// AWS's published SigV4 test suite (Resources/sigv4-test-suite): every intermediate must match.
@Suite struct SigV4TestSuiteTests {
    struct Context: Decodable {
        struct Keys: Decodable {
            var access_key_id: String
            var secret_access_key: String
            var token: String?
        }
        var credentials: Keys
        var expiration_in_seconds: Int
        var normalize: Bool
        var region: String
        var service: String
        var sign_body: Bool
        var timestamp: String
    }

    struct Vector {
        var name: String
        var context: Context
        var request: SignableRequest
        var body: [UInt8]
        var date: Date
        var credentials: AWSCredentials
        var signer: SigV4Signer
        var payloadHash: String { Hashing.sha256Hex(body) }
        func expected(_ file: String) throws -> String {
            try TestResources.text("sigv4-test-suite/\(name)/\(file)")
        }
    }

    static let names: [String] = {
        let folder = TestResources.folder.appendingPathComponent("sigv4-test-suite")
        let entries = (try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []
        return entries.filter { !$0.hasSuffix(".md") }.sorted()
    }()

    static func load(_ name: String) throws -> Vector {
        let contextData = try Data(contentsOf: TestResources.folder.appendingPathComponent("sigv4-test-suite/\(name)/context.json"))
        let context = try JSONDecoder().decode(Context.self, from: contextData)
        let (request, body) = try parseRequest(try TestResources.text("sigv4-test-suite/\(name)/request.txt"))
        let date = try #require(ISO8601DateFormatter().date(from: context.timestamp))
        let credentials = AWSCredentials(
            accessKeyID: context.credentials.access_key_id, secretAccessKey: context.credentials.secret_access_key,
            sessionToken: context.credentials.token)
        let signer = SigV4Signer(
            region: context.region, service: context.service,
            pathRule: context.normalize ? .normalizedAndEncoded : .asSent)
        return Vector(
            name: name, context: context, request: request, body: body, date: date, credentials: credentials,
            signer: signer)
    }

    /// `METHOD path?query HTTP/1.1`, `Name:value` lines, blank line, body — the suite's request.txt format.
    static func parseRequest(_ text: String) throws -> (SignableRequest, [UInt8]) {
        let parts = text.components(separatedBy: "\n\n")
        var lines = parts[0].components(separatedBy: "\n")
        let requestLine = lines.removeFirst()
        let method = String(requestLine.prefix { $0 != " " })
        let target = String(requestLine.dropFirst(method.count + 1).dropLast(" HTTP/1.1".count))
        let path = String(target.prefix { $0 != "?" })
        var query: [(name: String, value: String)] = []
        if target.count > path.count {
            for pair in target.dropFirst(path.count + 1).split(separator: "&") {
                let name = pair.prefix { $0 != "=" }
                let value = pair.dropFirst(name.count + 1)
                query.append((URIEncoding.decode(name), URIEncoding.decode(value)))
            }
        }
        let headers = try lines.filter { !$0.isEmpty }.map { line -> (name: String, value: String) in
            let colon = try #require(line.firstIndex(of: ":"))
            return (String(line[..<colon]), String(line[line.index(after: colon)...]))
        }
        let body = parts.count > 1 ? Array(parts[1...].joined(separator: "\n\n").utf8) : []
        return (SignableRequest(method: method, path: path, query: query, headers: headers), body)
    }

    @Test func vectorsArePresent() {
        #expect(Self.names.count >= 10)
        #expect(Self.names.contains("get-vanilla"))
        #expect(Self.names.contains("post-x-www-form-urlencoded"))
    }

    @Test(arguments: names) func headerSigning(name: String) throws {
        let vector = try Self.load(name)
        var request = vector.request
        let result = vector.signer.signHeaders(
            &request, credentials: vector.credentials, date: vector.date, payloadHash: vector.payloadHash,
            addContentHashHeader: vector.context.sign_body)
        #expect(result.canonicalRequest == (try vector.expected("header-canonical-request.txt")))
        #expect(result.stringToSign == (try vector.expected("header-string-to-sign.txt")))
        #expect(result.signature == (try vector.expected("header-signature.txt")))
        let authorization = try #require(request.header("Authorization"))
        #expect(authorization.hasSuffix("Signature=\(try vector.expected("header-signature.txt"))"))
        #expect(authorization.hasPrefix("AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request"))
    }

    @Test(arguments: names) func querySigning(name: String) throws {
        let vector = try Self.load(name)
        var request = vector.request
        let result = vector.signer.presign(
            &request, credentials: vector.credentials, date: vector.date,
            expires: vector.context.expiration_in_seconds, payloadHash: vector.payloadHash)
        #expect(result.canonicalRequest == (try vector.expected("query-canonical-request.txt")))
        #expect(result.signature == (try vector.expected("query-signature.txt")))
        #expect(request.query.last?.name == "X-Amz-Signature")
        #expect(request.query.last?.value == (try vector.expected("query-signature.txt")))
    }

    @Test func signingKeyMatchesAWSDocumentationExample() {
        // The worked example of the SigV4 documentation: secret wJalr…, 20120215, us-east-1, iam.
        let signer = SigV4Signer(region: "us-east-1", service: "iam")
        let key = signer.signingKey(secret: "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY", date: "20120215")
        #expect(Hashing.hex(key) == "f4780e2d9f65fa895f9c67b32ce1baf0b0d8a43505a000a1a9e090d414db404d")
    }
}
