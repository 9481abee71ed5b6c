import ArgumentParser
import Parquet

/// `orchard parquet`: look inside Parquet files.
struct ParquetCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "parquet",
        abstract: "Show a Parquet file's schema or first rows (ours, Spark's, pyarrow's).",
        discussion: """
            Examples:
              orchard parquet schema features/part-00000-0123456789abcdef.parquet
              orchard parquet head features/part-00000-0123456789abcdef.parquet -n 5
            """,
        subcommands: [Schema.self, Head.self])

    /// `orchard parquet schema`.
    struct Schema: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Print the schema, row counts and footer metadata of a Parquet file.",
            discussion: "Example: orchard parquet schema features/part-00000-0123456789abcdef.parquet")

        @Argument(help: "A .parquet file.")
        var file: String

        func run() throws {
            print(ParquetTextDump.schema(of: try ParquetFileReader(path: file)))
        }
    }

    /// `orchard parquet head`.
    struct Head: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Print the first rows of a Parquet file (long lists are shortened).",
            discussion: "Example: orchard parquet head features/part-00000-0123456789abcdef.parquet -n 5")

        @Argument(help: "A .parquet file.")
        var file: String

        @Option(name: .short, help: "How many rows.")
        var n: Int = 10

        func validate() throws {
            if n < 0 { throw ValidationError("-n must be 0 or more.") }
        }

        func run() throws {
            print(try ParquetTextDump.head(try ParquetFileReader(path: file), count: n))
        }
    }
}
