import Crypto
import Foundation

/// The SHA-256 of each weight file `orchard model fetch` downloaded, kept beside it as `NAME.sha256`
/// (`sha256sum` format). keras.applications publishes no hash for the MobileNetV2 files (its
/// `mobilenet_v2.py` calls `get_file` without `file_hash`), so the hash recorded at download time is what
/// later uses check against: a cached file modified or truncated since is refused, not silently used.
public enum ModelChecksum {
    /// Where `path`'s recorded hash lives.
    public static func sidecar(of path: String) -> String { path + ".sha256" }

    /// `path`'s SHA-256 in lower-case hex, read in 1 MiB chunks.
    public static func sha256(ofFile path: String) throws -> String {
        guard let handle = FileHandle(forReadingAtPath: path) else {
            throw PipelineError.modelUnreadable(path, reason: "cannot open for reading")
        }
        defer { try? handle.close() }
        var hasher = SHA256()
        while let chunk = try handle.read(upToCount: 1 << 20), !chunk.isEmpty { hasher.update(data: chunk) }
        return hex(hasher.finalize())
    }

    /// Lower-case hex of a digest.
    static func hex(_ digest: SHA256.Digest) -> String {
        digest.map { String(format: "%02x", $0) }.joined()
    }

    /// Whether `text` is a SHA-256 in hex (64 digits, either case).
    public static func isValidHex(_ text: String) -> Bool {
        text.utf8.count == 64 && text.allSatisfy(\.isHexDigit)
    }

    /// Writes `digest` as `path`'s sidecar (atomically, so a crash leaves the old one or the new one).
    static func record(_ digest: String, for path: String) throws {
        let line = "\(digest)  \((path as NSString).lastPathComponent)\n"
        let temporary = sidecar(of: path) + ".\(getpid()).tmp"
        guard FileManager.default.createFile(atPath: temporary, contents: Data(line.utf8)),
              rename(temporary, sidecar(of: path)) == 0 else {
            unlink(temporary)
            throw PipelineError.modelUnreadable(sidecar(of: path), reason: "cannot record the file's SHA-256")
        }
    }

    /// The hash recorded for `path`, or nil when it has no sidecar (a file not fetched by Orchard).
    public static func recorded(for path: String) throws -> String? {
        guard let data = FileManager.default.contents(atPath: sidecar(of: path)) else { return nil }
        let digest = String(decoding: data.prefix(64), as: UTF8.self)
        guard isValidHex(digest) else {
            throw PipelineError.modelUnreadable(sidecar(of: path), reason: "not a SHA-256 record")
        }
        return digest.lowercased()
    }

    /// Checks `path` against its recorded hash (when it has one) and `expected` (when given); returns its hash.
    @discardableResult
    public static func verify(_ path: String, expected: String? = nil) throws -> String {
        let recorded = try recorded(for: path)
        guard recorded != nil || expected != nil else { return try sha256(ofFile: path) }
        let actual = try sha256(ofFile: path)
        if let recorded, recorded != actual {
            throw PipelineError.modelUnreadable(
                path, reason: "its SHA-256 is \(actual) but \(recorded) was recorded when it was downloaded "
                    + "(modified or truncated since): delete it and fetch it again")
        }
        if let expected, expected.lowercased() != actual {
            throw PipelineError.modelUnreadable(path, reason: "its SHA-256 is \(actual), expected \(expected.lowercased())")
        }
        return actual
    }
}
