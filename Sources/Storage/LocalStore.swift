import Foundation

/// The local file system as an object store; writes go to a temporary file renamed into place.
public struct LocalStore: ObjectStore {
    public init() {}

    public func list(under prefix: StorageLocation) async throws -> [ObjectInfo] {
        let root = try path(of: prefix)
        var isFolder: ObjCBool = false
        guard FileManager.default.fileExists(atPath: root, isDirectory: &isFolder) else {
            throw StorageError.notFound(root)
        }
        guard isFolder.boolValue else {
            return [ObjectInfo(location: prefix, size: try fileSize(root) ?? 0)]
        }
        guard let walker = FileManager.default.enumerator(atPath: root) else {
            throw StorageError.io(root, reason: "cannot list folder")
        }
        var found: [ObjectInfo] = []
        while let relative = walker.nextObject() as? String {
            let attributes = walker.fileAttributes
            let size: Int64
            switch attributes?[.type] as? FileAttributeType {
            case .typeRegular?:
                size = (attributes?[.size] as? NSNumber)?.int64Value ?? 0
            case .typeSymbolicLink?:
                // A linked file counts as the file it points to; linked folders are not walked.
                var info = stat()
                guard stat(root + "/" + relative, &info) == 0, (info.st_mode & S_IFMT) == S_IFREG else { continue }
                size = Int64(info.st_size)
            default:
                continue
            }
            found.append(ObjectInfo(location: prefix.appending(relative), size: size))
        }
        return found.sorted { $0.location.description < $1.location.description }
    }

    public func read(_ location: StorageLocation, maxBytes: Int) async throws -> [UInt8] {
        let file = try path(of: location)
        guard let size = try fileSize(file) else { throw StorageError.notFound(file) }
        guard size <= Int64(maxBytes) else {
            throw StorageError.tooLarge(file, size: size, limit: maxBytes)
        }
        guard let handle = FileHandle(forReadingAtPath: file) else {
            throw StorageError.io(file, reason: "cannot open for reading")
        }
        defer { try? handle.close() }
        // Read at most one byte past the limit so a file that grew since stat is still refused.
        let data = try handle.read(upToCount: maxBytes + 1) ?? Data()
        guard data.count <= maxBytes else {
            throw StorageError.tooLarge(file, size: Int64(data.count), limit: maxBytes)
        }
        return [UInt8](data)
    }

    public func size(of location: StorageLocation) async throws -> Int64? {
        try fileSize(try path(of: location))
    }

    public func write(_ bytes: [UInt8], to location: StorageLocation) async throws {
        let file = try path(of: location)
        try makeParent(of: file)
        let temporary = temporaryName(for: file)
        guard FileManager.default.createFile(atPath: temporary, contents: Data(bytes)) else {
            throw StorageError.io(file, reason: "cannot create file")
        }
        try commit(temporary, as: file)
    }

    public func upload(file source: String, to location: StorageLocation) async throws {
        let file = try path(of: location)
        try makeParent(of: file)
        let temporary = temporaryName(for: file)
        do {
            try FileManager.default.copyItem(atPath: source, toPath: temporary)
        } catch {
            throw StorageError.io(file, reason: "cannot copy from \(source): \(error.localizedDescription)")
        }
        try commit(temporary, as: file)
    }

    /// Deletes files; like an S3 prefix, a folder left empty goes too (its parents as well, while empty).
    public func delete(_ locations: [StorageLocation]) async throws {
        for location in locations {
            let file = try path(of: location)
            if unlink(file) != 0 && errno != ENOENT {
                throw StorageError.io(file, reason: String(cString: strerror(errno)))
            }
            var folder = (file as NSString).deletingLastPathComponent
            while !folder.isEmpty, folder != "/", rmdir(folder) == 0 {
                folder = (folder as NSString).deletingLastPathComponent
            }
        }
    }

    private func path(of location: StorageLocation) throws(StorageError) -> String {
        guard case .local(let path) = location else {
            throw .unsupported(location.description, reason: "not a local path")
        }
        return path
    }

    private func fileSize(_ file: String) throws -> Int64? {
        var info = stat()
        guard stat(file, &info) == 0 else {
            if errno == ENOENT { return nil }
            throw StorageError.io(file, reason: String(cString: strerror(errno)))
        }
        return Int64(info.st_size)
    }

    private func makeParent(of file: String) throws {
        let parent = (file as NSString).deletingLastPathComponent
        guard !parent.isEmpty else { return }
        do {
            try FileManager.default.createDirectory(atPath: parent, withIntermediateDirectories: true)
        } catch {
            throw StorageError.io(parent, reason: "cannot create folder: \(error.localizedDescription)")
        }
    }

    private func temporaryName(for file: String) -> String {
        let folder = (file as NSString).deletingLastPathComponent
        let name = (file as NSString).lastPathComponent
        return (folder.isEmpty ? "" : folder + "/") + ".\(name).\(UInt32.random(in: 0 ... .max)).tmp"
    }

    /// rename(2) is atomic within one file system: readers see the old file or the whole new one.
    private func commit(_ temporary: String, as file: String) throws {
        guard rename(temporary, file) == 0 else {
            let reason = String(cString: strerror(errno))
            unlink(temporary)
            throw StorageError.io(file, reason: "cannot rename into place: \(reason)")
        }
    }
}
