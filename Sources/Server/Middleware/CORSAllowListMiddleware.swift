import HTTPTypes
import Hummingbird

/// CORS for an allow-list of web origins (the app's), or any origin with `*`: their requests get
/// `Access-Control-Allow-Origin` echoed back and their preflights are answered; other origins get no CORS
/// headers, so browsers refuse.
struct CORSAllowListMiddleware<Context: RequestContext>: RouterMiddleware {
    let origins: Set<String>

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        guard let origin = request.headers[.origin], origins.contains(origin) || origins.contains("*") else {
            return try await next(request, context)
        }
        if request.method == .options, request.headers[.accessControlRequestMethod] != nil {
            var response = Response(status: .noContent)
            response.headers[.accessControlAllowMethods] = "GET, POST, OPTIONS"
            response.headers[.accessControlAllowHeaders] = "Content-Type, Authorization, X-API-Key"
            response.headers[.accessControlMaxAge] = "600"
            return allow(response, origin: origin)
        }
        return allow(try await next(request, context), origin: origin)
    }

    private func allow(_ response: Response, origin: String) -> Response {
        var response = response
        response.headers[.accessControlAllowOrigin] = origin
        response.headers[.vary] = "Origin"
        // A 503's Retry-After is for the app's code to read too.
        response.headers[.accessControlExposeHeaders] = "Retry-After"
        return response
    }
}
