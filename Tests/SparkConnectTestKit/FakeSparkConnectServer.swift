import Foundation
import GRPCCore
import GRPCNIOTransportHTTP2

/// An in-process Spark Connect server (grpc-swift-2 on 127.0.0.1) that answers as an older Spark
/// release would, as far as a fake can: see `FakeSparkConnectService`.
public final class FakeSparkConnectServer: Sendable {
    /// What the server answered and what it was asked.
    public let service: FakeSparkConnectService
    /// The port it listens on (chosen by the kernel).
    public let port: Int
    private let server: GRPCServer<HTTP2ServerTransport.Posix>
    private let serving: Task<Void, any Error>

    /// Starts a server speaking `compatibility.server`'s protocol, reporting `version`, answering root
    /// queries with `answer` (given the query, e.g. `SELECT count(1) FROM (SELECT …)`).
    public init(
        speaking compatibility: ProtocolCompatibility, version: String,
        answer: @escaping @Sendable (String) -> FakeAnswer? = { _ in nil }
    ) async throws {
        service = FakeSparkConnectService(compatibility: compatibility, version: version, answer: answer)
        let transport = HTTP2ServerTransport.Posix(address: .ipv4(host: "127.0.0.1", port: 0), transportSecurity: .plaintext)
        let server = GRPCServer(transport: transport, services: [service])
        self.server = server
        serving = Task { try await server.serve() }
        guard let address = try await transport.listeningAddress.ipv4 else {
            server.beginGracefulShutdown()
            throw RPCError(code: .internalError, message: "the fake server is not listening on IPv4")
        }
        port = address.port
    }

    /// The connection string of this server.
    public var url: String { "sc://127.0.0.1:\(port)" }

    /// Stops serving and waits until the server is down: gracefully, or after 30 s by cancelling it, as a
    /// client that keeps a connection (or a stream) open would hold a graceful shutdown forever.
    public func stop() async {
        server.beginGracefulShutdown()
        let watchdog = Task { [serving] in
            try await Task.sleep(for: .seconds(30))
            serving.cancel()
        }
        _ = try? await serving.value
        watchdog.cancel()
    }
}
