import Testing

@testable import MobileNet
@testable import ModelExport

/// The builder's output read by MobileNet's independent, bounds-checked FlatBuffers reader.
@Suite struct FlatBufferBuilderTests {
    @Test func tablesScalarsStringsAndVectorsReadBack() throws {
        var builder = FlatBufferBuilder(initialCapacity: 16)  // tiny, so the buffer has to grow several times
        let name = try builder.string("pomme ✓")
        let empty = try builder.string("")
        let numbers = try builder.vector([Int32(-1), 2, 3_000_000])
        let data = try builder.bytes(Array(0..<37), alignment: 16)
        let child0 = try builder.table([.int32(0, 10)])
        let child1 = try builder.table([.int32(0, 11), .float(1, 0.5)])
        let children = try builder.vector([child0, child1])
        let root = try builder.table([
            .int8(0, -3), .offset(1, name), .uint32(2, 0xDEAD_BEEF), .offset(3, numbers), .bool(4, true),
            .offset(6, data), .offset(7, children), .offset(8, empty), .uint8(9, 200),
        ])
        let bytes = try builder.finish(root: root, identifier: "TEST")

        let file = try FlatBuffer(bytes: bytes)
        #expect(file.fileIdentifier == "TEST")
        let table = try file.root("Root")
        #expect(try table.scalar(0, "a", default: Int8(0)) == -3)
        #expect(try table.string(1, "name") == "pomme ✓")
        #expect(try table.scalar(2, "c", default: UInt32(0)) == 0xDEAD_BEEF)
        #expect(try table.integers(3, "numbers", as: Int32.self) == [-1, 2, 3_000_000])
        #expect(try table.scalar(4, "flag", default: UInt8(0)) == 1)
        #expect(try table.fieldPosition(5) == nil, "an absent field reads as absent")
        let vector = try #require(try table.vector(6, "data", elementSize: 1))
        #expect(Array(bytes[vector.start..<(vector.start + vector.count)]) == Array(0..<37))
        #expect(vector.start % 16 == 0, "data at offset \(vector.start) is not 16-byte aligned")
        let tables = try table.tables(7, "children")
        #expect(try tables.map { try $0.scalar(0, "x", default: Int32(0)) } == [10, 11])
        #expect(try tables[0].fieldPosition(1) == nil)
        #expect(Float(bitPattern: try tables[1].scalar(1, "y", default: UInt32(0))) == 0.5)
        #expect(try table.string(8, "empty") == "")
        #expect(try table.scalar(9, "d", default: UInt8(0)) == 200)
        #expect(bytes.count % 16 == 0, "the file's size keeps the largest alignment")
    }

    @Test func stringsAreNullTerminated() throws {
        var builder = FlatBufferBuilder()
        let text = try builder.string("abc")
        let root = try builder.table([.offset(0, text)])
        let bytes = try builder.finish(root: root, identifier: "TEST")
        let table = try FlatBuffer(bytes: bytes).root("Root")
        let vector = try #require(try table.vector(0, "text", elementSize: 1))
        #expect(vector.count == 3 && bytes[vector.start + 3] == 0)
    }

    @Test func scalarsAreAlignedToTheirSize() throws {
        var builder = FlatBufferBuilder()
        let root = try builder.table([.int8(0, 1), .int32(1, 2), .int8(2, 3), .float(3, 4)])
        let bytes = try builder.finish(root: root, identifier: "TEST")
        let table = try FlatBuffer(bytes: bytes).root("Root")
        for id in [1, 3] {
            let position = try #require(try table.fieldPosition(id))
            #expect(position % 4 == 0, "field \(id) at \(position)")
        }
        #expect(table.position % 4 == 0)
    }
}
