import Foundation
import HTTPTypes
import Hummingbird

/// An RFC 9457 problem: every error the server answers with, as `application/problem+json`.
/// https://www.rfc-editor.org/rfc/rfc9457
public struct Problem: Error, Sendable, Equatable {
    /// The HTTP status.
    public var status: HTTPResponse.Status
    /// A URI naming the kind of problem (`urn:orchard:problem:<kind>`).
    public var type: String
    /// A short summary of the kind, the same for every occurrence.
    public var title: String
    /// What went wrong with this request.
    public var detail: String?
    /// Extra response headers (`Retry-After`).
    public var headers: HTTPFields

    /// A problem of `kind` (a short slug) with `status`.
    public init(_ status: HTTPResponse.Status, kind: String, title: String, detail: String? = nil, headers: HTTPFields = [:]) {
        self.status = status
        self.type = "urn:orchard:problem:" + kind
        self.title = title
        self.detail = detail
        self.headers = headers
    }

    /// The response: the problem's JSON with its status and headers.
    func response() -> Response {
        var headers = headers
        headers[.contentType] = "application/problem+json"
        let body = Body(type: type, title: title, status: Int(status.code), detail: detail)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        let data = (try? encoder.encode(body)) ?? Data(#"{"status":500,"title":"Internal error","type":"about:blank"}"#.utf8)
        return Response(status: status, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: data)))
    }

    private struct Body: Encodable {
        let type: String
        let title: String
        let status: Int
        let detail: String?
    }
}

extension Problem {
    /// The body is larger than the server takes.
    static func tooLarge(limit: Int) -> Problem {
        Problem(.contentTooLarge, kind: "too-large", title: "Request body too large", detail: "the limit is \(limit) bytes")
    }

    /// Every network is busy and the line is full, or the request waited too long.
    static func busy(_ detail: String, retryAfter: Int) -> Problem {
        var headers = HTTPFields()
        headers[.retryAfter] = String(retryAfter)
        return Problem(.serviceUnavailable, kind: "busy", title: "Server busy", detail: detail, headers: headers)
    }

    /// The body is not a JPEG or PNG image.
    static func unsupportedMediaType(_ detail: String) -> Problem {
        Problem(.unsupportedMediaType, kind: "unsupported-media-type", title: "Not a JPEG or PNG image", detail: detail)
    }

    /// The image could not be decoded, or is too large to decode.
    static func undecodable(_ detail: String) -> Problem {
        Problem(.unprocessableContent, kind: "undecodable-image", title: "Image cannot be used", detail: detail)
    }

    /// A parameter or the request's framing is wrong.
    static func badRequest(_ detail: String) -> Problem {
        Problem(.badRequest, kind: "bad-request", title: "Bad request", detail: detail)
    }
}
