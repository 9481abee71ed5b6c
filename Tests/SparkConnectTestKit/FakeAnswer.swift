import Foundation
import OrchardTestKit

/// Rows a fake server returns for one query: an Arrow IPC stream and its row count.
public struct FakeAnswer: Sendable {
    public let rows: Int
    public let arrow: [UInt8]

    /// Rows made by pyarrow from `table`, a Python expression over `pa` (e.g.
    /// `pa.table({'n': pa.array([2], pa.int64())})`), written as one Arrow IPC stream as Spark sends them.
    public static func pyarrow(_ table: String) throws -> FakeAnswer {
        let script = """
            import sys, pyarrow as pa
            table = \(table)
            sink = pa.BufferOutputStream()
            with pa.ipc.new_stream(sink, table.schema) as writer:
                writer.write_table(table)
            sys.stderr.write(str(table.num_rows))
            sys.stdout.buffer.write(sink.getvalue().to_pybytes())
            """
        let result = try ChildProcess.run("/usr/bin/env", ["python3", "-c", script]).check()
        guard let rows = Int(result.errors.trimmingCharacters(in: .whitespacesAndNewlines)) else {
            throw ChildProcess.Failure("pyarrow printed no row count: \(result.errors)")
        }
        return FakeAnswer(rows: rows, arrow: [UInt8](result.stdout))
    }
}
