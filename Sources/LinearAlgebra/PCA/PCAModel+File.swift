import Foundation

/// The PCA model file: versioned, self-describing, self-checking (docs/pca-model.md).
///
///     "ORCHPCA1"                 8 bytes magic (format version 1)
///     dimension d                UInt32, 1...8192
///     components K               UInt32, 1...d
///     samples n                  UInt64, ≥ 2
///     mean                       d × Float64
///     explained variance         K × Float64
///     explained variance ratio   K × Float64
///     components                 K × d × Float64, row-major (component by component)
///     CRC-32 (IEEE)              UInt32 over every byte before it
///
/// All integers and floats are little-endian; every float must be finite.
extension PCAModel {
    static let magic = "ORCHPCA1"
    static let what = "PCA model"

    /// The model file's bytes.
    public func serialized() -> [UInt8] {
        var writer = ByteWriter(capacity: 24 + 4 + 8 * (dimension + 2 * componentCount + components.count))
        writer.append(magic: Self.magic)
        writer.append(UInt32(dimension))
        writer.append(UInt32(componentCount))
        writer.append(UInt64(sampleCount))
        writer.append(doubles: mean)
        writer.append(doubles: explainedVariance)
        writer.append(doubles: explainedVarianceRatio)
        writer.append(doubles: components)
        return writer.sealed()
    }

    /// Reads a model file's bytes, checking the checksum, the header's sizes against the length and every value.
    public init(serialized bytes: [UInt8]) throws {
        var reader = try ByteReader(checked: bytes, what: Self.what)
        try reader.expect(magic: Self.magic)
        let d = Int(try reader.readUInt32())
        let k = Int(try reader.readUInt32())
        let n = try reader.readUInt64()
        guard (1...CovarianceAccumulator.maxDimension).contains(d) else { throw reader.fail("dimension \(d) out of range") }
        guard (1...d).contains(k) else { throw reader.fail("component count \(k) out of range 1...\(d)") }
        guard n >= 2, n <= UInt64(Int.max) else { throw reader.fail("sample count \(n) out of range") }
        let expected = 8 * (d + 2 * k + k * d)
        guard reader.remaining == expected else {
            throw reader.fail("expected \(expected) bytes of arrays for d=\(d), K=\(k), found \(reader.remaining)")
        }
        let mean = try reader.readDoubles(d, field: "mean")
        let variance = try reader.readDoubles(k, field: "explained variance")
        let ratio = try reader.readDoubles(k, field: "explained variance ratio")
        let components = try reader.readDoubles(k * d, field: "components")
        try reader.expectEnd()
        try self.init(
            mean: mean, components: components, explainedVariance: variance, explainedVarianceRatio: ratio,
            sampleCount: Int(n))
    }

    /// Writes the model file to `url` atomically.
    public func write(to url: URL) throws {
        do {
            try Data(serialized()).write(to: url, options: .atomic)
        } catch {
            throw LinearAlgebraError.fileIO(path: url.path, reason: "cannot write PCA model: \(error.localizedDescription)")
        }
    }

    /// Largest model file `load` accepts: d = 8192 with K = d.
    static let maxFileBytes = 24 + 8 * (8192 + 2 * 8192 + 8192 * 8192) + 4

    /// Reads a model file from `url`.
    public static func load(from url: URL) throws -> PCAModel {
        let data: Data
        do {
            let size = (try FileManager.default.attributesOfItem(atPath: url.path)[.size] as? NSNumber)?.intValue ?? 0
            guard size <= maxFileBytes else {
                throw LinearAlgebraError.malformedData(what: what, offset: 0, reason: "file of \(size) bytes is too large")
            }
            data = try Data(contentsOf: url)
        } catch let error as LinearAlgebraError {
            throw error
        } catch {
            throw LinearAlgebraError.fileIO(path: url.path, reason: "cannot read PCA model: \(error.localizedDescription)")
        }
        return try PCAModel(serialized: [UInt8](data))
    }
}
