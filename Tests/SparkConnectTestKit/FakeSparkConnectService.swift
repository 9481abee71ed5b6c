import Foundation
import GRPCCore
import GRPCProtobuf
import SparkConnectProtos
import SwiftProtobuf
import Synchronization

/// The RPCs of a fake Spark Connect server that speaks an older release's protocol:
/// - it serves exactly the RPCs of that release's descriptor set; the others fail UNIMPLEMENTED, as
///   grpc-java answers a method its service does not have;
/// - it refuses (INVALID_ARGUMENT) any request that uses a field, type or enum value the release lacks,
///   where a real server would skip the field silently, and checks its own answers the same way;
/// - it keeps every call, query, setting and artifact, and answers root queries from a script.
public final class FakeSparkConnectService: RegistrableRPCService, Sendable {
    /// One request as the client sent it.
    public struct Call: Sendable {
        /// The RPC's name, e.g. `ExecutePlan`.
        public let rpc: String
        /// The serialized request (one call per message of a client stream).
        public let request: [UInt8]
    }

    struct State {
        var calls: [Call] = []
        var refusals: [String] = []
        var queries: [String] = []
        var config: [String: String] = [:]
        var artifacts: [String: Int] = [:]
        var operations: [String: [Spark_Connect_ExecutePlanResponse]] = [:]
    }

    let compatibility: ProtocolCompatibility
    let version: String
    let answer: @Sendable (String) -> FakeAnswer?
    let state = Mutex(State())

    init(compatibility: ProtocolCompatibility, version: String, answer: @escaping @Sendable (String) -> FakeAnswer?) {
        self.compatibility = compatibility
        self.version = version
        self.answer = answer
    }

    /// Every request received, in order, including those refused.
    public var calls: [Call] { state.withLock { $0.calls } }
    /// Why requests were refused (what the release lacks), in order.
    public var refusals: [String] { state.withLock { $0.refusals } }
    /// The SQL text of every `SqlCommand`, in order.
    public var queries: [String] { state.withLock { $0.queries } }
    /// The session settings the client made.
    public var config: [String: String] { state.withLock { $0.config } }
    /// Bytes received per artifact name.
    public var artifacts: [String: Int] { state.withLock { $0.artifacts } }

    public func registerMethods<Transport: ServerTransport>(with router: inout RPCRouter<Transport>) {
        typealias Method = Spark_Connect_SparkConnectService.Method
        register(Method.ExecutePlan.descriptor, with: &router, executePlan)
        register(Method.AnalyzePlan.descriptor, with: &router, analyzePlan)
        register(Method.Config.descriptor, with: &router, config)
        register(Method.AddArtifacts.descriptor, with: &router, addArtifacts)
        register(Method.ReattachExecute.descriptor, with: &router, reattachExecute)
        register(Method.ReleaseExecute.descriptor, with: &router, releaseExecute)
        // The fake does not answer these; a release without them answers UNIMPLEMENTED before this runs.
        register(Method.ArtifactStatus.descriptor, with: &router, unanswered(Method.ArtifactStatus.Input.self, Method.ArtifactStatus.Output.self))
        register(Method.Interrupt.descriptor, with: &router, unanswered(Method.Interrupt.Input.self, Method.Interrupt.Output.self))
        register(Method.ReleaseSession.descriptor, with: &router, unanswered(Method.ReleaseSession.Input.self, Method.ReleaseSession.Output.self))
        register(Method.FetchErrorDetails.descriptor, with: &router, unanswered(Method.FetchErrorDetails.Input.self, Method.FetchErrorDetails.Output.self))
        register(Method.CloneSession.descriptor, with: &router, unanswered(Method.CloneSession.Input.self, Method.CloneSession.Output.self))
        register(Method.GetStatus.descriptor, with: &router, unanswered(Method.GetStatus.Input.self, Method.GetStatus.Output.self))
    }

    private func register<Input: SwiftProtobuf.Message, Output: SwiftProtobuf.Message, Transport: ServerTransport>(
        _ method: MethodDescriptor, with router: inout RPCRouter<Transport>,
        _ answer: @escaping @Sendable ([Input]) throws -> [Output]
    ) {
        router.registerHandler(
            forMethod: method, deserializer: RecordingDeserializer<Input>(), serializer: ProtobufSerializer<Output>()
        ) { request, _ in
            var received: [Received<Input>] = []
            for try await message in request.messages { received.append(message) }
            do {
                let outputs = try self.handle(method.method, received, answer)
                return StreamingServerResponse { writer in
                    try await writer.write(contentsOf: outputs)
                    return [:]
                }
            } catch let error as RPCError {
                return StreamingServerResponse(of: Output.self, error: error)
            }
        }
    }

    /// Records the call, answers UNIMPLEMENTED for an RPC the release lacks, refuses what it would not
    /// understand, and checks the answer against the release too.
    private func handle<Input: SwiftProtobuf.Message, Output: SwiftProtobuf.Message>(
        _ rpc: String, _ received: [Received<Input>], _ answer: ([Input]) throws -> [Output]
    ) throws -> [Output] {
        state.withLock { state in state.calls += received.map { Call(rpc: rpc, request: $0.bytes) } }
        guard compatibility.server.methods["\(ProtocolCompatibility.service)/\(rpc)"] != nil else {
            throw RPCError(code: .unimplemented, message: "Method not found: \(ProtocolCompatibility.service)/\(rpc)")
        }
        for request in received {
            do {
                try compatibility.check(rpc: rpc, request: request.bytes)
            } catch {
                state.withLock { $0.refusals.append("\(rpc): \(error)") }
                throw RPCError(code: .invalidArgument, message: "\(compatibility.server.release) would not read this request: \(error)")
            }
        }
        let outputs = try answer(received.map(\.message))
        for output in outputs {
            do {
                try compatibility.check(message: output)
            } catch {
                throw RPCError(code: .internalError, message: "the fake's answer is not \(compatibility.server.release)'s: \(error)")
            }
        }
        return outputs
    }

    private func unanswered<Input: SwiftProtobuf.Message, Output: SwiftProtobuf.Message>(
        _ input: Input.Type, _ output: Output.Type
    ) -> @Sendable ([Input]) throws -> [Output] {
        { _ in throw RPCError(code: .internalError, message: "the fake server does not answer \(Input.protoMessageName)") }
    }
}
