/// What changed between the images a dataset holds rows for and the images INPUT lists now.
struct InputDiff {
    /// Images listed now whose path the dataset does not hold.
    let added: [ImageItem]
    /// Images whose path the dataset holds with another size or mtime/ETag.
    let changed: [ImageItem]
    /// Paths the dataset holds that INPUT no longer lists.
    let removed: Set<String>

    /// Compares the manifest's images with `images` (as listed).
    init(manifest: DatasetManifest, images: [ImageItem]) {
        let known = manifest.imagesByPath
        var added: [ImageItem] = []
        var changed: [ImageItem] = []
        var listed = Set<String>()
        for image in images {
            let path = image.location.description
            listed.insert(path)
            if let old = known[path] {
                if old != DatasetManifest.ImageIdentity(image) { changed.append(image) }
            } else {
                added.append(image)
            }
        }
        self.added = added
        self.changed = changed
        self.removed = Set(known.keys).subtracting(listed)
    }

    /// Whether the dataset already matches the input.
    var isEmpty: Bool { added.isEmpty && changed.isEmpty && removed.isEmpty }

    /// The images to featurize (new or changed), in listing order.
    var toFeaturize: [ImageItem] {
        (added + changed).sorted { $0.location.description < $1.location.description }
    }

    /// Paths whose existing rows must go (removed or changed images).
    var dropped: Set<String> { removed.union(changed.map(\.location.description)) }
}
