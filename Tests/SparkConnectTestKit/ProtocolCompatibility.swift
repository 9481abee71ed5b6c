import SwiftProtobuf

/// Checks requests built with one release's Spark Connect protocol (the one the Swift code is generated
/// from) against an older server's: the RPC must exist there with the same signature, and every field the
/// request sets must exist with the same number, declared type and oneof, every enum value it carries too.
///
/// It decodes the serialized request as the server would, field by field from the wire, looking each
/// number up in both descriptor sets and recursing into sub-messages by each side's type name. A proto3
/// server skips fields it does not know without a word, so an unknown field is a silent change of meaning,
/// not an error the server would report: this check is what finds it.
public struct ProtocolCompatibility: Sendable {
    /// The protocol the requests were built with (the generated Swift code's).
    public let client: ProtoSchema
    /// The older protocol the server speaks.
    public let server: ProtoSchema

    /// The service every Spark Connect RPC belongs to.
    public static let service = "spark.connect.SparkConnectService"

    /// A checker of `client` requests against a `server`.
    public init(client: ProtoSchema, server: ProtoSchema) {
        self.client = client
        self.server = server
    }

    /// Spark 4.3 (the generated code's) against Spark 3.5.6 (EMR 7.x), from the committed descriptor sets.
    public static func spark43Against35() throws -> ProtocolCompatibility {
        ProtocolCompatibility(client: try .spark("4.3.0"), server: try .spark("3.5.6"))
    }

    /// Throws the first part of `request` (the input of `rpc`, e.g. `ExecutePlan`) the server does not know.
    public func check(rpc: String, request: some SwiftProtobuf.Message) throws(Incompatibility) {
        let bytes: [UInt8]
        do {
            bytes = try request.serializedBytes()
        } catch {
            throw Incompatibility(path: rpc, reason: "cannot serialize the request: \(error)")
        }
        try check(rpc: rpc, request: bytes)
    }

    /// Throws the first part of the serialized `request` of `rpc` the server does not know.
    public func check(rpc: String, request: [UInt8]) throws(Incompatibility) {
        let (clientType, serverType) = try check(rpc: rpc)
        try walk(request[...], clientType: clientType, serverType: serverType, path: Self.shortName(clientType))
    }

    /// Throws the first part of `message` (any message both protocols have, e.g. a response) the server
    /// does not know.
    public func check(message: some SwiftProtobuf.Message) throws(Incompatibility) {
        let name = type(of: message).protoMessageName
        let bytes: [UInt8]
        do {
            bytes = try message.serializedBytes()
        } catch {
            throw Incompatibility(path: name, reason: "cannot serialize: \(error)")
        }
        try walk(bytes[...], clientType: name, serverType: name, path: Self.shortName(name))
    }

    /// Throws unless the server has `rpc` with the client's signature; returns both sides' input types.
    public func check(rpc: String) throws(Incompatibility) -> (client: String, server: String) {
        let key = "\(Self.service)/\(rpc)"
        guard let used = client.methods[key] else { throw Incompatibility(path: rpc, reason: "not an RPC of \(client.release)") }
        guard let known = server.methods[key] else { throw Incompatibility(path: rpc, reason: "RPC not in \(server.release)") }
        guard used.inputType == known.inputType, used.outputType == known.outputType,
              used.clientStreaming == known.clientStreaming, used.serverStreaming == known.serverStreaming else {
            throw Incompatibility(path: rpc, reason: "\(server.release) declares it \(Self.signature(known)), \(client.release) \(Self.signature(used))")
        }
        return (Self.trimmed(used.inputType), Self.trimmed(known.inputType))
    }

