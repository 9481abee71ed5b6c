import NIOCore
import NIOHTTP1

/// One S3 operation before addressing and signing: method, bucket, key, query, headers, body.
struct S3Request: Sendable {
    /// A request body that can be sent again on retry without being copied.
    enum Body: Sendable {
        case none
        case buffer(ByteBuffer)
        case bytes([UInt8])

        var count: Int {
            switch self {
            case .none: return 0
            case .buffer(let buffer): return buffer.readableBytes
            case .bytes(let bytes): return bytes.count
            }
        }
    }

    /// The S3 API name (`GetObject`, …), for logs and errors.
    var operation: String
    var method: HTTPMethod
    var bucket: String?
    var key: String?
    var query: [(name: String, value: String)] = []
    var headers: [(name: String, value: String)] = []
    var body: Body = .none
    /// Hex SHA-256 of the body, signed and sent as `x-amz-content-sha256`.
    var payloadHash: String = Hashing.emptySHA256

    init(_ operation: String, _ method: HTTPMethod, bucket: String? = nil, key: String? = nil) {
        self.operation = operation
        self.method = method
        self.bucket = bucket
        self.key = key
    }

    /// Sets a body and its hash.
    mutating func setBody(_ bytes: [UInt8]) {
        body = .bytes(bytes)
        payloadHash = Hashing.sha256Hex(bytes)
    }

    /// Sets a body held in a NIO buffer and its hash.
    mutating func setBody(_ buffer: ByteBuffer) {
        body = .buffer(buffer)
        payloadHash = buffer.withUnsafeReadableBytes { Hashing.sha256Hex($0) }
    }
}
