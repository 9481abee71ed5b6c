@testable import MobileNet

/// An exported file read back with MobileNet's own bounds-checked FlatBuffers reader (schema field ids
/// from tensorflow/lite/schema/schema.fbs), for what the weight loader does not look at.
struct ExportedFile {
    let file: FlatBuffer
    let model: FlatTable

    init(_ bytes: [UInt8]) throws {
        file = try FlatBuffer(bytes: bytes)
        model = try file.root("Model")
    }

    /// `Model.version`.
    var version: UInt32 { get throws { try model.scalar(0, "version", default: UInt32(0)) } }

    /// `Model.description`.
    var description: String? { get throws { try model.string(3, "description") } }

    /// `Model.buffers`.
    var buffers: [FlatTable] { get throws { try model.tables(4, "buffers") } }

    /// `Model.metadata` as name → the bytes of the buffer it names.
    func metadata() throws -> [String: [UInt8]] {
        let buffers = try self.buffers
        var entries: [String: [UInt8]] = [:]
        for entry in try model.tables(6, "metadata") {
            let name = try entry.string(0, "name") ?? ""
            let index = Int(try entry.scalar(1, "buffer", default: UInt32(0)))
            guard buffers.indices.contains(index), let data = try buffers[index].vector(0, "data", elementSize: 1) else {
                entries[name] = []
                continue
            }
            entries[name] = Array(file.bytes[data.start..<(data.start + data.count)])
        }
        return entries
    }

    /// `Model.operator_codes` as (deprecated_builtin_code, builtin_code, version).
    func operatorCodes() throws -> [(deprecated: Int8, builtin: Int32, version: Int32)] {
        try model.tables(1, "operator_codes").map { (code) throws in
            (try code.scalar(0, "deprecated_builtin_code", default: Int8(0)), try code.scalar(3, "builtin_code", default: Int32(0)),
             try code.scalar(2, "version", default: Int32(1)))
        }
    }

    /// The file offset of every non-empty buffer's first data byte.
    func bufferDataOffsets() throws -> [Int] {
        try buffers.compactMap { (buffer) throws in try buffer.vector(0, "data", elementSize: 1).flatMap { $0.count > 0 ? $0.start : nil } }
    }
}
