import Foundation
import Storage

/// Gives file-based readers (Parquet) a local path for any object: the file itself when local,
/// a temporary copy, removed afterwards, when remote.
enum LocalCopy {
    /// Runs `body` with a local path holding the object at `location`.
    static func with<T>(
        _ location: StorageLocation, from store: any ObjectStore, _ body: (String) throws -> T
    ) async throws -> T {
        if case .local(let path) = location { return try body(path) }
        let local = NSTemporaryDirectory() + "orchard-\(UUID().uuidString)-" + location.name
        defer { unlink(local) }
        let bytes = try await store.read(location, maxBytes: FeaturePartFile.maxPartBytes)
        guard FileManager.default.createFile(atPath: local, contents: Data(bytes)) else {
            throw PipelineError.invalidDataset(local, reason: "cannot write a temporary copy")
        }
        return try body(local)
    }
}
