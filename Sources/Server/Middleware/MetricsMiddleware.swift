import Hummingbird

/// Counts every request (by method, route pattern and status), times it and tracks how many are in flight.
struct RequestMetricsMiddleware<Context: RequestContext>: RouterMiddleware {
    let metrics: ServerMetrics

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        let start = ContinuousClock.now
        metrics.started()
        let method = request.method.rawValue
        do {
            var response = try await next(request, context)
            let status = Int(response.status.code)
            let route = context.endpointPath ?? "unmatched"
            response.body = response.body.afterWrite { [metrics] in
                metrics.finished(method: method, route: route, status: status, duration: ContinuousClock.now - start)
            }
            return response
        } catch {
            // Below the problem middleware nothing throws; this keeps the in-flight count right if something does.
            metrics.finished(method: method, route: context.endpointPath ?? "unmatched", status: 500, duration: ContinuousClock.now - start)
            throw error
        }
    }
}
