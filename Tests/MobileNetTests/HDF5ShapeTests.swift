import CHDF5
import Foundation
import Testing

@testable import MobileNet

/// A libhdf5 global identifier (set by `H5open`), read through the dynamic linker: Swift 6 refuses to
/// touch imported mutable C globals directly.
private func hdf5Global(_ name: String) throws -> hid_t {
    let symbol = try #require(dlsym(dlopen(nil, RTLD_NOW), name), "no \(name) in libhdf5")
    return symbol.load(as: hid_t.self)
}

/// Dataset shapes whose element count overflows `Int` must fail with a `ModelError`, not trap.
@Suite struct HDF5ShapeTests {
    @Test func elementCountIsCheckedNotTrapped() throws {
        #expect(try HDF5File.elementCount([3, 3, 32, 64], dataset: "k", source: "f.h5") == 18_432)
        #expect(try HDF5File.elementCount([], dataset: "k", source: "f.h5") == 1)
        for shape in [[65536, 65536, 65536, 4], [65536, 65536, 65536, 65536], [Int.max, 2], [1 << 26, 2], [-1, 4]] {
            #expect(throws: ModelError.notMobileNetV2(
                source: "f.h5",
                reason: "dataset k has shape \(shape), more than the \(HDF5File.maxElements) elements a MobileNetV2 tensor can have"
            )) { try HDF5File.elementCount(shape, dataset: "k", source: "f.h5") }
        }
    }

    /// A real .h5 file (written through libhdf5, chunked so nothing is allocated) whose float dataset has
    /// shape [65536, 65536, 65536, 65536]: 2^64 elements, which wraps a plain `reduce(1, *)`.
    @Test func hugeDatasetShapeInARealFileIsAnError() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("orchard-huge-\(UUID().uuidString).h5").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        let dims: [hsize_t] = [65536, 65536, 65536, 65536]
        try hdf5Lock.withLock { _ in
            _ = H5open()
            H5Eset_auto2(hid_t(H5E_DEFAULT), nil, nil)
            let file = H5Fcreate(path, UInt32(0x0002) /* H5F_ACC_TRUNC */, hid_t(H5P_DEFAULT), hid_t(H5P_DEFAULT))
            try #require(file >= 0)
            defer { H5Fclose(file) }
            let space = H5Screate_simple(Int32(dims.count), dims, nil)
            try #require(space >= 0, "libhdf5 refused the dataspace")
            defer { H5Sclose(space) }
            let plist = H5Pcreate(try hdf5Global("H5P_CLS_DATASET_CREATE_ID_g"))
            defer { H5Pclose(plist) }
            let chunk: [hsize_t] = [1, 1, 1, 1]
            try #require(H5Pset_chunk(plist, 4, chunk) >= 0)
            let dataset = H5Dcreate2(file, "kernel", try hdf5Global("H5T_IEEE_F32LE_g"), space, hid_t(H5P_DEFAULT), plist, hid_t(H5P_DEFAULT))
            try #require(dataset >= 0, "libhdf5 refused the dataset")
            H5Dclose(dataset)
        }
        let error = hdf5Lock.withLock { _ -> ModelError? in
            do {
                let file = try HDF5File(path: path)
                #expect(file.shape(of: "kernel") == dims.map { Int($0) })
                _ = try file.floats("kernel")
                return nil
            } catch let error as ModelError {
                return error
            } catch {
                return nil
            }
        }
        guard case .notMobileNetV2(let source, let reason) = error else {
            Issue.record("expected notMobileNetV2, got \(String(describing: error))")
            return
        }
        #expect(source == path)
        #expect(reason.contains("[65536, 65536, 65536, 65536]"))
    }
}
