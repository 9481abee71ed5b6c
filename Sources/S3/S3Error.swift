/// What went wrong talking to S3, and where — never carrying credentials.
public enum S3Error: Error, Sendable, Equatable, CustomStringConvertible {
    /// S3 answered with an error status: HTTP status, S3 error code and message, request id, bucket and key.
    case service(status: Int, code: String?, message: String?, requestID: String?, bucket: String?, key: String?)
    /// The request never got an answer (connection refused or reset, timeout) after every retry.
    case transport(operation: String, bucket: String?, key: String?, reason: String)
    /// The object is larger than the caller's limit.
    case tooLarge(bucket: String, key: String, size: Int64, limit: Int)
    /// S3 answered something this client cannot read.
    case invalidResponse(what: String, reason: String)
    /// No credentials could be had from `source`.
    case credentials(source: String, reason: String)
    /// The configuration (region, endpoint, shared files) is unusable.
    case configuration(String)
    /// A local file could not be read.
    case file(path: String, reason: String)
    /// A call's arguments are out of range (e.g. an empty key list, a negative range).
    case invalidArgument(String)

    /// The HTTP status of a service error.
    public var status: Int? {
        if case .service(let status, _, _, _, _, _) = self { return status }
        return nil
    }

    /// The S3 error code of a service error (`NoSuchKey`, `SlowDown`, …).
    public var code: String? {
        if case .service(_, let code, _, _, _, _) = self { return code }
        return nil
    }

    /// True for a missing bucket or key.
    public var isNotFound: Bool {
        status == 404 || code == "NoSuchKey" || code == "NoSuchBucket" || code == "NotFound"
    }

    public var description: String {
        switch self {
        case .service(let status, let code, let message, let requestID, let bucket, let key):
            var text = "S3 \(Self.where(bucket, key)): HTTP \(status)"
            if let code { text += " \(code)" }
            if let message, !message.isEmpty { text += ": \(message)" }
            if let requestID { text += " (request id \(requestID))" }
            return text
        case .transport(let operation, let bucket, let key, let reason):
            return "S3 \(operation) \(Self.where(bucket, key)): \(reason)"
        case .tooLarge(let bucket, let key, let size, let limit):
            return "s3://\(bucket)/\(key): \(size) bytes is over the limit of \(limit) bytes"
        case .invalidResponse(let what, let reason):
            return "S3 \(what): \(reason)"
        case .credentials(let source, let reason):
            return "AWS credentials (\(source)): \(reason)"
        case .configuration(let reason):
            return "S3 configuration: \(reason)"
        case .file(let path, let reason):
            return "\(path): \(reason)"
        case .invalidArgument(let reason):
            return "S3 call: \(reason)"
        }
    }

    private static func `where`(_ bucket: String?, _ key: String?) -> String {
        guard let bucket else { return "(service)" }
        guard let key, !key.isEmpty else { return "s3://\(bucket)" }
        return "s3://\(bucket)/\(key)"
    }
}
