import GRPCCore
import SwiftProtobuf

/// A request as it arrived: the exact bytes the client sent, and the message they decode to.
struct Received<Message: SwiftProtobuf.Message>: Sendable {
    let bytes: [UInt8]
    let message: Message
}

/// Keeps each request's wire bytes beside the decoded message, so they can be checked as a server reads them.
struct RecordingDeserializer<Message: SwiftProtobuf.Message>: MessageDeserializer {
    func deserialize<Bytes: GRPCContiguousBytes>(_ serializedMessageBytes: Bytes) throws -> Received<Message> {
        let bytes = serializedMessageBytes.withUnsafeBytes { [UInt8]($0) }
        return Received(bytes: bytes, message: try Message(serializedBytes: bytes))
    }
}
