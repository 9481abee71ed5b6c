import HTTPTypes
import Hummingbird

/// Requires the API key on `/v1/` routes, as `Authorization: Bearer <key>` or `X-API-Key: <key>`;
/// compared in constant time, and never logged. Health, readiness, metrics, the page and the document stay open.
struct APIKeyMiddleware<Context: RequestContext>: RouterMiddleware {
    let key: [UInt8]

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        guard request.uri.path.hasPrefix("/v1/"), request.method != .options else { return try await next(request, context) }
        let given = request.headers[.authorization].flatMap { value in
            value.hasPrefix("Bearer ") ? String(value.dropFirst("Bearer ".count)) : nil
        } ?? request.headers[Self.apiKeyField]
        guard let given, ConstantTime.equal(Array(given.utf8), key) else {
            var headers = HTTPFields()
            headers[.wwwAuthenticate] = "Bearer"
            throw Problem(.unauthorized, kind: "unauthorized", title: "API key required", detail: "send the key as Authorization: Bearer <key>", headers: headers)
        }
        return try await next(request, context)
    }

    static var apiKeyField: HTTPField.Name { HTTPField.Name("X-API-Key")! }
}
