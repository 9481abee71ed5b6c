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
        try await listing(under: input).images
    }

    /// The images under `input`, and the image files skipped because a name on their way down from
    /// `input` is hidden (see `isHidden`): Spark's file listing skips those, so both engines see one set.
    public func listing(under input: StorageLocation) async throws -> (images: [ImageItem], hidden: [StorageLocation]) {
        Self.listing(of: try await store.list(under: input), under: input)
    }

    /// The images among `objects`, listed under `input`, and the image files skipped under a hidden name.
    public static func listing(of objects: [ObjectInfo], under input: StorageLocation) -> (images: [ImageItem], hidden: [StorageLocation]) {
        var images: [ImageItem] = []
        var hidden: [StorageLocation] = []
        for object in objects where isImage(object.location.name) {
            if isHidden(object.location, under: input) {
                hidden.append(object.location)
            } else {
                images.append(ImageItem(
                    location: object.location, label: object.location.parentName, size: object.size,
                    version: object.version))
            }
        }
        return (images, hidden)
    }

    /// Whether a folder or file between `input` and `location` is hidden the way Hadoop's file listing
    /// (Spark's `binaryFile`) hides it: a name starting with `.`, or with `_` unless it holds `=`.
    public static func isHidden(_ location: StorageLocation, under input: StorageLocation) -> Bool {
        let root = input.description, path = location.description
        guard path.hasPrefix(root) else { return false }
        return path.dropFirst(root.count).split(separator: "/").contains {
            $0.hasPrefix(".") || ($0.hasPrefix("_") && !$0.contains("="))
        }
    }

    /// What to tell the user about `hidden` images a listing skipped, if any.
    public static func skippedNotice(_ hidden: [StorageLocation]) -> String? {
        guard let first = hidden.first else { return nil }
        let count = hidden.count == 1 ? "1 image" : "\(hidden.count) images"
        return "skipped \(count) under a hidden name (a file or folder starting with . or _, as Spark skips them),"
            + " e.g. \(first)"
    }

    /// Whether a file name has an image extension and is not hidden.
    public static func isImage(_ name: String) -> Bool {
        guard !name.hasPrefix("."), let dot = name.lastIndex(of: ".") else { return false }
        return imageExtensions.contains(name[name.index(after: dot)...].lowercased())
    }
}
