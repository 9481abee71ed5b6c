import Hummingbird

/// Answers `HEAD` without a body, as HTTP requires (RFC 9110 §9.3.2): the route's status and headers,
/// `Content-Length` included. Each GET route is also registered for HEAD (`ServerRoutes`,
/// `HeadAlongsideGetTransport`), so a HEAD runs the GET handler; a HEAD elsewhere gets its problem's
/// status and headers.
///
/// Not Hummingbird's `.autoGenerateHeadEndpoints`: it drops the body outside every middleware, after the
/// access log and the metrics wrapped it, so a HEAD would never be logged nor leave the in-flight count.
struct HeadMiddleware<Context: RequestContext>: RouterMiddleware {
    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        guard request.method == .head else { return try await next(request, context) }
        return try await next(request, context).createHeadResponse()
    }
}
