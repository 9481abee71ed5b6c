/// Everything that can go wrong while writing or reading a Parquet file, saying what and where.
public enum ParquetError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The operating system refused an I/O call on `path` (`operation` failed with `errno`).
    case io(path: String, operation: String, errno: Int32)
    /// The file is not valid Parquet: `detail` names the structure, `offset` the byte position when known.
    case malformed(String, offset: Int?)
    /// The file uses a feature this implementation does not read (an encoding, codec or type).
    case unsupported(String)
    /// A value handed to the writer does not fit the schema (wrong type, column, or row count).
    case schemaMismatch(String)
    /// A column named in a read request does not exist in the file.
    case noSuchColumn(String)
    /// A compression library reported an error.
    case compression(codec: String, detail: String)
    /// The writer was used after `close()`.
    case writerClosed
    /// Decoding `what` (a column chunk or one of its pages) would allocate `bytes`, more than the reader's
    /// `budget` (see `ParquetReadOptions`); checked before anything that large is allocated.
    case overBudget(String, bytes: Int64, budget: Int64)

    /// A human-readable explanation.
    public var description: String {
        switch self {
        case .io(let path, let operation, let errno):
            return "parquet: \(operation) failed on \(path): errno \(errno)"
        case .malformed(let detail, let offset):
            if let offset { return "parquet: malformed file at byte \(offset): \(detail)" }
            return "parquet: malformed file: \(detail)"
        case .unsupported(let detail): return "parquet: unsupported: \(detail)"
        case .schemaMismatch(let detail): return "parquet: schema mismatch: \(detail)"
        case .noSuchColumn(let name): return "parquet: no column named '\(name)'"
        case .compression(let codec, let detail): return "parquet: \(codec) error: \(detail)"
        case .writerClosed: return "parquet: writer already closed"
        case .overBudget(let what, let bytes, let budget):
            return "parquet: \(what) would decode to \(bytes) bytes, over the reader's budget of \(budget) bytes"
        }
    }
}
