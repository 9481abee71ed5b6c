import Hummingbird
import Logging

/// Answers every error below it with its RFC 9457 problem document; errors that are the server's
/// fault are logged (the client only sees a generic 500).
struct ProblemMiddleware<Context: RequestContext>: RouterMiddleware {
    let retryAfter: Int

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        do {
            return try await next(request, context)
        } catch {
            let (problem, serverFault) = ProblemTranslation.problem(for: error, retryAfter: retryAfter)
            if serverFault {
                context.logger.error("request failed", metadata: ["route": "\(context.endpointPath ?? request.uri.path)", "error": "\(error)"])
            }
            return problem.response()
        }
    }
}
