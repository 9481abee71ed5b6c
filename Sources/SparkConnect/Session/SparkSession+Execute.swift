// Reattachable execution (the protocol's ExecutePlanResponseReattachableIterator): ExecutePlan
// runs with `reattach_options.reattachable = true` and a client-chosen operation id; when the
// response stream breaks (UNAVAILABLE, or it ends without ResultComplete) the client resumes
// with ReattachExecute after the last response id it saw, and releases the operation with
// ReleaseExecute(release_all) once it has everything.
import Foundation
import GRPCCore
import SparkConnectProtos

extension SparkSession {
    /// Runs `plan` to completion and returns what it produced.
    func execute(_ plan: Plan, progress: ProgressHandler?) async throws -> ExecutionResult {
        guard !isStopped else { throw SparkConnectError.sessionStopped }
        var request = ExecutePlanRequest()
        request.sessionID = sessionID
        request.userContext = userContext
        request.clientType = clientType
        request.operationID = UUID().uuidString.lowercased()
        request.plan = plan
        if let serverSideSessionID { request.clientObservedServerSideSessionID = serverSideSessionID }
        var option = ExecutePlanRequest.RequestOption()
        option.reattachOptions.reattachable = true
        request.requestOptions = [option]

        let stream = ExecutionStream(progress: progress, breakAfter: breakNextStreamAfter)
        breakNextStreamAfter = nil
        var reattach = false
        var attempt = 0
        var responsesAtLastError = 0
        while true {
            do {
                if reattach {
                    reattachments += 1
                    try await service.reattachExecute(
                        reattachRequest(for: request, after: stream.lastResponseID), metadata: metadata,
                        options: callOptions
                    ) { try await stream.consume($0.messages) }
                } else {
                    try await service.executePlan(request, metadata: metadata, options: callOptions) {
                        try await stream.consume($0.messages)
                    }
                }
                if stream.isComplete { break }
                // The server ends streams after a while (senderMaxStreamDuration) without
                // ResultComplete: the operation goes on, and reattaching picks it up.
                reattach = true
            } catch {
                if Self.isOperationNotFound(error) && stream.responseCount == 0 {
                    reattach = false  // the first ExecutePlan never reached the server: start over
                } else if Self.isOperationNotFound(error) {
                    throw SparkConnectError.unexpectedResponse(
                        rpc: "ReattachExecute", reason: "the server lost operation \(request.operationID) mid-stream")
                } else if RetryPolicy.isRetryable(error) {
                    reattach = true
                } else {
                    await release(request)
                    throw await translate(error, rpc: "ExecutePlan")
                }
                // A stream that made progress before breaking starts a fresh backoff sequence.
                if stream.responseCount > responsesAtLastError {
                    responsesAtLastError = stream.responseCount
                    attempt = 0
                }
                guard attempt < retryPolicy.maxRetries, !Task.isCancelled else {
                    await release(request)
                    throw await translate(error, rpc: "ExecutePlan")
                }
                try await Task.sleep(for: retryPolicy.backoff(attempt: attempt, after: error))
                attempt += 1
            }
        }
        if let id = stream.serverSideSessionID { observe(serverSideSessionID: id) }
        await release(request)
        return try stream.result()
    }

    private func reattachRequest(for request: ExecutePlanRequest, after lastResponseID: String?) -> ReattachExecuteRequest {
        var reattach = ReattachExecuteRequest()
        reattach.sessionID = request.sessionID
        reattach.userContext = request.userContext
        reattach.clientType = request.clientType
        reattach.operationID = request.operationID
        if let lastResponseID { reattach.lastResponseID = lastResponseID }
        if let serverSideSessionID { reattach.clientObservedServerSideSessionID = serverSideSessionID }
        return reattach
    }

    /// Tells the server it may drop the operation's buffered responses; best effort, because the
    /// server also drops abandoned operations on its own.
    private func release(_ request: ExecutePlanRequest) async {
        var release = ReleaseExecuteRequest()
        release.sessionID = request.sessionID
        release.userContext = request.userContext
        release.clientType = request.clientType
        release.operationID = request.operationID
        release.releaseAll = ReleaseExecuteRequest.ReleaseAll()
        _ = try? await service.releaseExecute(release, metadata: metadata, options: callOptions)
    }

    private static func isOperationNotFound(_ error: any Error) -> Bool {
        guard let error = error as? RPCError else { return false }
        return error.message.contains("INVALID_HANDLE.OPERATION_NOT_FOUND")
    }
}
