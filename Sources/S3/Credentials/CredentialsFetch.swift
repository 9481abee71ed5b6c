import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1

/// Small HTTP exchanges with credential endpoints (STS, ECS agent, EC2 metadata), on AsyncHTTPClient's
/// shared client, with short deadlines and bounded bodies.
enum CredentialsFetch {
    /// Credential documents are a few KiB; anything larger is not one.
    static let maxBodyBytes = 256 * 1024

    struct Reply: Sendable {
        var status: UInt
        var body: [UInt8]
    }

    /// Sends one request; transport failures become `S3Error.credentials` naming the source, never the body.
    static func send(
        _ method: HTTPMethod, _ url: String, headers: [(String, String)] = [], body: [UInt8]? = nil,
        timeout: TimeAmount, source: String
    ) async throws -> Reply {
        var request = HTTPClientRequest(url: url)
        request.method = method
        for (name, value) in headers { request.headers.add(name: name, value: value) }
        if let body { request.body = .bytes(ByteBuffer(bytes: body)) }
        do {
            let response = try await HTTPClient.shared.execute(request, timeout: timeout)
            let buffer = try await response.body.collect(upTo: maxBodyBytes)
            return Reply(status: response.status.code, body: Array(buffer.readableBytesView))
        } catch let error as S3Error {
            throw error
        } catch {
            throw S3Error.credentials(source: source, reason: "request to \(redacted(url)) failed: \(error)")
        }
    }

    /// The URL without its query, where tokens could travel.
    static func redacted(_ url: String) -> String {
        String(url.prefix { $0 != "?" })
    }

    /// The JSON document served by the ECS agent and EC2 metadata.
    struct JSONCredentials: Decodable {
        var AccessKeyId: String
        var SecretAccessKey: String
        var Token: String?
        var Expiration: String?
        var Code: String?
    }

    /// Decodes `AccessKeyId`/`SecretAccessKey`/`Token`/`Expiration`; the body never enters the error.
    static func decodeJSON(_ body: [UInt8], source: String) throws -> AWSCredentials {
        guard let document = try? JSONDecoder().decode(JSONCredentials.self, from: Data(body)) else {
            throw S3Error.credentials(source: source, reason: "response is not a credentials document")
        }
        if let code = document.Code, code != "Success" {
            throw S3Error.credentials(source: source, reason: "service answered Code=\(code)")
        }
        return AWSCredentials(
            accessKeyID: document.AccessKeyId, secretAccessKey: document.SecretAccessKey,
            sessionToken: document.Token, expiration: try document.Expiration.map { try parseDate($0, source: source) })
    }

    /// ISO 8601 time stamps, with or without fractional seconds.
    static func parseDate(_ text: String, source: String) throws -> Date {
        let formatter = ISO8601DateFormatter()
        if let date = formatter.date(from: text) { return date }
        formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        if let date = formatter.date(from: text) { return date }
        throw S3Error.credentials(source: source, reason: "unreadable expiration '\(text)'")
    }
}
