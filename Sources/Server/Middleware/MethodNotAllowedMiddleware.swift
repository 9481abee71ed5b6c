import HTTPTypes
import Hummingbird

/// A known path asked with a method it does not take is 405 with `Allow` (RFC 9110 §15.5.6), not the
/// router's 404 "No such route", which would send a client looking for a typo in the path.
struct MethodNotAllowedMiddleware<Context: RequestContext>: RouterMiddleware {
    /// Each served path and the methods it takes.
    let routes: [String: [HTTPRequest.Method]]

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        do {
            return try await next(request, context)
        } catch let error as HTTPError where error.status == .notFound {
            guard let allowed = routes[request.uri.path], !allowed.contains(request.method) else { throw error }
            let methods = allowed.map(\.rawValue).joined(separator: ", ")
            var headers = HTTPFields()
            headers[.allow] = methods
            throw Problem(
                .methodNotAllowed, kind: "method-not-allowed", title: "Method not allowed",
                detail: "\(request.uri.path) takes \(methods), not \(request.method.rawValue)", headers: headers)
        }
    }
}
