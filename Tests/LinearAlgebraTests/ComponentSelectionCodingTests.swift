import Foundation
import LinearAlgebra
import Testing

/// How a PCA choice reads in `job.json` and the manifest: plainly, and the nested form of older datasets.
@Suite struct ComponentSelectionCodingTests {
    @Test func writesThePlainFormAndReadsItBack() throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        for (selection, json) in [(ComponentSelection.count(5), #"{"count":5}"#), (.varianceRatio(0.95), #"{"varianceRatio":0.95}"#)] {
            #expect(String(decoding: try encoder.encode(selection), as: UTF8.self) == json)
            #expect(try JSONDecoder().decode(ComponentSelection.self, from: Data(json.utf8)) == selection)
        }
    }

    @Test func readsWhatEarlierOrchardsWrote() throws {
        #expect(try JSONDecoder().decode(ComponentSelection.self, from: Data(#"{"count":{"_0":5}}"#.utf8)) == .count(5))
        #expect(try JSONDecoder().decode(ComponentSelection.self, from: Data(#"{"varianceRatio":{"_0":0.9}}"#.utf8)) == .varianceRatio(0.9))
        #expect(throws: DecodingError.self) { try JSONDecoder().decode(ComponentSelection.self, from: Data(#"{"components":5}"#.utf8)) }
    }
}
