import Foundation
@testable import Parquet

/// One text form for values, produced identically by Swift and by the Python peers, so comparing rows is
/// comparing strings. Floats are compared by bit pattern.
enum Canonical {
    static func text(_ v: ParquetValue) -> String {
        switch v {
        case .null: "N"
        case .boolean(let b): b ? "T" : "F"
        case .int32(let x): "i\(x)"
        case .int64(let x): "i\(x)"
        case .float(let f): "f" + String(format: "%08x", f.bitPattern)
        case .double(let d): "d" + String(format: "%016llx", d.bitPattern)
        case .string(let s): "s" + hex(Array(s.utf8))
        case .binary(let b): "b" + hex(b)
        case .timestamp(let t): "t\(t)"
        case .list(let xs): "[" + xs.map(text).joined(separator: ",") + "]"
        }
    }

    static func hex(_ bytes: [UInt8]) -> String { bytes.map { String(format: "%02x", $0) }.joined() }

    static func row(_ values: [ParquetValue]) -> String { values.map(text).joined(separator: "|") }

    /// Every row of a file as read by our reader.
    static func rows(of path: String) throws -> [String] {
        let reader = try ParquetFileReader(path: path)
        var out: [String] = []
        for g in 0..<reader.rowGroupCount {
            let group = try reader.readRowGroup(g)
            for r in 0..<group.rowCount { out.append(row(group.columns.map { $0.value(row: r) })) }
        }
        return out
    }

    /// Python: `canon(table)` returns the same lines for a pyarrow table (also used for DuckDB's Arrow output).
    static let python = #"""
import struct, pyarrow as pa
def enc(v, typ):
    if v is None: return "N"
    if pa.types.is_list(typ) or pa.types.is_large_list(typ):
        return "[" + ",".join(enc(x, typ.value_type) for x in v) + "]"
    if pa.types.is_boolean(typ): return "T" if v else "F"
    if pa.types.is_integer(typ): return "i%d" % v
    if pa.types.is_timestamp(typ): return "t%d" % v
    if pa.types.is_float32(typ): return "f%08x" % struct.unpack("<I", struct.pack("<f", v))[0]
    if pa.types.is_float64(typ): return "d%016x" % struct.unpack("<Q", struct.pack("<d", v))[0]
    if pa.types.is_string(typ) or pa.types.is_large_string(typ) or pa.types.is_string_view(typ): return "s" + v.encode().hex()
    if pa.types.is_binary(typ) or pa.types.is_large_binary(typ) or pa.types.is_binary_view(typ) or pa.types.is_fixed_size_binary(typ): return "b" + v.hex()
    raise Exception("type %s" % typ)
def ts_as_int(col):
    typ = col.type
    if pa.types.is_timestamp(typ): return col.cast(pa.timestamp("us", tz=typ.tz)).cast(pa.int64()), pa.timestamp("us")
    if (pa.types.is_list(typ) or pa.types.is_large_list(typ)) and pa.types.is_timestamp(typ.value_type):
        return col.cast(pa.list_(pa.int64())), pa.list_(pa.timestamp("us"))
    return col, typ
def canon(table):
    cols = []
    for i in range(table.num_columns):
        col, typ = ts_as_int(table.column(i))
        cols.append([enc(v, typ) for v in col.to_pylist()])
    return ["|".join(c[r] for c in cols) for r in range(table.num_rows)]

"""#
}
