import HTTPTypes
import Hummingbird
import NIOCore

/// In front of `POST /v1/classify`: admits at most `admission.capacity` requests at once (503 with
/// `Retry-After` beyond), refuses bodies over `maxBodyBytes` (413) by their `Content-Length` or while
/// reading them, and hands the handler the body already in memory and the connection's `ClientDeparture`,
/// so a request whose client left gives up its place in the networks' line.
struct ClassifyGateMiddleware: RouterMiddleware {
    typealias Context = OrchardRequestContext

    let path: String
    let admission: Admission
    let maxBodyBytes: Int
    let retryAfter: Int

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        guard request.uri.path == path, request.method == .post else { return try await next(request, context) }
        if let declared = request.headers[.contentLength].flatMap(Int.init), declared > maxBodyBytes {
            throw Problem.tooLarge(limit: maxBodyBytes)
        }
        guard admission.enter() else {
            throw Problem.busy("\(admission.capacity) requests are already being served or waiting; try again shortly", retryAfter: retryAfter)
        }
        defer { admission.leave() }
        var request = request
        do {
            _ = try await request.collectBody(upTo: maxBodyBytes)
        } catch is NIOTooManyBytesError {
            throw Problem.tooLarge(limit: maxBodyBytes)
        }
        let departure = await DepartureHandler.departure(of: context.channel)
        return try await ClientDeparture.$current.withValue(departure) { try await next(request, context) }
    }
}
