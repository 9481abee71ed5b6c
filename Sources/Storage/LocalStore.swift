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
        var found: [ObjectInfo] = []
        var info = stat()
        guard stat(root, &info) == 0 else { throw StorageError.io(root, reason: String(cString: strerror(errno))) }
        try walk(root, relative: "", prefix: prefix, ancestors: [FolderID(info)], into: &found)
        return found.sorted { $0.location.description < $1.location.description }
    }

    /// A folder's identity, to see a linked folder that leads back to one above it.
    private struct FolderID: Hashable {
        let device: UInt64, inode: UInt64
        init(_ info: stat) { (device, inode) = (UInt64(info.st_dev), UInt64(info.st_ino)) }
    }

    /// Adds the files under `folder` to `found`. stat(2) follows links, so a linked file counts as the file
    /// it points to and a linked folder is walked (as Hadoop's listing, Spark's, walks it), unless it leads
    /// back to a folder on the way down to it.
    private func walk(
        _ folder: String, relative: String, prefix: StorageLocation, ancestors: Set<FolderID>, into found: inout [ObjectInfo]
    ) throws(StorageError) {
        let names: [String]
        do {
            names = try FileManager.default.contentsOfDirectory(atPath: folder)
        } catch {
            throw .io(folder, reason: "cannot list folder: \((error as NSError).localizedFailureReason ?? error.localizedDescription)")
        }
        for name in names {
            var info = stat()
            guard stat(folder + "/" + name, &info) == 0 else { continue }  // a dangling link
            let path = relative.isEmpty ? name : relative + "/" + name
            switch info.st_mode & S_IFMT {
            case S_IFREG:
                found.append(ObjectInfo(location: prefix.appending(path), size: Int64(info.st_size), version: Self.version(of: info)))
            case S_IFDIR where !ancestors.contains(FolderID(info)):
                try walk(folder + "/" + name, relative: path, prefix: prefix, ancestors: ancestors.union([FolderID(info)]), into: &found)
            default:
                continue
            }
        }
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

    public func read(_ location: StorageLocation, offset: Int64, count: Int) async throws -> [UInt8] {
        let file = try path(of: location)
        guard let handle = FileHandle(forReadingAtPath: file) else {
            throw FileManager.default.fileExists(atPath: file) ? StorageError.io(file, reason: "cannot open for reading") : StorageError.notFound(file)
        }
        defer { try? handle.close() }
        try handle.seek(toOffset: UInt64(max(offset, 0)))
        return [UInt8](try handle.read(upToCount: max(count, 0)) ?? Data())
    }

    public func size(of location: StorageLocation) async throws -> Int64? {
        try fileSize(try path(of: location))
    }

    public func write(_ bytes: [UInt8], to location: StorageLocation) async throws {
        let file = try path(of: location)
        try makeParent(of: file)
        let temporary = temporaryName(for: file)
        try Durable.write(bytes, to: temporary)
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
        try Durable.sync(temporary)
        try commit(temporary, as: file)
    }

    /// Deletes files inside `root`; like an S3 prefix, a folder left empty goes too (its parents as well,
    /// while empty), but never `root` nor anything above it.
    public func delete(_ locations: [StorageLocation], under root: StorageLocation) async throws {
        let top = URL(fileURLWithPath: try path(of: root)).standardized.path
        for location in locations {
            let file = URL(fileURLWithPath: try path(of: location)).standardized.path
            guard file.hasPrefix(top == "/" ? "/" : top + "/") else { throw StorageError.outside(file, root: top) }
            if unlink(file) != 0 && errno != ENOENT {
                throw StorageError.io(file, reason: String(cString: strerror(errno)))
            }
            var folder = (file as NSString).deletingLastPathComponent
            while folder.hasPrefix(top + "/"), rmdir(folder) == 0 {
                folder = (folder as NSString).deletingLastPathComponent
            }
        }
    }

    public func acquireLease(_ location: StorageLocation, holder: String, duration: Duration) async throws -> any StoreLease {
        let file = try path(of: location)
        try makeParent(of: file)
        return try LocalLease(path: file, holder: holder)
    }

    private func path(of location: StorageLocation) throws(StorageError) -> String {
        guard case .local(let path) = location else {
            throw .unsupported(location.description, reason: "not a local path")
        }
        return path
    }

    /// The modification time in nanoseconds, which changes whenever the content is rewritten.
    static func version(of info: stat) -> String {
        String(Int64(info.st_mtim.tv_sec) * 1_000_000_000 + Int64(info.st_mtim.tv_nsec))
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

    /// rename(2) is atomic within one file system: readers see the old file or the whole new one. The
    /// content was synced before, and the folder is synced after, so a crash keeps the new name and its bytes.
    private func commit(_ temporary: String, as file: String) throws {
        guard rename(temporary, file) == 0 else {
            let reason = String(cString: strerror(errno))
            unlink(temporary)
            throw StorageError.io(file, reason: "cannot rename into place: \(reason)")
        }
        try Durable.syncFolder(of: file)
    }
}
