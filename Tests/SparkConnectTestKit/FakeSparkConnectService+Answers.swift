import Foundation
import GRPCCore
import SparkConnectProtos

// What the fake answers, in the shapes Spark 3.5's SparkConnectService sends (only fields 3.5 has:
// the service checks every answer against the release's descriptors).
extension FakeSparkConnectService {
    func analyzePlan(_ requests: [Spark_Connect_AnalyzePlanRequest]) throws -> [Spark_Connect_AnalyzePlanResponse] {
        let request = try single(requests)
        var response = Spark_Connect_AnalyzePlanResponse()
        response.sessionID = request.sessionID
        guard case .sparkVersion? = request.analyze else {
            throw RPCError(code: .internalError, message: "the fake server analyzes no plans, it only reports its version")
        }
        response.sparkVersion.version = version
        return [response]
    }

    func config(_ requests: [Spark_Connect_ConfigRequest]) throws -> [Spark_Connect_ConfigResponse] {
        let request = try single(requests)
        var response = Spark_Connect_ConfigResponse()
        response.sessionID = request.sessionID
        try state.withLock { state in
            switch request.operation.opType {
            case .set(let set)?:
                for pair in set.pairs { state.config[pair.key] = pair.value }
            case .getOption(let get)?:
                response.pairs = get.keys.map { key in
                    var pair = Spark_Connect_KeyValue()
                    pair.key = key
                    if let value = state.config[key] { pair.value = value }
                    return pair
                }
            case .unset(let unset)?:
                for key in unset.keys { state.config[key] = nil }
            default:
                throw RPCError(code: .internalError, message: "the fake server does not answer Config \(String(describing: request.operation.opType))")
            }
        }
        return [response]
    }

    func addArtifacts(_ requests: [Spark_Connect_AddArtifactsRequest]) throws -> [Spark_Connect_AddArtifactsResponse] {
        var response = Spark_Connect_AddArtifactsResponse()
        var received: [String: Int] = [:]
        func summary(_ name: String, _ ok: Bool) -> Spark_Connect_AddArtifactsResponse.ArtifactSummary {
            var summary = Spark_Connect_AddArtifactsResponse.ArtifactSummary()
            summary.name = name
            summary.isCrcSuccessful = ok
            return summary
        }
        var open: (begin: Spark_Connect_AddArtifactsRequest.BeginChunkedArtifact, chunks: Int64, bytes: Int, ok: Bool)?
        for request in requests {
            switch request.payload {
            case .batch(let batch)?:
                for artifact in batch.artifacts {
                    response.artifacts.append(summary(artifact.name, Self.crcMatches(artifact.data)))
                    received[artifact.name] = artifact.data.data.count
                }
            case .beginChunk(let begin)?:
                guard open == nil else { throw RPCError(code: .internalError, message: "begin_chunk inside \(open!.begin.name)") }
                open = (begin, 1, begin.initialChunk.data.count, Self.crcMatches(begin.initialChunk))
            case .chunk(let chunk)?:
                guard open != nil else { throw RPCError(code: .internalError, message: "chunk without begin_chunk") }
                open!.chunks += 1
                open!.bytes += chunk.data.count
                open!.ok = open!.ok && Self.crcMatches(chunk)
            case nil:
                throw RPCError(code: .internalError, message: "AddArtifactsRequest without payload")
            }
            if let artifact = open, artifact.chunks == artifact.begin.numChunks {
                response.artifacts.append(summary(artifact.begin.name, artifact.ok && artifact.bytes == artifact.begin.totalBytes))
                received[artifact.begin.name] = artifact.bytes
                open = nil
            }
        }
        if let artifact = open { throw RPCError(code: .internalError, message: "\(artifact.begin.name): stream ended after \(artifact.chunks) chunks") }
        state.withLock { $0.artifacts.merge(received) { _, new in new } }
        return [response]
    }

    func releaseExecute(_ requests: [Spark_Connect_ReleaseExecuteRequest]) throws -> [Spark_Connect_ReleaseExecuteResponse] {
        let request = try single(requests)
        state.withLock { _ = $0.operations.removeValue(forKey: request.operationID) }
        var response = Spark_Connect_ReleaseExecuteResponse()
        response.sessionID = request.sessionID
        response.operationID = request.operationID
        return [response]
    }

    func single<Request>(_ requests: [Request]) throws -> Request {
        guard requests.count == 1 else { throw RPCError(code: .internalError, message: "expected one request, got \(requests.count)") }
        return requests[0]
    }

    static func crcMatches(_ chunk: Spark_Connect_AddArtifactsRequest.ArtifactChunk) -> Bool {
        Int64(CRC32.of(chunk.data)) == chunk.crc
    }
}

/// CRC-32 (ISO-HDLC, java.util.zip.CRC32's), the fake's own, not the client's.
enum CRC32 {
    static let table: [UInt32] = (0 ..< 256).map { n in
        (0 ..< 8).reduce(UInt32(n)) { c, _ in c & 1 == 1 ? 0xEDB8_8320 ^ (c >> 1) : c >> 1 }
    }

    static func of(_ data: Data) -> UInt32 {
        ~data.reduce(~UInt32(0)) { table[Int(($0 ^ UInt32($1)) & 0xFF)] ^ ($0 >> 8) }
    }
}
