import CHDF5
import Foundation
import Synchronization

/// Debian's libhdf5 is built without its thread-safety option: every HDF5 call in this module runs
/// while holding this lock.
let hdf5Lock = Mutex<Void>(())

/// A read-only HDF5 file: the handful of libhdf5 calls the Keras loaders need (groups, string
/// attributes, float datasets), with errors turned into `ModelError`s naming the object.
/// Callers hold `hdf5Lock` for the file's whole lifetime.
final class HDF5File {
    let path: String
    private let id: hid_t

    /// Largest dataset read, in elements: MobileNetV2 1.4's biggest tensor (the classifier) is 1.8 M.
    static let maxElements = 1 << 26

    init(path: String) throws(ModelError) {
        self.path = path
        _ = H5open()
        // HDF5 prints its error stack to stderr by default; we report errors ourselves.
        H5Eset_auto2(hid_t(H5E_DEFAULT), nil, nil)
        let id = H5Fopen(path, UInt32(0) /* H5F_ACC_RDONLY */, hid_t(H5P_DEFAULT))
        guard id >= 0 else { throw Self.openFailure(path: path) }
        self.id = id
    }

    deinit { H5Fclose(id) }

    /// Whether `path` (slash-separated, relative to the root) names an existing link, checked level by level
    /// because H5Lexists fails on a missing intermediate group.
    func exists(_ path: String) -> Bool {
        var prefix = ""
        for component in path.split(separator: "/") {
            prefix += (prefix.isEmpty ? "" : "/") + component
            if H5Lexists(id, prefix, hid_t(H5P_DEFAULT)) <= 0 { return false }
        }
        return !prefix.isEmpty
    }

    /// The names of the links inside group `path`, in name order.
    func children(of path: String) -> [String] {
        let group = H5Gopen2(id, path, hid_t(H5P_DEFAULT))
        guard group >= 0 else { return [] }
        defer { H5Gclose(group) }
        var info = H5G_info_t()
        guard H5Gget_info(group, &info) >= 0 else { return [] }
        var names: [String] = []
        for index in 0..<min(info.nlinks, 100_000) {
            let length = H5Lget_name_by_idx(group, ".", H5_INDEX_NAME, H5_ITER_INC, index, nil, 0, hid_t(H5P_DEFAULT))
            guard length > 0, length < 4096 else { continue }
            var buffer = [CChar](repeating: 0, count: Int(length) + 1)
            H5Lget_name_by_idx(group, ".", H5_INDEX_NAME, H5_ITER_INC, index, &buffer, buffer.count, hid_t(H5P_DEFAULT))
            names.append(String(decoding: buffer.prefix(Int(length)).map { UInt8(bitPattern: $0) }, as: UTF8.self))
        }
        return names
    }

    /// A string (or string-array) attribute of the object at `object`, fixed- or variable-length;
    /// nil when absent, [] when it is an empty array (Keras writes empty float arrays for weightless layers).
    func strings(attribute name: String, of object: String) throws(ModelError) -> [String]? {
        guard H5Aexists_by_name(id, object, name, hid_t(H5P_DEFAULT)) > 0 else { return nil }
        let attribute = H5Aopen_by_name(id, object, name, hid_t(H5P_DEFAULT), hid_t(H5P_DEFAULT))
        guard attribute >= 0 else { throw corrupt("attribute \(name) of \(object)") }
        defer { H5Aclose(attribute) }
        let fileType = H5Aget_type(attribute)
        defer { H5Tclose(fileType) }
        let space = H5Aget_space(attribute)
        defer { H5Sclose(space) }
        let count = Int(H5Sget_simple_extent_npoints(space))
        guard count > 0 else { return [] }
        guard H5Tget_class(fileType) == H5T_STRING, count <= 100_000 else {
            throw .notMobileNetV2(source: path, reason: "attribute \(name) of \(object) is not a list of strings")
        }
        if H5Tis_variable_str(fileType) > 0 {
            // H5T_VARIABLE is (size_t)-1; H5Tcreate avoids libhdf5's mutable global type ids.
            let memoryType = H5Tcreate(H5T_STRING, -1)
            guard memoryType >= 0 else { throw corrupt("attribute \(name) of \(object)") }
            defer { H5Tclose(memoryType) }
            // libhdf5 refuses to convert between ASCII and UTF-8 strings: read in the file's character set.
            H5Tset_cset(memoryType, H5Tget_cset(fileType))
            var pointers = [UnsafeMutablePointer<CChar>?](repeating: nil, count: count)
            guard H5Aread(attribute, memoryType, &pointers) >= 0 else { throw corrupt("attribute \(name) of \(object)") }
            defer { H5Dvlen_reclaim(memoryType, space, hid_t(H5P_DEFAULT), &pointers) }
            return pointers.map { $0.map { String(cString: $0) } ?? "" }
        }
        // Fixed-length strings (numpy 'S' arrays, as Keras 2 wrote them): read in the file's own type so
        // no padding conversion can cut the last character, then cut at the first NUL.
        let width = H5Tget_size(fileType)
        guard width > 0, width <= 4096 else { throw corrupt("attribute \(name) of \(object)") }
        var bytes = [UInt8](repeating: 0, count: count * width)
        guard H5Aread(attribute, fileType, &bytes) >= 0 else { throw corrupt("attribute \(name) of \(object)") }
        return (0..<count).map { i in
            let slice = bytes[(i * width)..<((i + 1) * width)]
            return String(decoding: slice.prefix { $0 != 0 }, as: UTF8.self)
        }
    }

