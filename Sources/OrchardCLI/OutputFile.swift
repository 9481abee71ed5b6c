import Foundation

/// A local file a command writes (a classifier bundle, an exported model), checked before the work starts:
/// nothing of a user's is replaced unasked, an input is never written over, and a path that cannot be a
/// file fails in a second rather than after minutes of training.
struct OutputFile {
    /// The path as given, for messages.
    let path: String
    /// The option that named it, for messages.
    let option: String
    /// A file name to suggest when `path` is a folder.
    var example = "fruit.orchard"

    /// Refuses `path` when it is a folder, lies inside a featurized dataset (whose readers would take it
    /// for a part), is one of `inputs`, or exists and is not a file `isOurs` recognises, unless `overwrite`.
    /// `kind` says what an acceptable existing file is, e.g. "a classifier bundle Orchard wrote".
    func check(inputs: [String], overwrite: Bool, kind: String, isOurs: (String) -> Bool) throws {
        let target = Self.resolved(path)
        var isFolder: ObjCBool = false
        let exists = FileManager.default.fileExists(atPath: path, isDirectory: &isFolder)
        if exists, isFolder.boolValue {
            throw OutputFileRefusal("\(option) \(path) is a folder; name the file to write in it, e.g. \(Self.joined(path, example))")
        }
        if let input = inputs.first(where: { Self.resolved($0) == target }) {
            throw OutputFileRefusal("\(option) \(path) is the input \(input); write to another file")
        }
        let folder = (target as NSString).deletingLastPathComponent
        if ["_SUCCESS", "_orchard"].contains(where: { FileManager.default.fileExists(atPath: folder + "/" + $0) }) {
            throw OutputFileRefusal(
                "\(option) \(path) is inside the featurized dataset \(folder): Spark, pyarrow and DuckDB would read it as "
                    + "one of its parts and fail; write it elsewhere")
        }
        if exists, !overwrite, !isOurs(path) {
            throw OutputFileRefusal("\(path) exists and is not \(kind); choose another \(option), or give --overwrite to replace it")
        }
    }

    /// Writes `data` atomically (a reader sees the old file or the new one), creating missing folders.
    func write(_ data: Data) throws {
        let url = URL(fileURLWithPath: path)
        do {
            try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try data.write(to: url, options: .atomic)
        } catch {
            throw OutputFileRefusal("cannot write \(path): \(Self.reason(writing: url, error))")
        }
    }

    /// Why `url` could not be written, in words (Foundation on Linux says "NSCocoaErrorDomain error 512").
    static func reason(writing url: URL, _ error: any Error) -> String {
        var folder = url.deletingLastPathComponent()
        while !FileManager.default.fileExists(atPath: folder.path), folder.path != "/" { folder.deleteLastPathComponent() }
        var isFolder: ObjCBool = false
        if FileManager.default.fileExists(atPath: folder.path, isDirectory: &isFolder), !isFolder.boolValue {
            return "\(folder.path) is a file, not a folder"
        }
        if !FileManager.default.isWritableFile(atPath: folder.path) { return "permission denied in \(folder.path)" }
        return error.localizedDescription
    }

    /// `path` absolute and tidy, so two spellings of one file compare equal.
    static func resolved(_ path: String) -> String {
        let full = path.hasPrefix("/") ? path : FileManager.default.currentDirectoryPath + "/" + path
        return ((full as NSString).standardizingPath as NSString).resolvingSymlinksInPath
    }

    private static func joined(_ folder: String, _ name: String) -> String {
        folder.hasSuffix("/") ? folder + name : folder + "/" + name
    }
}

/// A refused or failed output file, said in one line (not a usage error: the command line was well formed).
struct OutputFileRefusal: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
