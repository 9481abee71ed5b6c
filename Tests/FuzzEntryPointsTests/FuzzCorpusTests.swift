import Foundation
import FuzzEntryPoints
import Testing

/// Replays every committed fuzz input (fuzz/corpus/<target>/: seeds and past crashes) through the calls
/// its fuzz target makes, so CI catches a regression without running the fuzzer. A throw is a pass.
@Suite struct FuzzCorpusTests {
    /// fuzz/corpus in this checkout, found from this file's path (Tests/FuzzEntryPointsTests/<file>).
    static let corpus = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("fuzz/corpus")

    @Test(arguments: FuzzTarget.allCases)
    func corpusReturnsOrThrows(_ target: FuzzTarget) throws {
        let folder = Self.corpus.appendingPathComponent(target.rawValue)
        let names = try FileManager.default.contentsOfDirectory(atPath: folder.path).sorted()
        try #require(!names.isEmpty, "no inputs in \(folder.path)")
        var accepted = 0
        for name in names {
            let bytes = [UInt8](try Data(contentsOf: folder.appendingPathComponent(name)))
            // Reaching the next line at all is the test: a crash would have ended the process.
            if (try? target.consume(bytes)) != nil { accepted += 1 }
        }
        print("fuzz corpus \(target.rawValue): \(names.count) inputs, \(accepted) accepted, the rest threw")
    }
}
