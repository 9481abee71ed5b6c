import GRPCCore
import SparkConnectProtos
import Synchronization

/// What one `ExecutePlan` produced.
struct ExecutionResult: Sendable {
    /// The decoded `arrow_batch` results, in order.
    var batches: [RecordBatch] = []
    /// For a SQL command: the relation to use as the resulting DataFrame's plan.
    var sqlCommandRelation: Relation?
}

/// The state of one reattachable execution, fed by the `@Sendable` response-stream handlers of
/// successive ExecutePlan / ReattachExecute calls.
final class ExecutionStream: Sendable {
    private struct State {
        var result = ExecutionResult()
        var lastResponseID: String?
        var responseCount = 0
        var complete = false
        var serverSideSessionID: String?
        /// Chunks of an `arrow_batch` the server split (`num_chunks_in_batch` > 1), until the last.
        var pendingChunks: [UInt8] = []
        var breakAfter: Int?
    }

    /// Largest reassembled Arrow batch accepted.
    static let maxChunkedBatchBytes = 1 << 30

    private let state: Mutex<State>
    private let progress: ProgressHandler?

    init(progress: ProgressHandler?, breakAfter: Int?) {
        self.progress = progress
        state = Mutex(State(breakAfter: breakAfter))
    }

    var lastResponseID: String? { state.withLock { $0.lastResponseID } }
    var responseCount: Int { state.withLock { $0.responseCount } }
    var isComplete: Bool { state.withLock { $0.complete } }
    var serverSideSessionID: String? { state.withLock { $0.serverSideSessionID } }

    func result() throws -> ExecutionResult {
        try state.withLock { state in
            guard state.pendingChunks.isEmpty else {
                throw SparkConnectError.unexpectedResponse(rpc: "ExecutePlan", reason: "the last Arrow batch is incomplete")
            }
            return state.result
        }
    }

    /// Consumes a response stream until it ends.
    func consume(_ messages: RPCAsyncSequence<ExecutePlanResponse, any Error>) async throws {
        for try await response in messages { try consume(response) }
    }

    private func consume(_ response: ExecutePlanResponse) throws {
        let snapshot: ExecutionProgress? = try state.withLock { state in
            if let breakAfter = state.breakAfter, state.responseCount >= breakAfter {
                state.breakAfter = nil
                throw RPCError(code: .unavailable, message: "stream broken on purpose after \(breakAfter) responses")
            }
            state.responseCount += 1
            state.lastResponseID = response.responseID
            if !response.serverSideSessionID.isEmpty { state.serverSideSessionID = response.serverSideSessionID }
            switch response.responseType {
            case .arrowBatch(let batch):
                try Self.append(batch, to: &state)
            case .sqlCommandResult(let command):
                state.result.sqlCommandRelation = command.relation
            case .resultComplete:
                state.complete = true
            case .executionProgress(let progress):
                return ExecutionProgress(
                    stages: progress.stages.map {
                        ExecutionProgress.Stage(
                            id: Int($0.stageID), tasks: Int($0.numTasks), completedTasks: Int($0.numCompletedTasks),
                            inputBytesRead: Int($0.inputBytesRead), done: $0.done)
                    },
                    inflightTasks: Int(progress.numInflightTasks))
            default:
                break  // metrics, observed metrics and other command results are not used here
            }
            return nil
        }
        if let snapshot { progress?(snapshot) }
    }

    private static func append(_ batch: ExecutePlanResponse.ArrowBatch, to state: inout State) throws {
        var bytes = [UInt8](batch.data)
        if batch.hasNumChunksInBatch, batch.numChunksInBatch > 1 {
            guard state.pendingChunks.count + bytes.count <= maxChunkedBatchBytes else {
                throw SparkConnectError.unexpectedResponse(rpc: "ExecutePlan", reason: "chunked Arrow batch exceeds 1 GiB")
            }
            state.pendingChunks += bytes
            guard batch.chunkIndex == batch.numChunksInBatch - 1 else { return }
            bytes = state.pendingChunks
            state.pendingChunks = []
        }
        let decoded = try ArrowStreamReader.decode(bytes)
        let rows = decoded.reduce(0) { $0 + $1.rowCount }
        guard rows == batch.rowCount else {
            throw SparkConnectError.malformedArrow(
                offset: 0, reason: "arrow_batch announces \(batch.rowCount) rows but holds \(rows)")
        }
        state.result.batches += decoded
    }
}
