import Foundation
import SwiftProtobuf

/// The messages, enums and RPCs of one FileDescriptorSet, looked up by full name (`spark.connect.Relation`).
public struct ProtoSchema: Sendable {
    /// One message: its fields by number and the names of its real (not proto3-optional) oneofs.
    public struct Message: Sendable {
        public let name: String
        public let fields: [Int32: Google_Protobuf_FieldDescriptorProto]
        let oneofNames: [String]

        /// The real oneof `field` belongs to, or nil (a proto3 `optional` is a synthetic oneof, not one).
        public func oneof(of field: Google_Protobuf_FieldDescriptorProto) -> String? {
            guard field.hasOneofIndex, !field.proto3Optional, oneofNames.indices.contains(Int(field.oneofIndex)) else { return nil }
            return oneofNames[Int(field.oneofIndex)]
        }
    }

    /// Where the set came from, e.g. `Spark 3.5.6`.
    public let release: String
    public private(set) var messages: [String: Message] = [:]
    /// Enum values by enum full name, then number.
    public private(set) var enums: [String: [Int32: String]] = [:]
    /// Methods by `package.Service/Method`.
    public private(set) var methods: [String: Google_Protobuf_MethodDescriptorProto] = [:]

    /// Reads a serialized FileDescriptorSet, e.g. the committed `spark-connect-3.5.6.pb`.
    public init(release: String, descriptorSet: Data) throws {
        self.release = release
        for file in try Google_Protobuf_FileDescriptorSet(serializedBytes: descriptorSet).file {
            let prefix = file.package.isEmpty ? "" : file.package + "."
            for message in file.messageType { add(message, prefix: prefix) }
            for value in file.enumType { add(value, prefix: prefix) }
            for service in file.service {
                for method in service.method { methods[prefix + service.name + "/" + method.name] = method }
            }
        }
    }

    /// The committed set of Spark `version` (Sources/SparkConnectProtos/Descriptors/spark-connect-<version>.pb).
    public static func spark(_ version: String) throws -> ProtoSchema {
        let path = packageRoot + "/Sources/SparkConnectProtos/Descriptors/spark-connect-\(version).pb"
        return try ProtoSchema(release: "Spark \(version)", descriptorSet: Data(contentsOf: URL(fileURLWithPath: path)))
    }

    /// The repository root (this file is three levels below it).
    public static let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent().path

    private mutating func add(_ message: Google_Protobuf_DescriptorProto, prefix: String) {
        let name = prefix + message.name
        messages[name] = Message(
            name: name, fields: Dictionary(message.field.map { ($0.number, $0) }, uniquingKeysWith: { first, _ in first }),
            oneofNames: message.oneofDecl.map(\.name))
        for nested in message.nestedType { add(nested, prefix: name + ".") }
        for value in message.enumType { add(value, prefix: name + ".") }
    }

    private mutating func add(_ value: Google_Protobuf_EnumDescriptorProto, prefix: String) {
        enums[prefix + value.name] = Dictionary(value.value.map { ($0.number, $0.name) }, uniquingKeysWith: { first, _ in first })
    }
}

extension Google_Protobuf_FieldDescriptorProto {
    /// The field's type as a .proto file spells it (`string`, `spark.connect.Relation`, `repeated int64`).
    var declaration: String {
        let base = switch type {
        case .message, .enum, .group: typeName.hasPrefix(".") ? String(typeName.dropFirst()) : typeName
        default: "\(type)"
        }
        return label == .repeated ? "repeated \(base)" : base
    }

    /// The type name without the leading dot descriptors put on it.
    var typeFullName: String { typeName.hasPrefix(".") ? String(typeName.dropFirst()) : typeName }
}
