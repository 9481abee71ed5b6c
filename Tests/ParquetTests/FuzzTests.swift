import Foundation
import Testing
@testable import Parquet

/// Thousands of corrupted variants of valid files: reading must end in a `ParquetError` or in a
/// consistent result — never a crash, a trap or a runaway allocation.
@Suite struct FuzzTests {
    /// Deterministic xorshift so a failure reproduces.
    struct Random {
        var state: UInt64
        mutating func next() -> UInt64 {
            state ^= state << 13
            state ^= state >> 7
            state ^= state << 17
            return state
        }
        mutating func below(_ n: Int) -> Int { Int(next() % UInt64(max(n, 1))) }
    }

    func sampleFiles(_ scratch: Scratch) throws -> [[UInt8]] {
        var files: [[UInt8]] = []
        for (i, compression) in [ParquetCompression.uncompressed, .snappy, .zstd].enumerated() {
            let path = scratch.path("seed\(i).parquet")
            let writer = try ParquetFileWriter(path: path, schema: SampleData.schema,
                                               options: .init(compression: compression, rowGroupRows: 8, pageBytes: 64),
                                               metadata: ["k": "v"])
            try writer.write(SampleData.batch(rows: 0..<20))
            try writer.close()
            files.append(Array(try Data(contentsOf: URL(fileURLWithPath: path))))
        }
        return files
    }

    func mutate(_ file: [UInt8], _ random: inout Random) -> [UInt8] {
        var bytes = file
        for _ in 0..<(1 + random.below(3)) {
            guard !bytes.isEmpty else { break }
            // Bias toward the footer and page headers, where lengths live.
            let at = random.below(2) == 0 ? max(0, bytes.count - 1 - random.below(min(bytes.count, 600))) : random.below(bytes.count)
            switch random.below(6) {
            case 0: bytes[at] ^= UInt8(1 << random.below(8))
            case 1: bytes[at] = UInt8(truncatingIfNeeded: random.next())
            case 2: bytes[at] = [0x00, 0xff, 0x7f, 0x80, 0x0f][random.below(5)]
            case 3: bytes.removeLast(min(bytes.count, 1 + random.below(64)))
            case 4:
                let n = min(4, bytes.count - at)
                for k in 0..<n { bytes[at + k] = 0xff }
            default:
                let end = min(bytes.count, at + 1 + random.below(16))
                bytes.removeSubrange(at..<end)
            }
        }
        return bytes
    }

    /// Reads everything a reader offers and touches every value.
    func readAll(_ bytes: [UInt8]) throws -> Int {
        let reader = try ParquetFileReader(bytes: bytes)
        _ = reader.schemaDescription
        var touched = 0
        for g in 0..<reader.rowGroupCount {
            let group = try reader.readRowGroup(g)
            for column in group.columns {
                for r in 0..<group.rowCount { touched += Canonical.text(column.value(row: r)).count > 0 ? 1 : 0 }
            }
        }
        return touched
    }

    @Test func corruptedFilesOnlyThrow() throws {
        let scratch = try Scratch()
        let seeds = try sampleFiles(scratch)
        var random = Random(state: 0x1234_5678_9abc_def1)
        var errors = 0, successes = 0
        // A fixed number of variants from a fixed seed: the same work on every machine, however busy.
        let iterations = 3000
        for _ in 0 ..< iterations {
            let mutant = mutate(seeds[random.below(seeds.count)], &random)
            do {
                _ = try readAll(mutant)
                successes += 1
            } catch is ParquetError {
                errors += 1
            }
        }
        print("fuzz: \(iterations) corrupted variants, \(errors) rejected with ParquetError, \(successes) still decodable")
        #expect(errors > iterations / 4)
        #expect(errors + successes == iterations)
    }
}
