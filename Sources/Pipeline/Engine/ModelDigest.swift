import Crypto
import Foundation

/// The SHA-256 of a model file, which is part of a job's identity: a changed model starts a new job
/// instead of mixing its features with the old one's on resume. Hashing 14–60 MB on every run would cost
/// a second, so digests are cached by path, size and modification time (in the model cache folder).
public enum ModelDigest {
    /// The file's SHA-256 in hex, from the cache when its path, size and mtime are unchanged.
    public static func sha256(ofFile path: String, cache: ModelCache = ModelCache()) throws -> String {
        var info = stat()
        guard stat(path, &info) == 0 else {
            throw PipelineError.modelUnreadable(path, reason: String(cString: strerror(errno)))
        }
        let real = OutputPlacement.resolved(path)
        let key = "\(real)|\(info.st_size)|\(info.st_mtim.tv_sec).\(info.st_mtim.tv_nsec)"
        let cacheFile = cache.folder + "/.digests.json"
        var known = (try? JSONDecoder().decode([String: String].self, from: Data(contentsOf: URL(fileURLWithPath: cacheFile)))) ?? [:]
        if let digest = known[key] { return digest }

        guard let handle = FileHandle(forReadingAtPath: path) else {
            throw PipelineError.modelUnreadable(path, reason: "cannot open for reading")
        }
        defer { try? handle.close() }
        var hasher = SHA256()
        while let chunk = try handle.read(upToCount: 1 << 20), !chunk.isEmpty { hasher.update(data: chunk) }
        let digest = hasher.finalize().map { String(format: "%02x", $0) }.joined()

        // Best effort: a cache that cannot be written only costs the next run a re-hash. Entries for
        // other versions of the same path are dropped so the file stays small.
        known = known.filter { !$0.key.hasPrefix(real + "|") }
        known[key] = digest
        if let bytes = try? JSONEncoder().encode(known) {
            try? FileManager.default.createDirectory(atPath: cache.folder, withIntermediateDirectories: true)
            let temporary = cacheFile + ".\(getpid()).tmp"
            if FileManager.default.createFile(atPath: temporary, contents: bytes) { rename(temporary, cacheFile) }
        }
        return digest
    }
}
