import HTTPTypes
import Hummingbird
import OpenAPIHummingbird
import OpenAPIRuntime

/// Registers the document's operations on the router, each GET one for HEAD as well (load balancers and
/// `curl -I` probe with HEAD; `HeadMiddleware` drops the body). The document itself lists GET only.
struct HeadAlongsideGetTransport<Context: RequestContext>: ServerTransport {
    let router: Router<Context>

    func register(
        _ handler: @Sendable @escaping (HTTPRequest, HTTPBody?, ServerRequestMetadata) async throws -> (HTTPResponse, HTTPBody?),
        method: HTTPRequest.Method, path: String
    ) throws {
        router.register(handler, method: method, path: path)
        if method == .get { router.register(handler, method: .head, path: path) }
    }
}
