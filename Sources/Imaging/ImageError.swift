/// Why an image could not be turned into pixels; every case names the file it is about.
public enum ImageError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The file has no bytes at all.
    case empty(file: String)
    /// The file is larger than `ImageLimits.maxBytes`.
    case tooManyBytes(file: String, bytes: Int, limit: Int)
    /// The first bytes are neither a JPEG nor a PNG signature.
    case notAnImage(file: String)
    /// The data ends before the image does.
    case truncated(file: String, detail: String)
    /// The decoder rejected the data (bad marker, bad checksum, impossible header…).
    case corrupt(file: String, detail: String)
    /// The header declares more pixels than `ImageLimits.maxPixels`; nothing was allocated.
    case tooManyPixels(file: String, width: Int, height: Int, limit: Int)
    /// A well-formed image of a kind this module does not decode (e.g. arithmetic-coded or 12-bit JPEG).
    case unsupported(file: String, detail: String)

    /// The file the error is about.
    public var file: String {
        switch self {
        case .empty(let file), .tooManyBytes(let file, _, _), .notAnImage(let file),
            .truncated(let file, _), .corrupt(let file, _), .tooManyPixels(let file, _, _, _),
            .unsupported(let file, _):
            file
        }
    }

    /// A one-line explanation for logs and CLI output.
    public var description: String {
        switch self {
        case .empty(let file):
            "\(file): empty file"
        case .tooManyBytes(let file, let bytes, let limit):
            "\(file): \(bytes) bytes exceeds the \(limit)-byte limit"
        case .notAnImage(let file):
            "\(file): not a JPEG or PNG image (unknown signature)"
        case .truncated(let file, let detail):
            "\(file): truncated image data (\(detail))"
        case .corrupt(let file, let detail):
            "\(file): corrupt image data (\(detail))"
        case .tooManyPixels(let file, let width, let height, let limit):
            "\(file): \(width)×\(height) = \(width * height) pixels exceeds the \(limit)-pixel limit"
        case .unsupported(let file, let detail):
            "\(file): unsupported image variant (\(detail))"
        }
    }
}
