/// Turns decoded pages (levels + non-null values) into an Arrow-like `ParquetColumn`, page after page;
/// a list row may continue across a page boundary. While assembling, `listOffsets` always has
/// `rowCount + 1` entries and its last entry is the end of the row being filled.
struct ColumnAssembler {
    let descriptor: ColumnDescriptor
    private(set) var column: ParquetColumn
    private var slotValidity: [Bool] = []

    init(descriptor: ColumnDescriptor) {
        self.descriptor = descriptor
        self.column = ParquetColumn(field: descriptor.field)
    }

    private func fail(_ what: String) -> ParquetError {
        .malformed("column '\(descriptor.path.joined(separator: "."))': \(what)", offset: nil)
    }

    /// Adds one page: `count` levels (nil arrays when the max level is 0) and the page's non-null values.
    mutating func append(definition: [UInt8]?, repetition: [UInt8]?, count: Int, values: DenseValues) throws {
        let maxDef = UInt8(descriptor.maxDefinitionLevel)
        let slotsBefore = column.slotCount
        slotValidity.removeAll(keepingCapacity: true)
        var allValid = true
        if descriptor.field.isList {
            guard let repetition, repetition.count == count, (definition?.count ?? count) == count else {
                throw fail("level counts differ")
            }
            let present = UInt8(descriptor.presentLevel)
            var i = 0
            while i < count {
                let d = definition?[i] ?? maxDef
                if repetition[i] == 0 {
                    column.listOffsets.append(column.listOffsets[column.listOffsets.count - 1])
                    column.rowCount += 1
                    if d < present {
                        if column.rowValidity == nil { column.rowValidity = Array(repeating: true, count: column.rowCount - 1) }
                        column.rowValidity?.append(false)
                        i += 1
                        continue
                    }
                    column.rowValidity?.append(true)
                    if d == present { i += 1; continue }
                } else {
                    guard column.rowCount > 0, d > present else { throw fail("repeated value outside a list") }
                }
                // This element and the run of non-null elements continuing the same list, in one step.
                var end = i + 1
                if d == maxDef {
                    repetition.withUnsafeBufferPointer { rep in
                        if let definition {
                            definition.withUnsafeBufferPointer { def in
                                while end < count && rep[end] == 1 && def[end] == maxDef { end += 1 }
                            }
                        } else {
                            while end < count && rep[end] == 1 { end += 1 }
                        }
                    }
                    slotValidity.append(contentsOf: repeatElement(true, count: end - i))
                } else {
                    allValid = false
                    slotValidity.append(false)
                }
                column.listOffsets[column.listOffsets.count - 1] += end - i
                i = end
            }
            if !allValid && column.elementValidity == nil {
                column.elementValidity = Array(repeating: true, count: slotsBefore)
            }
            column.elementValidity?.append(contentsOf: slotValidity)
        } else if let definition {
            guard definition.count == count else { throw fail("level counts differ") }
            for d in definition {
                let valid = d == maxDef
                allValid = allValid && valid
                slotValidity.append(valid)
            }
            if !allValid && column.rowValidity == nil { column.rowValidity = Array(repeating: true, count: column.rowCount) }
            column.rowValidity?.append(contentsOf: slotValidity)
            column.rowCount += count
        } else {
            slotValidity.append(contentsOf: repeatElement(true, count: count))
            column.rowCount += count
        }
        try appendValues(values, allValid: allValid)
    }

    private mutating func appendValues(_ values: DenseValues, allValid: Bool) throws {
        let expected = allValid ? slotValidity.count : slotValidity.reduce(0) { $0 + ($1 ? 1 : 0) }
        guard values.count == expected else { throw fail("\(values.count) values for \(expected) non-null levels") }
        switch (values, descriptor.field.type) {
        case (.booleans(let v), .boolean): Self.scatter(v, slotValidity, allValid, false, into: &column.booleans)
        case (.int32s(let v), .int32): Self.scatter(v, slotValidity, allValid, 0, into: &column.int32s)
        case (.int64s(let v), .int64): Self.scatter(v, slotValidity, allValid, 0, into: &column.int64s)
        case (.int64s(let v), .timestamp):
            let scale = descriptor.timestampScale
            let micros = scale == 1 ? v : scale > 0 ? v.map { $0 &* scale } : v.map { $0 / -scale }
            Self.scatter(micros, slotValidity, allValid, 0, into: &column.int64s)
        case (.floats(let v), .float): Self.scatter(v, slotValidity, allValid, 0, into: &column.floats)
        case (.doubles(let v), .double): Self.scatter(v, slotValidity, allValid, 0, into: &column.doubles)
        case (.byteArrays(let bytes, let offsets), .string), (.byteArrays(let bytes, let offsets), .binary):
            let base = column.bytes.count
            column.bytes.append(contentsOf: bytes)
            if allValid {
                column.byteOffsets.append(contentsOf: offsets.dropFirst().lazy.map { $0 + base })
            } else {
                var next = 1
                for valid in slotValidity {
                    if valid { column.byteOffsets.append(base + offsets[next]); next += 1 } else {
                        column.byteOffsets.append(column.byteOffsets[column.byteOffsets.count - 1])
                    }
                }
            }
        default: throw fail("values do not match the column type \(descriptor.field.type)")
        }
    }

    private static func scatter<T>(_ dense: [T], _ validity: [Bool], _ allValid: Bool, _ placeholder: T,
                                   into out: inout [T]) {
        if allValid {
            out.append(contentsOf: dense)
            return
        }
        out.reserveCapacity(out.count + validity.count)
        var next = 0
        for valid in validity {
            if valid { out.append(dense[next]); next += 1 } else { out.append(placeholder) }
        }
    }
}
