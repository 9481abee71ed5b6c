import Storage

/// Why a photo argument of `classify` gives no photo: reported on that argument's line, and the other
/// arguments are still classified.
enum PhotoArgumentError: Error, CustomStringConvertible {
    /// Nothing is at the location: no file or folder, no object or prefix.
    case missing(StorageLocation)
    /// A folder or prefix without a .jpg, .jpeg or .png file under it (outside hidden names).
    case noImages(StorageLocation)

    var description: String {
        switch self {
        case .missing(let location):
            if case .local = location { return "\(location): no such file or folder" }
            return "\(location): no such object, and no objects under it"
        case .noImages(let location):
            return "\(location): no .jpg, .jpeg or .png files under it"
        }
    }
}
