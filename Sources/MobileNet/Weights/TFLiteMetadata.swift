// `Model.metadata` of tensorflow/lite/schema/schema.fbs: Model field 6 is `metadata: [Metadata]`, field 4
// `buffers: [Buffer]`; `table Metadata { name: string (0); buffer: uint (1) }`.

/// The named metadata buffers of a TFLite file, which tools and apps read (the runtime ignores them).
public enum TFLiteMetadata {
    /// The bytes of the metadata buffer called `name` in the TFLite file `bytes`; nil when the bytes are not a
    /// readable TFLite file or it has no such entry.
    public static func buffer(named name: String, in bytes: [UInt8]) -> [UInt8]? {
        try? find(name, in: bytes)
    }

    private static func find(_ name: String, in bytes: [UInt8]) throws(TFLiteError) -> [UInt8]? {
        let file = try FlatBuffer(bytes: bytes)
        guard file.fileIdentifier == "TFL3" else { return nil }
        let model = try file.root("Model")
        for entry in try model.tables(6, "metadata") {
            guard try entry.string(0, "name") == name else { continue }
            let buffers = try model.tables(4, "buffers")
            let index = Int(try entry.scalar(1, "buffer", default: UInt32(0)))
            guard index < buffers.count else { return nil }
            return Array(bytes[try TFLiteModel.range(of: buffers[index], in: file)])
        }
        return nil
    }
}
