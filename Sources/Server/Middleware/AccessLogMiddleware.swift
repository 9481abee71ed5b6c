import Foundation
import Hummingbird
import Logging

/// One structured log line per request: method, route, status, duration and body sizes (`bytes_in`: the
/// body bytes the server read, not the `Content-Length` the client declared). Never the body, the query
/// or headers (they may hold an image or an API key).
struct AccessLogMiddleware<Context: RequestContext>: RouterMiddleware {
    let logger: Logger

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        let start = ContinuousClock.now
        let received = ByteCount()
        var request = request
        request.body = request.body.counted(into: received)
        var response = try await next(request, context)
        let status = response.status.code
        // The route pattern, not the path: a client's path is not echoed into the log.
        let route = context.endpointPath ?? "unmatched"
        let method = request.method.rawValue
        let sent = response.body.contentLength.map(String.init) ?? "-"
        response.body = response.body.afterWrite { [logger] in
            let elapsed = ContinuousClock.now - start
            logger.info("request", metadata: [
                "method": "\(method)", "route": "\(route)", "status": "\(status)",
                "duration_ms": "\(Self.milliseconds(elapsed))", "bytes_in": "\(received.value)",
                "bytes_out": "\(sent)",
            ])
        }
        return response
    }

    static func milliseconds(_ duration: Duration) -> String {
        String(format: "%.2f", Double(duration.components.seconds) * 1e3 + Double(duration.components.attoseconds) / 1e15)
    }
}
