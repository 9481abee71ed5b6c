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

    init(jobID: String, binaryName: String, modelName: String) {
        files = "orchard_files_\(jobID)"
        images = "orchard_images_\(jobID)"
        // Artifacts land in a per-session subfolder of the task's working directory; the glob finds it.
        launcher = "set -- */\(binaryName); d=$(dirname \"$1\"); exec \"$1\" worker"
        self.modelName = modelName
    }

    /// Paths of the images among the listed files, the same extensions the local engine takes.
    var imagePaths: String {
        "SELECT path FROM \(files) WHERE lower(path) RLIKE '\\\\.(jpe?g|png)$'"
    }

    /// Runs the featurizer on `partitions` partitions of the image paths.
    func featurize(partitions: Int, maxPixels: Int) -> String {
        let command = "\(launcher) featurize --model \"$d/\(modelName)\" --threads 1 --max-pixels \(maxPixels)"
        return """
            SELECT TRANSFORM(path) USING '\(Self.sqlString(command))'
            AS (path STRING, label STRING, features ARRAY<FLOAT>, error STRING)
            FROM (SELECT /*+ REPARTITION(\(partitions)) */ path FROM \(images))
            """
    }

    /// Each partition's PCA sums, in base64 chunks.
    func pcaPartials(staging: String) -> String {
        """
        SELECT TRANSFORM(features) USING '\(Self.sqlString("\(launcher) pca-partial"))'
        AS (id STRING, chunk INT, chunks INT, data STRING)
        FROM parquet.`\(Self.identifier(staging))` WHERE features IS NOT NULL
        """
    }

    /// The final rows: staged rows with their PCA projection, in the dataset's column order.
    func pcaApply(staging: String, pcaName: String) -> String {
        let command = "\(launcher) pca-apply --pca \"$d/\(pcaName)\""
        return """
            SELECT path, label, features, pca, error FROM (
              SELECT TRANSFORM(path, label, features, error) USING '\(Self.sqlString(command))'
              AS (path STRING, label STRING, features ARRAY<FLOAT>, error STRING, pca ARRAY<FLOAT>)
              FROM parquet.`\(Self.identifier(staging))`)
            """
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
