import Foundation
import Hummingbird
import Logging

/// One structured log line per request: method, route, status, duration and body sizes. Never the
/// body, the query or headers (they may hold an image or an API key).
struct AccessLogMiddleware<Context: RequestContext>: RouterMiddleware {
    let logger: Logger

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        let start = ContinuousClock.now
        var response = try await next(request, context)
        let status = response.status.code
        let received = request.headers[.contentLength] ?? "-"
        // The route pattern, not the path: a client's path is not echoed into the log.
        let route = context.endpointPath ?? "unmatched"
        let method = request.method.rawValue
        let sent = response.body.contentLength.map(String.init) ?? "-"
        response.body = response.body.afterWrite { [logger] in
            let elapsed = ContinuousClock.now - start
            logger.info("request", metadata: [
                "method": "\(method)", "route": "\(route)", "status": "\(status)",
                "duration_ms": "\(Self.milliseconds(elapsed))", "bytes_in": "\(received)",
                "bytes_out": "\(sent)",
            ])
        }
        return response
    }

    static func milliseconds(_ duration: Duration) -> String {
        String(format: "%.2f", Double(duration.components.seconds) * 1e3 + Double(duration.components.attoseconds) / 1e15)
    }
}
