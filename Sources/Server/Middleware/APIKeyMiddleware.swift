import Foundation
import HTTPTypes
import Hummingbird

/// Requires the API key on `/v1/` routes, as `Authorization: Bearer <key>` or `X-API-Key: <key>`;
/// compared in constant time, and never logged. Health, readiness, metrics, the page and the document stay open.
struct APIKeyMiddleware<Context: RequestContext>: RouterMiddleware {
    let key: [UInt8]

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        guard request.uri.path.hasPrefix("/v1/"), request.method != .options else { return try await next(request, context) }
        let given = request.headers[.authorization].flatMap(Self.bearerToken) ?? request.headers[Self.apiKeyField]
        guard let given, ConstantTime.equal(Array(given.utf8), key) else {
            var headers = HTTPFields()
            headers[.wwwAuthenticate] = "Bearer"
            throw Problem(.unauthorized, kind: "unauthorized", title: "API key required", detail: "send the key as Authorization: Bearer <key>", headers: headers)
        }
        return try await next(request, context)
    }

    static var apiKeyField: HTTPField.Name { HTTPField.Name("X-API-Key")! }

    /// The token of a `Bearer` credential; the scheme is case-insensitive (RFC 9110 §11.1).
    static func bearerToken(_ value: String) -> String? {
        let scheme = "bearer "
        guard value.utf8.count > scheme.utf8.count, value.prefix(scheme.count).lowercased() == scheme else { return nil }
        return String(value.dropFirst(scheme.count)).trimmingCharacters(in: .whitespaces)
    }
}
