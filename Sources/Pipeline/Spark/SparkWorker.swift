import Foundation
import Imaging
import LinearAlgebra
import Storage

/// What `orchard worker` does on a Spark executor: reads its partition's rows on standard input and
/// writes result rows on standard output, in script-transformation format (see `TransformRowFormat`).
///
/// A bad image is a result row with an error, never a failed task; only what makes every row fail
/// (an unreadable model) exits non-zero, which fails the Spark query with the message.
public struct SparkWorker: Sendable {
    let stores: StoreResolver
    /// Where result lines go (standard output by default).
    let output: @Sendable (String) -> Void

    /// A worker reading images through `stores`.
    public init(stores: StoreResolver, output: @escaping @Sendable (String) -> Void = SparkWorker.writeStandardOutput) {
        self.stores = stores
        self.output = output
    }

    /// Input: one image path per row (Spark's `path` column). Output: path, label, features, error.
    public func featurize(lines: some Sequence<String>, modelPath: String, threads: Int, limits: ImageLimits) async throws {
        let pool = try FeaturePool.mobileNet(modelPath: modelPath, threads: threads, limits: limits)
        let featurizer = BatchFeaturizer(stores: stores, pool: pool, maxImageBytes: limits.maxBytes)
        var batch: [ImageItem] = []
        func flush() async {
            for row in await featurizer.rows(for: batch) {
                output(TransformRowFormat.line([
                    row.path, row.label, row.features.map(TransformRowFormat.array), row.error,
                ]) + "\n")
            }
            batch.removeAll(keepingCapacity: true)
        }
        for line in lines where !line.isEmpty {
            guard let field = TransformRowFormat.fields(of: Substring(line)).first, let sparkPath = field else { continue }
            do {
                let location = try Self.location(fromSparkPath: String(sparkPath))
                batch.append(ImageItem(location: location, label: location.parentName, size: 0))
            } catch {
                output(TransformRowFormat.line([String(sparkPath), "", nil, "\(error)"]) + "\n")
            }
            if batch.count == 256 { await flush() }
        }
        await flush()
    }

    /// Input: one features array per row. Output: this partition's PCA sums, serialised and cut into
    /// rows of at most `chunkBytes` base64 text (big rows hurt Spark's driver): id, index, count, chunk.
    public func pcaPartial(lines: some Sequence<String>, chunkBytes: Int = 1 << 20) throws {
        var accumulator: CovarianceAccumulator?
        for line in lines where !line.isEmpty {
            guard let field = TransformRowFormat.fields(of: Substring(line)).first, let text = field,
                  let features = TransformRowFormat.parseArray(text) else { continue }
            if accumulator == nil { accumulator = try CovarianceAccumulator(dimension: features.count) }
            try accumulator!.add(features)
        }
        guard let accumulator, accumulator.count > 0 else { return }
        let encoded = Data(accumulator.serialized()).base64EncodedString()
        let id = UUID().uuidString
        let chunks = stride(from: 0, to: encoded.utf8.count, by: chunkBytes).map { start in
            let from = encoded.utf8.index(encoded.utf8.startIndex, offsetBy: start)
            let to = encoded.utf8.index(from, offsetBy: min(chunkBytes, encoded.utf8.count - start))
            return String(encoded[from ..< to])
        }
        for (index, chunk) in chunks.enumerated() {
            output(TransformRowFormat.line([id, String(index), String(chunks.count), chunk]) + "\n")
        }
    }

    /// Input: path, label, features, error. Output: the same with the PCA projection appended.
    public func pcaApply(lines: some Sequence<String>, model: PCAModel) throws {
        for line in lines where !line.isEmpty {
            let fields = TransformRowFormat.fields(of: Substring(line))
            guard fields.count >= 4 else { continue }
            let features = fields[2].flatMap { TransformRowFormat.parseArray($0) }
            let pca = try features.map { try model.transform($0) }
            output(TransformRowFormat.line([
                fields[0].map(String.init), fields[1].map(String.init), fields[2].map(String.init),
                fields[3].map(String.init), pca.map(TransformRowFormat.array),
            ]) + "\n")
        }
    }

    /// Spark's file paths are URIs (`file:/a/b%20c.jpg`, `s3://bucket/key`, `s3a://…`); Orchard's are plain.
    public static func location(fromSparkPath path: String) throws -> StorageLocation {
        for scheme in ["file://", "file:"] where path.hasPrefix(scheme) {
            let rest = String(path.dropFirst(scheme.count))
            return .local(path: rest.removingPercentEncoding ?? rest)
        }
        if path.hasPrefix("s3://") || path.hasPrefix("s3a://") || path.hasPrefix("s3n://") {
            let normalised = "s3://" + path.drop { $0 != ":" }.dropFirst(3)
            return try StorageLocation(parsing: normalised.removingPercentEncoding ?? normalised)
        }
        return try StorageLocation(parsing: path)
    }

    /// Writes to standard output.
    public static let writeStandardOutput: @Sendable (String) -> Void = { text in
        FileHandle.standardOutput.write(Data(text.utf8))
    }
}