    /// The dimensions of dataset `path`, or nil when it does not exist or is not a dataset.
    func shape(of path: String) -> [Int]? {
        guard exists(path) else { return nil }
        let dataset = H5Dopen2(id, path, hid_t(H5P_DEFAULT))
        guard dataset >= 0 else { return nil }
        defer { H5Dclose(dataset) }
        return Self.dimensions(of: dataset)
    }

    /// Reads dataset `path` as float32 (HDF5 converts float64/float16 on the way), bounded in size.
    func floats(_ path: String) throws(ModelError) -> WeightTensor {
        let dataset = H5Dopen2(id, path, hid_t(H5P_DEFAULT))
        guard dataset >= 0 else { throw corrupt("dataset \(path)") }
        defer { H5Dclose(dataset) }
        guard let shape = Self.dimensions(of: dataset) else { throw corrupt("dataset \(path)") }
        let type = H5Dget_type(dataset)
        defer { H5Tclose(type) }
        guard H5Tget_class(type) == H5T_FLOAT else {
            throw .unsupportedType(source: self.path, tensor: path, type: "HDF5 class \(H5Tget_class(type).rawValue)")
        }
        let count = try Self.elementCount(shape, dataset: path, source: self.path)
        // The file's own type in native byte order (libhdf5's global H5T_NATIVE_FLOAT is not Sendable-safe).
        let memoryType = H5Tget_native_type(type, H5T_DIR_DEFAULT)
        guard memoryType >= 0 else { throw corrupt("dataset \(path)") }
        defer { H5Tclose(memoryType) }
        let all = hid_t(H5S_ALL), plist = hid_t(H5P_DEFAULT)
        switch H5Tget_size(memoryType) {
        case 4:
            var values = [Float](repeating: 0, count: count)
            guard H5Dread(dataset, memoryType, all, all, plist, &values) >= 0 else { throw corrupt("dataset \(path)") }
            return WeightTensor(shape: shape, values: values)
        case 8:
            var values = [Double](repeating: 0, count: count)
            guard H5Dread(dataset, memoryType, all, all, plist, &values) >= 0 else { throw corrupt("dataset \(path)") }
            return WeightTensor(shape: shape, values: values.map { Float($0) })
        default:
            throw .unsupportedType(source: self.path, tensor: path, type: "\(H5Tget_size(memoryType))-byte float")
        }
    }

    /// The number of elements of `shape`, multiplied with overflow checks: a hostile file's
    /// [65536, 65536, 65536, 65536] must be an error, not a trap. Throws past `maxElements`.
    static func elementCount(_ shape: [Int], dataset: String, source: String) throws(ModelError) -> Int {
        var count = 1
        for dimension in shape {
            let (product, overflow) = count.multipliedReportingOverflow(by: dimension)
            guard dimension >= 0, !overflow, product <= maxElements else {
                throw .notMobileNetV2(source: source, reason: "dataset \(dataset) has shape \(shape), "
                    + "more than the \(maxElements) elements a MobileNetV2 tensor can have")
            }
            count = product
        }
        return count
    }

    private static func dimensions(of dataset: hid_t) -> [Int]? {
        let space = H5Dget_space(dataset)
        guard space >= 0 else { return nil }
        defer { H5Sclose(space) }
        let rank = Int(H5Sget_simple_extent_ndims(space))
        guard rank >= 0, rank <= 8 else { return nil }
        var dims = [hsize_t](repeating: 0, count: rank)
        guard H5Sget_simple_extent_dims(space, &dims, nil) >= 0 else { return nil }
        guard dims.allSatisfy({ $0 <= UInt64(Self.maxElements) }) else { return nil }
        return dims.map { Int($0) }
    }

    private func corrupt(_ what: String) -> ModelError {
        .unreadableFile(path: path, reason: "libhdf5 cannot read \(what) (corrupt file?)")
    }

    /// Why H5Fopen failed, as precisely as the bytes tell: missing file, not HDF5, or shorter than the
    /// end-of-file address its superblock declares.
    private static func openFailure(path: String) -> ModelError {
        guard let handle = FileHandle(forReadingAtPath: path) else {
            return .unreadableFile(path: path, reason: "no such file or no permission")
        }
        defer { try? handle.close() }
        let head = [UInt8]((try? handle.read(upToCount: 96)) ?? Data())
        let size = (try? handle.seekToEnd()).map { Int($0) } ?? head.count
        guard head.starts(with: HDF5Superblock.signature) else {
            return .unreadableFile(path: path, reason: "not an HDF5 file")
        }
        if let end = HDF5Superblock.declaredEnd(head), end > size {
            return .truncatedFile(source: path, detail: "\(size) bytes, the HDF5 superblock declares \(end)")
        }
        return .unreadableFile(path: path, reason: "libhdf5 cannot open it (corrupt HDF5 file)")
    }
}
