import Foundation
import LinearAlgebra

/// The committed state of a dataset, in `OUT/_orchard/manifest.json`: which parts make it up, which input
/// images (by path and identity) each part holds, and the history of versions.
///
/// Writing the manifest is the commit point of a run or an update: it is one object written atomically
/// (temporary file + rename locally, one PUT on S3). A manifest with a `publish` plan is committed but not
/// yet published: the next run finishes the plan before anything else (roll forward).
public struct DatasetManifest: Codable, Sendable, Equatable {
    /// The layout version of this file.
    public var format = 1
    /// The dataset version: 1 for the first complete run, +1 per update.
    public var version: Int
    /// The SHA-256 of the network every row was computed with; an update with another network is refused.
    public var modelSHA256: String
    /// The PCA the dataset carries, if any.
    public var pca: ComponentSelection?
    /// The classifier bundle's SHA-256, when rows carry predictions.
    public var classifierSHA256: String?
    /// The committed parts, by file name (directly under OUT).
    public var parts: [Part]
    /// Every version so far, oldest first.
    public var history: [Version]
    /// Work a committed update still has to make visible; nil once published.
    public var publish: Publish?

    /// One part file and the images it holds rows for.
    public struct Part: Codable, Sendable, Equatable {
        /// The part's file name, e.g. `part-00003-<id>.parquet`.
        public var name: String
        /// The images whose rows the part holds.
        public var images: [ImageIdentity]
    }

    /// An input image as listed: what changes when the file is replaced or edited.
    public struct ImageIdentity: Codable, Sendable, Hashable {
        /// The image's location (the `path` column).
        public var path: String
        /// Its size in bytes.
        public var size: Int64
        /// Its mtime (local) or ETag (S3).
        public var version: String?

        /// The identity of a listed image.
        public init(_ item: ImageItem) {
            path = item.location.description
            size = item.size
            version = item.version
        }
    }

    /// One entry of the dataset's history.
    public struct Version: Codable, Sendable, Equatable {
        /// The dataset version.
        public var version: Int
        /// When it was committed (ISO 8601).
        public var committed: String
        /// Images in the dataset at this version.
        public var images: Int
        /// Images new since the previous version.
        public var added: Int
        /// Images gone since the previous version.
        public var removed: Int
        /// Images whose file changed (featurized again).
        public var changed: Int
        /// Whether the PCA was fitted again (and every row re-projected).
        public var pcaRefitted: Bool
    }

    /// What a committed update still has to do: copy staged files to their final names, then delete
    /// the parts (and their statistics) the new version no longer lists. Every step can be repeated.
    public struct Publish: Codable, Sendable, Equatable {
        /// The staging folder (relative to OUT) holding the new parts, statistics and PCA model.
        public var staging: String
        /// Part file names to copy from staging into OUT.
        public var newParts: [String]
        /// Part file names to delete from OUT once the new ones are in place.
        public var droppedParts: [String]
        /// Whether staging holds a new PCA model.
        public var newPCA: Bool
    }

    /// Every image the dataset holds rows for, by path.
    public var imagesByPath: [String: ImageIdentity] {
        var result: [String: ImageIdentity] = [:]
        for part in parts { for image in part.images { result[image.path] = image } }
        return result
    }

    /// The manifest as stored.
    func encoded() throws -> [UInt8] {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return Array(try encoder.encode(self))
    }

    /// The largest manifest read (about 150 bytes per image: ~1.5 million images).
    static let maxBytes = 256 << 20

    /// Reads a stored manifest.
    static func decode(_ bytes: [UInt8], source: String) throws -> DatasetManifest {
        do {
            return try JSONDecoder().decode(DatasetManifest.self, from: Data(bytes))
        } catch {
            throw PipelineError.invalidDataset(source, reason: "unreadable manifest: \(error)")
        }
    }

    /// Now, as the history records it.
    static func timestamp() -> String { ISO8601DateFormatter().string(from: Date()) }
}
