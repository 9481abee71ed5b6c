import MobileNet

/// The Spark SQL of a featurize job on Spark: listing, the script transformations that run
/// `orchard worker` on executors, and the projection of the final columns.
struct SparkJobQueries {
    /// Temporary view names, unique to the job so concurrent jobs in one session don't clash.
    let files: String
    let images: String
    /// The shell command that finds the shipped binary in the session's artifact folder and runs it.
    let launcher: String
    /// The shipped model's file name.
    let modelName: String
    /// The shipped classifier bundle's file name, when the job has one.
    let classifierName: String?
    /// Options every `orchard worker featurize` gets, e.g. the S3 endpoint the CLI was given.
    let workerOptions: [String]
    /// Whether the images' base64 has its CR LF line breaks removed in SQL, for servers where
    /// `spark.sql.chunkBase64String.enabled` cannot turn them off.
    var stripsBase64LineBreaks = false

    init(jobID: String, binaryName: String, modelName: String, classifierName: String? = nil, workerOptions: [String] = []) {
        self.classifierName = classifierName
        self.workerOptions = workerOptions
        files = "orchard_files_\(jobID)"
        images = "orchard_images_\(jobID)"
        // Artifacts land in a per-session subfolder of the task's working directory; the glob finds it.
        launcher = "set -- */\(binaryName); d=$(dirname \"$1\"); exec \"$1\" worker"
        self.modelName = modelName
    }

    /// The images among the listed files, the same extensions the local engine takes (content is read
    /// only by queries that select it).
    var imageFiles: String {
        "SELECT path, length, content FROM \(files) WHERE lower(path) RLIKE '\\\\.(jpe?g|png)$'"
    }

    /// Images the CLI listed itself, as inline rows with the columns `imageFiles` gives.
    static func listed(_ items: some Collection<ImageItem>) -> String {
        let rows = items.map { "('\(TransformRowFormat.hex($0.location.description))', \($0.size))" }
        return "SELECT CAST(unhex(p) AS STRING) AS path, CAST(l AS BIGINT) AS length, CAST(NULL AS BINARY) AS content"
            + " FROM VALUES " + rows.joined(separator: ", ") + " AS listed(p, l)"
    }

    /// Runs the featurizer on `partitions` partitions of the image paths, `threads` per task. Staged rows
    /// (a PCA follows) carry base64 features and, per partition, its PCA sums; with `content`, Spark reads
    /// the images and sends their bytes, up to `maxBytes` each (see `SparkWorker.featurize`). Unstaged rows
    /// are final (with the classifier's prediction when the job has one).
    func featurize(partitions: Int, threads: Int, maxPixels: Int, maxBytes: Int, staged: Bool, content: Bool,
                   backend: InferenceBackend = .preferred) -> String
    {
        let command = "\(launcher) featurize --model \"$d/\(modelName)\" --threads \(threads) --backend \(backend)"
            + " --max-pixels \(maxPixels)"
            + " --max-bytes \(maxBytes)" + (staged ? " --staged" : classifierArgument) + (content ? " --content" : "")
            + workerOptions.map { " " + Self.shellWord($0) }.joined()
        // Content is read only for files within the limit: the length filter reaches binaryFile's reader,
        // which then never opens a larger file (its own limit would fail the whole job).
        let input = content
            ? """
              SELECT hex(path) AS path, length, \(base64Content) AS content FROM \(images) WHERE length <= \(maxBytes)
              UNION ALL SELECT hex(path) AS path, length, NULL AS content FROM \(images) WHERE length > \(maxBytes)
              """
            : "SELECT hex(path) AS path FROM \(images)"
        let transform = """
            SELECT TRANSFORM(\(content ? "path, length, content" : "path")) \(TransformRowFormat.sqlClause)
            USING '\(Self.sqlString(command))' AS (\(staged ? Self.stagedColumns : finalColumns.sparkDefinition)) \(TransformRowFormat.sqlClause)
            FROM (SELECT /*+ REPARTITION(\(partitions)) */ * FROM (\(input)))
            """
        return staged ? transform : "SELECT \(finalColumns.sparkDecodingSelectList) FROM (\(transform))"
    }

