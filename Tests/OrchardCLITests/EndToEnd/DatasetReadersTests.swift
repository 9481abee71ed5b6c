import Foundation
import OrchardTestKit
import Testing

/// The README's promise that DuckDB and Spark read a whole featurized folder as it is.
@Suite struct EndToEndDatasetReadersTests {
    struct Counts: Decodable {
        let perLabel: [String: Int]
        let total: Int
        let featureLengths: [Int]
        let schema: String?
    }

    static var expectedCounts: [String: Int] {
        Dictionary(uniqueKeysWithValues: SampleDataset.classes.map { ($0, SampleDataset.perClass) })
    }

    @Test func duckDBGroupsTheWholeFolderByLabel() async throws {
        let dataset = try await SampleDataset.get()
        let counts = try EndToEnd.pythonJSON(
            Counts.self,
            """
            import json, sys, duckdb
            files = sys.argv[1] + "/*.parquet"
            per_label = duckdb.sql(f"select label, count(*) from '{files}' group by 1").fetchall()
            total = duckdb.sql(f"select count(*) from '{files}'").fetchall()[0][0]
            lengths = duckdb.sql(f"select distinct len(features) from '{files}'").fetchall()
            print(json.dumps({"perLabel": dict(per_label), "total": total, "featureLengths": sorted(l for (l,) in lengths),
                              "schema": None}))
            """, [dataset.output])
        #expect(counts.perLabel == Self.expectedCounts, "\(counts.perLabel)")
        #expect(counts.total == dataset.imageCount)
        #expect(counts.featureLengths == [1280])
    }

    /// A JDK for pyspark: $JAVA_HOME, else Debian's OpenJDK 17.
    static var javaHome: String? {
        if let home = ProcessInfo.processInfo.environment["JAVA_HOME"], !home.isEmpty { return home }
        return ["/usr/lib/jvm/java-17-openjdk-amd64", "/usr/lib/jvm/java-17-openjdk-arm64"]
            .first { FileManager.default.fileExists(atPath: $0 + "/bin/java") }
    }

    @Test(.timeLimit(.minutes(5)))
    func sparkReadsEveryRowWithFeaturesAsArrayOfFloat() async throws {
        let dataset = try await SampleDataset.get()
        // Classic local mode, one JVM for every check; never a Spark Connect session from the environment.
        let environment: [String: String?] = [
            "JAVA_HOME": Self.javaHome, "SPARK_REMOTE": nil, "SPARK_CONNECT_MODE_ENABLED": nil, "SPARK_LOCAL_IP": "127.0.0.1",
        ]
        let counts = try EndToEnd.pythonJSON(
            Counts.self,
            """
            import json, sys
            from pyspark.sql import SparkSession, functions as F
            spark = (SparkSession.builder.master("local[1]").appName("orchard-e2e")
                     .config("spark.ui.enabled", "false").config("spark.sql.shuffle.partitions", "1").getOrCreate())
            spark.sparkContext.setLogLevel("ERROR")
            try:
                df = spark.read.parquet(sys.argv[1])
                rows = df.groupBy("label").agg(F.count("*").alias("n"), F.min(F.size("features")).alias("lo"),
                                               F.max(F.size("features")).alias("hi")).collect()
                print(json.dumps({
                    "perLabel": {r["label"]: r["n"] for r in rows},
                    "total": sum(r["n"] for r in rows),
                    "featureLengths": sorted({r["lo"] for r in rows} | {r["hi"] for r in rows}),
                    "schema": df.schema.simpleString(),
                }))
            finally:
                spark.stop()
            """, [dataset.output], environment: environment)
        #expect(counts.perLabel == Self.expectedCounts, "\(counts.perLabel)")
        #expect(counts.total == dataset.imageCount)
        #expect(counts.featureLengths == [1280])
        let schema = try #require(counts.schema)
        #expect(schema.contains("features:array<float>"), "\(schema)")
        #expect(schema.contains("pca:array<float>") && schema.contains("path:string") && schema.contains("label:string")
                && schema.contains("error:string"), "\(schema)")
    }
}
