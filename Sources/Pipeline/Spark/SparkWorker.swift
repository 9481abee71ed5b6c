import Foundation
import Imaging
import LinearAlgebra
import MobileNet
import Recognition
import Storage

/// What `orchard worker` does on a Spark executor: reads its partition's rows on standard input and
/// writes result rows on standard output, in script-transformation format (see `TransformRowFormat`).
///
/// A bad image is a result row with an error, never a failed task; only what makes every row fail
/// (an unreadable model) exits non-zero, which fails the Spark query with the message.
public struct SparkWorker: Sendable {
    let stores: StoreResolver
    /// Where blocks of result rows go (standard output by default).
    let output: @Sendable ([UInt8]) -> Void

    /// A worker reading images through `stores`.
    public init(stores: StoreResolver, output: @escaping @Sendable ([UInt8]) -> Void = SparkWorker.writeStandardOutput) {
        self.stores = stores
        self.output = output
    }

    /// Input: one image path per row (Spark's `path` column, hex), or with `content` the path, the file's
    /// length and its bytes in base64 (NULL when over `limits.maxBytes`), for file systems only Spark
    /// reads. Output, unstaged: path, label, features (decimal text), error. Staged (a PCA follows):
    /// path, label, features (base64), error, then after the last image this partition's PCA sums as
    /// rows of NULL×4, sums id, chunk, chunk count, base64. Unstaged rows are final: the dataset's columns,
    /// with `classifier`'s prediction when given.
    public func featurize(
        lines: some Sequence<String>, modelPath: String, threads: Int, limits: ImageLimits, staged: Bool = false,
        content: Bool = false, classifier: ClassifierBundle? = nil, backend: InferenceBackend = .preferred
    ) async throws {
        let transforms = RowTransforms(classifier: staged ? nil : classifier)
        let pool = try FeaturePool.mobileNet(modelPath: modelPath, threads: threads, limits: limits, backend: backend)
        let featurizer = BatchFeaturizer(stores: stores, pool: pool, maxImageBytes: limits.maxBytes)
        var writer = TransformRowWriter(sink: output)
        var sums: CovarianceAccumulator?
        var batch: [ImageItem] = []
        var batchContent: [Result<[UInt8], Error>] = []
        var batchBytes = 0
        func flush() async throws {
            let rows = content ? await featurizer.rows(for: batch, bytes: batchContent) : await featurizer.rows(for: batch)
            for row in rows {
                if staged {
                    if let values = row.features {
                        if sums == nil { sums = try CovarianceAccumulator(dimension: values.count) }
                        try sums!.add(values)
                    }
                    writer.write([.text(row.path), .text(row.label), .base64Floats(row.features), .text(row.error)])
                } else {
                    var row = row
                    try transforms.apply(to: &row)
                    writer.write(transforms.columns.transformFields(of: row))
                }
            }
            writer.flush()
            batch.removeAll(keepingCapacity: true)
            batchContent.removeAll(keepingCapacity: true)
            batchBytes = 0
        }
        for line in lines where !line.isEmpty {
            let fields = TransformRowFormat.fields(of: Substring(line))
            guard let field = fields.first, let sparkPath = TransformRowFormat.text(field) else { continue }
            do {
                let location = try Self.location(fromSparkPath: sparkPath)
                batch.append(ImageItem(location: location, label: location.parentName, size: 0))
                if content {
                    batchContent.append(Self.bytes(of: location, fields: fields, maxBytes: limits.maxBytes))
                    batchBytes += line.utf8.count
                }
            } catch {
                let failed = FeatureRow(path: sparkPath, label: "", features: nil, error: "\(error)")
                writer.write(staged ? [.text(failed.path), .text(""), .base64Floats(nil), .text(failed.error)]
                                    : transforms.columns.transformFields(of: failed))
            }
            // Bounded memory: at most 256 images, or about 64 MiB of them, at a time.
            if batch.count == 256 || batchBytes >= 64 << 20 { try await flush() }
        }
        try await flush()
        if let sums { writeSums(sums, after: 4, to: &writer) }
        writer.flush()
    }

