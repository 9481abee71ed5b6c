@testable import Parquet

/// A schema with every supported type, and deterministic rows that exercise nulls, empty lists and odd values.
enum SampleData {
    static let schema = ParquetSchema([
        .boolean("b"), .boolean("b_opt", optional: true),
        .int32("i32"), .int32("i32_opt", optional: true),
        .int64("i64"), .int64("i64_opt", optional: true),
        .float("f"), .float("f_opt", optional: true),
        .double("d"), .double("d_opt", optional: true),
        .string("s"), .string("s_opt", optional: true),
        .binary("bin"), .binary("bin_opt", optional: true),
        .timestamp("ts"), .timestamp("ts_opt", optional: true),
        .list("lf", of: .float, optional: true), .list("ld", of: .double),
        .list("li", of: .int32, optional: true), .list("ll", of: .int64, optional: true),
        .list("ls", of: .string, optional: true),
    ])

    static let specialFloats: [Float] = [0, -0.0, 1.5, -2.25, .greatestFiniteMagnitude, .leastNonzeroMagnitude, .infinity, -.infinity, 3.14159]

    /// Row `r`'s value for every column (as `ParquetValue`s, the general path).
    static func row(_ r: Int) -> [ParquetValue] {
        let nullEvery3 = r % 3 == 1
        let f = specialFloats[r % specialFloats.count]
        let listLength = r % 5  // includes empty lists
        return [
            .boolean(r % 2 == 0), nullEvery3 ? .null : .boolean(r % 4 == 0),
            .int32(Int32(r) * 7 - 100), nullEvery3 ? .null : .int32(Int32.min + Int32(r)),
            .int64(Int64(r) * 1_000_000_007), nullEvery3 ? .null : .int64(Int64.max - Int64(r)),
            .float(f), nullEvery3 ? .null : .float(Float(r) / 3),
            .double(Double(r) * 0.1), nullEvery3 ? .null : .double(-Double(r) / 7),
            .string("row \(r) é ✓ \(String(repeating: "x", count: r % 7))"), nullEvery3 ? .null : .string(r % 2 == 0 ? "" : "label\(r % 4)"),
            .binary((0..<(r % 6)).map { UInt8(($0 * 37 + r) & 0xff) }), nullEvery3 ? .null : .binary([0, 255, UInt8(r & 0xff)]),
            .timestamp(1_700_000_000_000_000 + Int64(r) * 1_234_567), nullEvery3 ? .null : .timestamp(-Int64(r) * 86_400_000_000),
            r % 4 == 3 ? .null : .list((0..<listLength).map { .float(Float(r) + Float($0) / 8) }),
            .list((0..<listLength).map { .double(Double(r) * 1e-3 - Double($0)) }),
            r % 6 == 5 ? .null : .list((0..<listLength).map { $0 == 2 ? .null : .int32(Int32($0 - r)) }),
            r % 7 == 6 ? .null : .list((0..<listLength).map { .int64(Int64($0) << 40) }),
            r % 4 == 2 ? .null : .list((0..<listLength).map { $0 == 1 ? .null : .string("e\(r)_\($0)") }),
        ]
    }

    static func batch(rows: Range<Int>) -> ParquetRowBatch {
        var batch = ParquetRowBatch(schema: schema)
        for r in rows {
            for (c, v) in row(r).enumerated() { batch.append(v, to: c) }
        }
        return batch
    }
}