    /// Staged rows: path, label and error as hex, features as base64, then a partition's PCA sums.
    static let stagedColumns = "path STRING, label STRING, features STRING, error STRING, \(sumsColumns)"

    /// The final columns of an unstaged featurize pass.
    private var finalColumns: DatasetColumns { DatasetColumns(pca: false, classifier: classifierName != nil) }

    /// The images' bytes as one line of base64 (`translate` drops characters it has no replacement for).
    private var base64Content: String {
        stripsBase64LineBreaks ? "translate(base64(content), '\\r\\n', '')" : "base64(content)"
    }

    /// The columns PCA sums travel in: partition id, chunk index, chunk count, base64 chunk.
    static let sumsColumns = "sums_id STRING, sums_chunk INT, sums_chunks INT, sums STRING"

    /// The staged partitions' PCA sums; with `mergeInto` groups, executors first merge them into that many.
    func pcaSums(staging: String, mergeInto groups: Int?) -> String {
        let sums = "SELECT sums_id, sums_chunk, sums_chunks, sums FROM parquet.`\(Self.identifier(staging))` WHERE sums IS NOT NULL"
        guard let groups else { return sums }
        return """
            SELECT TRANSFORM(sums_id, sums_chunk, sums_chunks, sums) \(TransformRowFormat.sqlClause)
            USING '\(Self.sqlString("\(launcher) pca-merge"))' AS (\(Self.sumsColumns)) \(TransformRowFormat.sqlClause)
            FROM (SELECT /*+ REPARTITION(\(groups), sums_id) */ * FROM (\(sums)))
            """
    }

    /// The final rows: staged rows with their PCA projection (and prediction), in the dataset's column order.
    func pcaApply(staging: String, pcaName: String) -> String {
        let command = "\(launcher) pca-apply --pca \"$d/\(pcaName)\"" + classifierArgument
        let columns = DatasetColumns(pca: true, classifier: classifierName != nil)
        return """
            SELECT \(columns.sparkDecodingSelectList) FROM (
              SELECT TRANSFORM(path, label, features, error) \(TransformRowFormat.sqlClause)
              USING '\(Self.sqlString(command))' AS (\(columns.sparkDefinition)) \(TransformRowFormat.sqlClause)
              FROM parquet.`\(Self.identifier(staging))` WHERE path IS NOT NULL)
            """
    }

    /// The worker's option naming the shipped classifier, if any.
    private var classifierArgument: String {
        classifierName.map { " --classifier \"$d/\($0)\"" } ?? ""
    }

    /// The written dataset's rows and feature length, counted by Spark: the rows never leave the cluster.
    static func datasetCounts(_ dataset: String) -> String {
        "SELECT count(*), max(size(features)) FROM parquet.`\(identifier(dataset))`"
    }

    /// Failed rows by reason, grouped by Spark as `FailureReason.reason` groups them: the message after
    /// its last ": ", up to any "(", trimmed.
    static func failuresByReason(_ dataset: String) -> String {
        """
        SELECT reason, count(*) FROM (
          SELECT CASE WHEN error LIKE '%: %' THEN trim(regexp_extract(error, '(?s)^.*: ([^(]*)', 1)) ELSE error END AS reason
          FROM parquet.`\(identifier(dataset))` WHERE error IS NOT NULL)
        GROUP BY reason
        """
    }

    /// Counts the cluster's task slots: a range without a partition count gets the default parallelism.
    static let taskSlots = "SELECT max(p) + 1 FROM (SELECT spark_partition_id() AS p FROM range(0, 1048576))"

    /// A word the launcher's shell passes on as it is, whatever it holds.
    static func shellWord(_ text: String) -> String {
        "'" + text.replacingOccurrences(of: "'", with: "'\\''") + "'"
    }

    /// Text inside a single-quoted SQL string literal.
    static func sqlString(_ text: String) -> String {
        text.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "'", with: "\\'")
    }

    /// Text inside a back-quoted SQL identifier.
    static func identifier(_ text: String) -> String {
        text.replacingOccurrences(of: "`", with: "``")
    }
}