    /// The bytes an input row carries (path, length, base64 content), or why it carries none.
    static func bytes(of location: StorageLocation, fields: [Substring?], maxBytes: Int) -> Result<[UInt8], Error> {
        guard fields.count >= 3, let encoded = fields[2] else {
            let size = fields.count >= 2 ? fields[1].flatMap { Int64($0) } ?? -1 : -1
            return .failure(StorageError.tooLarge(location.description, size: size, limit: maxBytes))
        }
        guard encoded.utf8.count <= (maxBytes + 2) / 3 * 4, let data = Data(base64Encoded: String(encoded)) else {
            return .failure(StorageError.io(location.description, reason: "Spark sent content that is not base64"))
        }
        return .success([UInt8](data))
    }

    /// Input: rows of PCA sums (id, chunk, chunk count, base64). Output: their merge, as one partition's.
    /// Spark runs this over groups of partitions so the driver receives a bounded number of sums.
    public func pcaMerge(lines: some Sequence<String>) throws {
        var partials = PartialSums()
        for line in lines where !line.isEmpty {
            let fields = TransformRowFormat.fields(of: Substring(line))
            guard fields.count >= 4, let id = fields[0], let chunk = fields[1].flatMap({ Int($0) }),
                  let count = fields[2].flatMap({ Int($0) }), let data = fields[3] else { continue }
            try partials.add(id: String(id), chunk: chunk, of: count, base64: String(data))
        }
        guard !partials.isEmpty else { return }  // an empty group; an incomplete one throws below
        var writer = TransformRowWriter(sink: output)
        writeSums(try partials.merged(), after: 0, to: &writer)
        writer.flush()
    }

    /// Input: staged path, label, features (base64), error. Output: the dataset's final columns, with the
    /// PCA projection (and `classifier`'s prediction when given).
    public func pcaApply(lines: some Sequence<String>, model: PCAModel, classifier: ClassifierBundle? = nil) throws {
        let transforms = RowTransforms(pca: model, classifier: classifier)
        var writer = TransformRowWriter(sink: output)
        defer { writer.flush() }
        for line in lines where !line.isEmpty {
            let fields = TransformRowFormat.fields(of: Substring(line))
            guard fields.count >= 4 else { continue }
            var row = FeatureRow(
                path: TransformRowFormat.text(fields[0]) ?? "", label: TransformRowFormat.text(fields[1]) ?? "",
                features: fields[2].flatMap { TransformRowFormat.parseBase64($0) }, error: TransformRowFormat.text(fields[3]))
            try transforms.apply(to: &row)
            writer.write(transforms.columns.transformFields(of: row))
        }
    }

    /// Writes `sums` in chunk rows, after `nulls` NULL fields.
    private func writeSums(_ sums: CovarianceAccumulator, after nulls: Int, to writer: inout TransformRowWriter) {
        for chunk in PartialSums.chunks(of: sums) {
            writer.write([TransformField](repeating: .token(nil), count: nulls) + chunk.map { .token($0) })
        }
    }

    /// Spark's file paths are Hadoop's `Path.toString`: a scheme, then the path as it is, never
    /// percent-encoded (`file:/a/b c%41.jpg`, `s3a://bucket/key`, `hdfs://namenode/a/b c.jpg`; binaryFile's
    /// `path` column in every Spark version). Orchard's local paths have no scheme and its S3 is `s3://`.
    public static func location(fromSparkPath path: String) throws -> StorageLocation {
        for scheme in ["file://", "file:"] where path.hasPrefix(scheme) {
            return .local(path: String(path.dropFirst(scheme.count)))
        }
        if path.hasPrefix("s3://") || path.hasPrefix("s3a://") || path.hasPrefix("s3n://") {
            return try StorageLocation(parsing: "s3://" + path.drop { $0 != ":" }.dropFirst(3))
        }
        return try StorageLocation(parsing: path)
    }

    /// Writes to standard output.
    public static let writeStandardOutput: @Sendable ([UInt8]) -> Void = { bytes in
        FileHandle.standardOutput.write(Data(bytes))
    }
}
