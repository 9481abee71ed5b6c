import Foundation
import Hummingbird
import HummingbirdCore
import HummingbirdTLS
import Logging
import NIOCore
import NIOSSL
import ServiceLifecycle

/// `orchard serve`: the HTTP API over one recogniser — classify, model, health, readiness, metrics,
/// the OpenAPI document and the upload page — on Hummingbird, stopped gracefully by SIGTERM/SIGINT.
public struct OrchardServer: Sendable {
    /// What is served.
    public let model: ServedModel
    /// How it is served.
    public let configuration: ServerConfiguration
    private let logger: Logger

    /// A server for `model`; nothing listens until `run`.
    public init(model: ServedModel, configuration: ServerConfiguration, logger: Logger) {
        self.model = model
        self.configuration = configuration
        self.logger = logger
    }

    /// Serves until SIGTERM or SIGINT, then stops accepting connections and finishes the requests in
    /// flight. `onListening` gets the bound port once connections are accepted.
    public func run(onListening: @escaping @Sendable (Int) async -> Void = { _ in }) async throws {
        let readiness = Readiness(logger: logger)
        let app = try application(readiness: readiness, onListening: onListening)
        let group = ServiceGroup(configuration: .init(
            services: [app, readiness], gracefulShutdownSignals: [.sigterm, .sigint], logger: logger))
        do {
            try await group.run()
            logger.info("stopped")
        } catch let error as IOError where error.errnoCode == EADDRINUSE {
            throw ListenError(address: address, reason: "the port is in use (another server holds it; pick another --port)")
        } catch let error as IOError where error.errnoCode == EADDRNOTAVAIL || error.errnoCode == EACCES {
            throw ListenError(address: address, reason: String(cString: strerror(error.errnoCode)))
        } catch is SocketAddressError {
            throw ListenError(address: address, reason: "no such host or address on this machine")
        }
    }

    /// The Hummingbird application, not yet running (tests run it without `run`'s signal handling).
    func application(
        readiness: Readiness, onListening: @escaping @Sendable (Int) async -> Void
    ) throws -> Application<RouterResponder<OrchardRequestContext>> {
        let router = try ServerRoutes(model: model, configuration: configuration, readiness: readiness, logger: logger).router()
        return Application(
            router: router,
            server: try serverBuilder(),
            configuration: .init(address: .hostname(configuration.host, port: configuration.port), serverName: "orchard"),
            onServerRunning: { channel in
                readiness.listening()
                await onListening(channel.localAddress?.port ?? configuration.port)
            },
            logger: logger)
    }

    private var address: String { "\(configuration.host):\(configuration.port)" }

    /// HTTP/1.1, over TLS when a certificate and key are configured; each connection watched for its client leaving.
    private func serverBuilder() throws -> HTTPServerBuilder {
        let http = HTTPServerBuilder.http1(configuration: .init(
            additionalChannelHandlers: [DepartureHandler()], idleTimeout: .nanoseconds(configuration.idleTimeout.nanoseconds)))
        guard let tls = configuration.tls else { return http }
        let chain = try NIOSSLCertificate.fromPEMFile(tls.certificate).map { NIOSSLCertificateSource.certificate($0) }
        let key = try NIOSSLPrivateKey(file: tls.key, format: .pem)
        return try .tls(http, tlsConfiguration: .makeServerConfiguration(certificateChain: chain, privateKey: .privateKey(key)))
    }
}

extension Duration {
    /// The whole nanoseconds in this duration.
    var nanoseconds: Int64 { components.seconds * 1_000_000_000 + components.attoseconds / 1_000_000_000 }
}

/// The server could not listen where it was told to.
public struct ListenError: Error, CustomStringConvertible {
    /// `host:port` as configured.
    public let address: String
    /// Why, in words.
    public let reason: String
    public var description: String { "cannot listen on \(address): \(reason)" }
}
