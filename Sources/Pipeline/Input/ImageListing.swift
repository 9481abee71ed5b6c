import Storage

/// One image to featurize: where it is and the label its folder gives it.
public struct ImageItem: Sendable, Hashable {
    /// The image's location, as written to the `path` column.
    public var location: StorageLocation
    /// The image's parent folder name (Fruits-360 keeps one folder per class).
    public var label: String
    /// The size of the file in bytes, as listed.
    public var size: Int64
    /// What changes when the file is edited (its mtime locally, its ETag on S3), as listed.
    public var version: String?

    public init(location: StorageLocation, label: String, size: Int64, version: String? = nil) {
        self.location = location
        self.label = label
        self.size = size
        self.version = version
    }
}

/// Lists the images under a folder or prefix, recursively, in a stable order.
public struct ImageListing: Sendable {
    /// File name endings taken as images (compared case-insensitively).
    public static let imageExtensions: Set<String> = ["jpg", "jpeg", "png"]

    let store: any ObjectStore

    public init(store: any ObjectStore) {
        self.store = store
    }

    /// Every image under `input`, sorted by location so that parts are the same on every run.
    public func images(under input: StorageLocation) async throws -> [ImageItem] {
        try await store.list(under: input)
            .filter { Self.isImage($0.location.name) }
            .map { ImageItem(location: $0.location, label: $0.location.parentName, size: $0.size, version: $0.version) }
    }

    /// Whether a file name has an image extension and is not hidden.
    public static func isImage(_ name: String) -> Bool {
        guard !name.hasPrefix("."), let dot = name.lastIndex(of: ".") else { return false }
        return imageExtensions.contains(name[name.index(after: dot)...].lowercased())
    }
}
