import Foundation

/// Opens a MobileNetV2 weight file of either supported format, recognised by its first bytes.
public enum WeightFile {
    /// Largest TFLite file read into memory (MobileNetV2 1.4 float32 with its top is ~25 MB).
    static let maxTFLiteBytes = 512 << 20

    /// Loads the weights in `path`: HDF5 signature → Keras `.h5` loader, TFLite "TFL3" identifier → TFLite loader.
    public static func load(path: String) throws(ModelError) -> MobileNetV2Weights {
        guard let handle = FileHandle(forReadingAtPath: path) else {
            throw .unreadableFile(path: path, reason: "no such file or no permission")
        }
        defer { try? handle.close() }
        let head = try read(handle, path: path, count: 8)
        if head.isEmpty { throw .truncatedFile(source: path, detail: "the file is empty") }
        if head.starts(with: HDF5Superblock.signature) { return try KerasH5Loader.load(path: path) }
        // A FlatBuffer's file identifier sits after the 4-byte root offset.
        if head.count == 8, Array(head[4..<8]) == Array("TFL3".utf8) {
            let size: Int
            do { size = Int(try handle.seekToEnd()) } catch { throw .unreadableFile(path: path, reason: "\(error)") }
            guard size <= maxTFLiteBytes else {
                throw .notMobileNetV2(source: path, reason: "\(size) bytes is larger than any MobileNetV2 TFLite file")
            }
            do { try handle.seek(toOffset: 0) } catch { throw .unreadableFile(path: path, reason: "\(error)") }
            let bytes = try read(handle, path: path, count: size)
            do {
                return try TFLiteWeightLoader.load(bytes: bytes, name: path)
            } catch let error as ModelError {
                throw error
            } catch {
                throw .notMobileNetV2(source: path, reason: "\(error)")
            }
        }
        throw .unknownFormat(path: path)
    }

    /// Loads weights from a file's bytes held in memory (e.g. embedded in a bundle); `name` labels errors.
    public static func load(bytes: [UInt8], name: String) throws(ModelError) -> MobileNetV2Weights {
        guard bytes.count <= maxTFLiteBytes || bytes.starts(with: HDF5Superblock.signature) else {
            throw .notMobileNetV2(source: name, reason: "\(bytes.count) bytes is larger than any MobileNetV2 TFLite file")
        }
        if bytes.count >= 8, Array(bytes[4..<8]) == Array("TFL3".utf8) {
            do {
                return try TFLiteWeightLoader.load(bytes: bytes, name: name)
            } catch let error as ModelError {
                throw error
            } catch {
                throw .notMobileNetV2(source: name, reason: "\(error)")
            }
        }
        guard bytes.starts(with: HDF5Superblock.signature) else { throw .unknownFormat(path: name) }
        // libhdf5 reads files, not memory: a private temporary copy, removed at once.
        let temporary = NSTemporaryDirectory() + "orchard-weights-\(UUID().uuidString).h5"
        guard FileManager.default.createFile(atPath: temporary, contents: Data(bytes), attributes: [.posixPermissions: 0o600]) else {
            throw .unreadableFile(path: name, reason: "cannot write a temporary copy to \(temporary)")
        }
        defer { try? FileManager.default.removeItem(atPath: temporary) }
        return try KerasH5Loader.load(path: temporary)
    }

    private static func read(_ handle: FileHandle, path: String, count: Int) throws(ModelError) -> [UInt8] {
        do {
            return [UInt8](try handle.read(upToCount: count) ?? Data())
        } catch {
            throw .unreadableFile(path: path, reason: "\(error)")
        }
    }
}
