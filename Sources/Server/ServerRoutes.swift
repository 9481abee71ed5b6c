import Foundation
import HTTPTypes
import Hummingbird
import Logging
import NIOCore
import OpenAPIHummingbird

/// The router: middleware from the outside in (access log, metrics, HEAD, CORS, problems, methods, API key,
/// classify gate), the plain routes (page, document, metrics) and the routes generated from the OpenAPI document.
struct ServerRoutes {
    let model: ServedModel
    let configuration: ServerConfiguration
    let readiness: Readiness
    let logger: Logger

    func router() throws -> Router<OrchardRequestContext> {
        let metrics = ServerMetrics()
        let admission = Admission(capacity: model.recognizer.pool.workerCount + configuration.maxWaiting)
        let router = Router(context: OrchardRequestContext.self)
        router.add(middleware: AccessLogMiddleware(logger: logger))
        router.add(middleware: RequestMetricsMiddleware(metrics: metrics))
        router.add(middleware: HeadMiddleware())
        if !configuration.corsOrigins.isEmpty {
            router.add(middleware: CORSAllowListMiddleware(origins: Set(configuration.corsOrigins)))
        }
        router.add(middleware: ProblemMiddleware(retryAfter: configuration.retryAfterSeconds))
        router.add(middleware: MethodNotAllowedMiddleware(routes: Self.methods))
        if let key = configuration.apiKey {
            router.add(middleware: APIKeyMiddleware(key: Array(key.utf8)))
        }
        router.add(middleware: ClassifyGateMiddleware(
            path: "/v1/classify", admission: admission, maxBodyBytes: configuration.maxBodyBytes, retryAfter: configuration.retryAfterSeconds))

        let page = try Self.resource("index.html")
        let document = try Self.resource("openapi.yaml")
        for method in [HTTPRequest.Method.get, .head] {
            router.on("/", method: method) { _, _ in Self.response(page, type: "text/html; charset=utf-8") }
            router.on("/openapi.yaml", method: method) { _, _ in Self.response(document, type: "application/yaml") }
            router.on("/metrics", method: method) { [pool = model.recognizer.pool] _, _ in
                Self.response(metrics.exposition(queueDepth: pool.waiting, admitted: admission.admitted), type: "text/plain; version=0.0.4")
            }
        }
        let handler = APIHandler(model: model, configuration: configuration, readiness: readiness)
        try handler.registerHandlers(on: HeadAlongsideGetTransport(router: router))
        return router
    }

    /// Every path served and its methods (the plain routes above and the document's operations; HEAD
    /// wherever GET is).
    static let methods: [String: [HTTPRequest.Method]] = [
        "/": [.get, .head], "/openapi.yaml": [.get, .head], "/metrics": [.get, .head], "/healthz": [.get, .head],
        "/readyz": [.get, .head], "/v1/model": [.get, .head], "/v1/classify": [.post],
    ]

    private static func resource(_ name: String) throws -> [UInt8] {
        guard let url = Bundle.module.url(forResource: name, withExtension: nil, subdirectory: "Resources") else {
            throw Problem(.internalServerError, kind: "internal", title: "Missing resource", detail: name)
        }
        return [UInt8](try Data(contentsOf: url))
    }

    private static func response(_ bytes: [UInt8], type: String) -> Response {
        Response(status: .ok, headers: [.contentType: type], body: .init(byteBuffer: ByteBuffer(bytes: bytes)))
    }
}
