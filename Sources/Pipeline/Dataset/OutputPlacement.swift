import Foundation
import Storage

/// Keeps a job's output apart from its input: writing OUT inside INPUT (or INPUT inside OUT) would feed
/// the output back in, and replacing OUT would delete the photos.
enum OutputPlacement {
    /// Throws `PipelineError.outputOverlapsInput` when `output` is, contains, or lies inside `input`. Local
    /// paths are compared after resolving symbolic links and `..`; S3 locations by bucket and key prefix.
    static func refuseOverlap(input: StorageLocation, output: StorageLocation) throws {
        let overlapping: Bool
        switch (input, output) {
        case (.local(let a), .local(let b)):
            overlapping = contains(resolved(a), resolved(b)) || contains(resolved(b), resolved(a))
        case (.s3(let bucketA, let keyA), .s3(let bucketB, let keyB)):
            overlapping = bucketA == bucketB && (contains(folder(keyA), folder(keyB)) || contains(folder(keyB), folder(keyA)))
        default:
            overlapping = false
        }
        if overlapping {
            throw PipelineError.outputOverlapsInput(output: output.description, input: input.description)
        }
    }

    /// Whether `inner` is `outer` or lies inside it, both as "/"-separated folders.
    private static func contains(_ outer: String, _ inner: String) -> Bool {
        let prefix = outer.hasSuffix("/") ? outer : outer + "/"
        let path = inner.hasSuffix("/") ? inner : inner + "/"
        return path.hasPrefix(prefix)
    }

    /// An S3 key as a folder: an empty key is the whole bucket.
    private static func folder(_ key: String) -> String {
        "/" + key.split(separator: "/").joined(separator: "/")
    }

    /// The absolute path with every symbolic link and `..` resolved, for the part that exists; the rest
    /// (a new OUT) is appended after normalising it.
    static func resolved(_ path: String) -> String {
        let absolute = URL(fileURLWithPath: path).standardized.path
        var existing = absolute
        var rest: [String] = []
        while !existing.isEmpty, existing != "/" {
            if let real = realpath(existing, nil) {
                defer { free(real) }
                let base = String(cString: real)
                return ([base] + rest.reversed()).joined(separator: "/").replacingOccurrences(of: "//", with: "/")
            }
            rest.append((existing as NSString).lastPathComponent)
            existing = (existing as NSString).deletingLastPathComponent
        }
        return absolute
    }
}
