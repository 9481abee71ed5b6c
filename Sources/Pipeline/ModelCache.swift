import Foundation

/// The folder where `orchard model fetch` keeps downloaded weight files.
public struct ModelCache: Sendable {
    /// `$ORCHARD_CACHE`, else `$XDG_CACHE_HOME/orchard/models`, else `~/.cache/orchard/models`.
    public let folder: String

    public init(environment: [String: String] = ProcessInfo.processInfo.environment) {
        if let folder = environment["ORCHARD_CACHE"], !folder.isEmpty {
            self.folder = folder
        } else if let xdg = environment["XDG_CACHE_HOME"], !xdg.isEmpty {
            self.folder = xdg + "/orchard/models"
        } else {
            self.folder = (environment["HOME"] ?? NSHomeDirectory()) + "/.cache/orchard/models"
        }
    }

    /// The most recently downloaded weight file, if any.
    public func newest() -> String? { all().first }

    /// Every downloaded weight file, the most recent first.
    public func all() -> [String] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? []
        return names.filter { $0.hasSuffix(".h5") || $0.hasSuffix(".tflite") }
            .map { folder + "/" + $0 }
            .sorted { modified($0) > modified($1) }
    }

    /// The most recently downloaded weight file, checked against the SHA-256 recorded when it was fetched.
    public func newestVerified() throws -> String? {
        guard let path = newest() else { return nil }
        try ModelChecksum.verify(path)
        return path
    }

    private func modified(_ path: String) -> Date {
        (try? FileManager.default.attributesOfItem(atPath: path)[.modificationDate] as? Date) ?? .distantPast
    }
}
