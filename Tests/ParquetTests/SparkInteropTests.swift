import Foundation
import Testing
@testable import Parquet

/// One Spark (parquet-mr) round trip, since Spark takes ~10 s to start: Spark reads our file (its inferred
/// schema must keep list<float> as array<float>), writes it back with its defaults (snappy, INT96
/// timestamps, dictionary pages), and we read Spark's file and compare every value with what we wrote.
@Suite struct SparkInteropTests {
    @Test func sparkReadsOursAndWeReadSparks() throws {
        let scratch = try Scratch()
        let ours = scratch.path("ours.parquet")
        let sparkDir = scratch.path("spark-out")
        let rows = 120
        let writer = try ParquetFileWriter(path: ours, schema: SampleData.schema,
                                           options: .init(compression: .zstd, rowGroupRows: 50))
        try writer.write(SampleData.batch(rows: 0..<rows))
        try writer.close()
        let script = #"""
import sys, glob
from pyspark.sql import SparkSession
spark = (SparkSession.builder.master("local[1]").appName("orchard-parquet-test")
         .config("spark.ui.enabled", "false").config("spark.sql.session.timeZone", "UTC")
         .config("spark.driver.bindAddress", "127.0.0.1").getOrCreate())
spark.sparkContext.setLogLevel("ERROR")
df = spark.read.parquet(sys.argv[1])
print("SCHEMA", df.schema.simpleString())
print("COUNT", df.count())
df.coalesce(1).write.mode("overwrite").parquet(sys.argv[2])
print("FILE", glob.glob(sys.argv[2] + "/part-*.parquet")[0])
spark.stop()
"""#
        let out = try runPython(script, [ours, sparkDir], environment: ["SPARK_LOCAL_IP": "127.0.0.1", "PYSPARK_PYTHON": "python3"])
        let lines = out.split(separator: "\n").map(String.init)
        let schema = try #require(lines.first { $0.hasPrefix("SCHEMA ") })
        #expect(schema.contains("lf:array<float>"))
        #expect(schema.contains("ld:array<double>"))
        #expect(schema.contains("ls:array<string>"))
        #expect(schema.contains("ts:timestamp"))
        #expect(schema.contains("bin:binary"))
        #expect(lines.contains("COUNT \(rows)"))
        let file = try #require(lines.first { $0.hasPrefix("FILE ") }).dropFirst(5)
        let reader = try ParquetFileReader(path: String(file))
        #expect(reader.createdBy?.contains("parquet-mr") == true)
        #expect(reader.schema.fields.map(\.name) == SampleData.schema.fields.map(\.name))
        #expect(reader.schema.fields.map(\.type) == SampleData.schema.fields.map(\.type))
        let read = try Canonical.rows(of: String(file))
        let expected = (0..<rows).map { Canonical.row(SampleData.row($0)) }
        #expect(read.count == rows)
        for (i, (a, b)) in zip(read, expected).enumerated() where a != b {
            Issue.record("row \(i): spark file \(a)\n ours \(b)")
            break
        }
    }
}