    private func walk(_ bytes: ArraySlice<UInt8>, clientType: String, serverType: String, path: String) throws(Incompatibility) {
        guard let used = client.messages[clientType] else { throw Incompatibility(path: path, reason: "\(clientType) not in \(client.release)") }
        guard let known = server.messages[serverType] else { throw Incompatibility(path: path, reason: "\(serverType) not in \(server.release)") }
        var reader = WireReader(bytes)
        while !reader.isAtEnd {
            let number: Int32, value: WireReader.Value
            do {
                (number, value) = try reader.next()
            } catch {
                throw Incompatibility(path: path, reason: "malformed: \(error.reason)")
            }
            guard let field = used.fields[number] else {
                throw Incompatibility(path: "\(path) (field \(number))", reason: "not a field of \(clientType) in \(client.release)")
            }
            let fieldPath = "\(path).\(field.name)"
            guard let match = known.fields[number] else {
                throw Incompatibility(path: "\(fieldPath) (field \(number))", reason: "not in \(server.release)")
            }
            guard match.declaration == field.declaration else {
                throw Incompatibility(
                    path: "\(fieldPath) (field \(number))",
                    reason: "\(client.release) declares `\(field.declaration)`, \(server.release) `\(match.declaration) \(match.name)`")
            }
            guard used.oneof(of: field) == known.oneof(of: match) else {
                throw Incompatibility(
                    path: "\(fieldPath) (field \(number))",
                    reason: "oneof \(used.oneof(of: field) ?? "none") in \(client.release), \(known.oneof(of: match) ?? "none") in \(server.release)")
            }
            switch (field.type, value) {
            case (.message, .lengthDelimited(let payload)):
                try walk(payload, clientType: field.typeFullName, serverType: match.typeFullName, path: fieldPath)
            case (.enum, _):
                try checkEnum(value, field: match, path: fieldPath)
            case (.message, _):
                throw Incompatibility(path: fieldPath, reason: "malformed: a message field not length-delimited")
            default:
                break  // scalars: same declared type, same meaning
            }
        }
    }

    /// Every value of an enum field (one varint, or a packed run of them) must be one the server declares.
    private func checkEnum(_ value: WireReader.Value, field: Google_Protobuf_FieldDescriptorProto, path: String) throws(Incompatibility) {
        var numbers: [UInt64] = []
        switch value {
        case .varint(let number): numbers = [number]
        case .lengthDelimited(let packed):
            var reader = WireReader(packed)
            while !reader.isAtEnd {
                do { numbers.append(try reader.varint()) } catch { throw Incompatibility(path: path, reason: "malformed: \(error.reason)") }
            }
        default: throw Incompatibility(path: path, reason: "malformed: an enum field of fixed width")
        }
        let values = server.enums[field.typeFullName] ?? [:]
        for number in numbers where values[Int32(truncatingIfNeeded: number)] == nil {
            let value = Int32(truncatingIfNeeded: number)
            let name = client.enums[field.typeFullName]?[value].map { " (\($0))" } ?? ""
            throw Incompatibility(path: path, reason: "value \(value)\(name) of \(field.typeFullName) not in \(server.release)")
        }
    }

    private static func trimmed(_ typeName: String) -> String {
        typeName.hasPrefix(".") ? String(typeName.dropFirst()) : typeName
    }

    /// `ExecutePlanRequest` for `spark.connect.ExecutePlanRequest`.
    private static func shortName(_ typeName: String) -> String {
        typeName.hasPrefix("spark.connect.") ? String(typeName.dropFirst("spark.connect.".count)) : typeName
    }

    private static func signature(_ method: Google_Protobuf_MethodDescriptorProto) -> String {
        let input = (method.clientStreaming ? "stream " : "") + trimmed(method.inputType)
        let output = (method.serverStreaming ? "stream " : "") + trimmed(method.outputType)
        return "(\(input)) returns (\(output))"
    }
}

/// Where a request stops being understood by the older server, e.g.
/// `ExecutePlanRequest.plan.root.sql.pos_arguments (field 5): not in Spark 3.5.6`.
public struct Incompatibility: Error, Equatable, CustomStringConvertible {
    /// The field path from the request message, with the field number where it is the culprit.
    public let path: String
    /// What the server lacks or declares differently.
    public let reason: String

    public var description: String { "\(path): \(reason)" }
}
