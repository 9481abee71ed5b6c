// The one place gRPC failures become `SparkConnectError`s. Spark Connect reports a server-side
// exception as a gRPC status (usually INTERNAL) whose `grpc-status-details-bin` holds a
// google.rpc.Status with an ErrorInfo: reason = exception class, metadata = errorClass, sqlState,
// messageParameters (JSON), classes (JSON) and errorId. The status message is truncated; the
// full chain is fetched with FetchErrorDetails(errorId) (see SparkSession.translate).
import Foundation
import GRPCCore
import GRPCProtobuf

extension SparkConnectError {
    /// The id under which the server kept the full error, if the status carries one.
    static func serverErrorID(in error: RPCError) -> String? {
        guard let info = errorInfo(of: error), let id = info.metadata["errorId"], !id.isEmpty else { return nil }
        return id
    }

    private static func errorInfo(of error: RPCError) -> ErrorDetails.ErrorInfo? {
        guard let status = try? error.unpackGoogleRPCStatus() else { return nil }
        return status.details.lazy.compactMap(\.errorInfo).first
    }

    /// Translates `error` from `rpc`, preferring the untruncated `details` when they were fetched.
    init(_ error: RPCError, rpc: String, endpoint: String, details: FetchErrorDetailsResponse?) {
        if let exception = Self.exception(from: details) ?? Self.exception(from: error) {
            self = .server(exception)
        } else if error.code == .unavailable {
            self = .unavailable(endpoint: endpoint, reason: error.message)
        } else {
            self = .rpcFailed(rpc: rpc, code: "\(error.code)", message: error.message)
        }
    }

    /// The exception described by the status's ErrorInfo, if it has one.
    private static func exception(from error: RPCError) -> SparkException? {
        guard let info = errorInfo(of: error) else { return nil }
        let status = try? error.unpackGoogleRPCStatus()
        let message = status.map(\.message).flatMap { $0.isEmpty ? nil : $0 } ?? error.message
        return SparkException(
            exceptionClass: info.reason.isEmpty ? "SparkException" : info.reason,
            errorClass: info.metadata["errorClass"],
            sqlState: info.metadata["sqlState"],
            message: message,
            messageParameters: jsonDictionary(info.metadata["messageParameters"]))
    }

    /// The root exception of a FetchErrorDetails chain, with the messages of its causes appended
    /// when they add something (a failed TRANSFORM script's stderr arrives as a cause).
    private static func exception(from details: FetchErrorDetailsResponse?) -> SparkException? {
        guard let details, details.hasRootErrorIdx else { return nil }
        var chain: [FetchErrorDetailsResponse.Error] = []
        var index = Int(details.rootErrorIdx)
        var seen = Set<Int>()
        while details.errors.indices.contains(index), seen.insert(index).inserted, chain.count < 8 {
            chain.append(details.errors[index])
            guard details.errors[index].hasCauseIdx else { break }
            index = Int(details.errors[index].causeIdx)
        }
        guard let root = chain.first else { return nil }
        var message = root.message
        for cause in chain.dropFirst() where !cause.message.isEmpty && !message.contains(cause.message) {
            let name = cause.errorTypeHierarchy.first?.split(separator: ".").last.map(String.init) ?? "cause"
            message += "\ncaused by \(name): \(cause.message)"
        }
        let throwable = root.hasSparkThrowable ? root.sparkThrowable : nil
        return SparkException(
            exceptionClass: root.errorTypeHierarchy.first ?? "SparkException",
            errorClass: throwable.flatMap { $0.hasErrorClass ? $0.errorClass : nil },
            sqlState: throwable.flatMap { $0.hasSqlState ? $0.sqlState : nil },
            message: message,
            messageParameters: throwable?.messageParameters ?? [:])
    }

    private static func jsonDictionary(_ json: String?) -> [String: String] {
        guard let data = json?.data(using: .utf8) else { return [:] }
        return (try? JSONDecoder().decode([String: String].self, from: data)) ?? [:]
    }
}
