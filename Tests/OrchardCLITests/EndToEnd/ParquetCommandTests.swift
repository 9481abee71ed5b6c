import Foundation
import OrchardTestKit
import Testing

/// `orchard parquet schema` and `orchard parquet head` on a part of the shared featurized dataset.
@Suite struct EndToEndParquetCommandTests {
    static func firstPart() async throws -> (SampleDataset, String) {
        let dataset = try await SampleDataset.get()
        let part = try #require(try EndToEnd.parts(of: dataset.output).first, "no part files in \(dataset.output)")
        return (dataset, part)
    }

    @Test func schemaNamesTheColumnsRowCountAndFooterKeys() async throws {
        let (_, part) = try await Self.firstPart()
        let text = try EndToEnd.orchard(["parquet", "schema", part]).check().output
        let lines = text.split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) }
        for column in ["path: string?", "label: string?", "features: list<float>?", "pca: list<float>?", "error: string?"] {
            #expect(lines.contains(column), "no `\(column)` line in:\n\(text)")
        }
        // Parquet's own notation names the same columns, lists as LIST groups of float.
        #expect(text.contains("optional group features (LIST)") && text.contains("optional float element;"), "\(text)")
        // The first part holds exactly --images-per-part rows.
        #expect(lines.contains { $0.hasPrefix("rows: \(SampleDataset.imagesPerPart) ") }, "\(text)")
        for key in ["orchard.version: ", "orchard.model: ", "orchard.input: ", "orchard.job: "] {
            #expect(lines.contains { $0.hasPrefix(key) }, "footer key \(key) missing in:\n\(text)")
        }
    }

    @Test func headPrintsTheRequestedNumberOfRows() async throws {
        let (dataset, part) = try await Self.firstPart()
        let text = try EndToEnd.orchard(["parquet", "head", part, "-n", "2"]).check().output
        let lines = text.split(separator: "\n").map(String.init)
        #expect(lines.filter { $0.hasPrefix("-- row ") } == ["-- row 0", "-- row 1"], "\(text)")
        // Every row shows its five columns; the features are shortened with their length.
        for column in ["path: ", "label: ", "features: [", "pca: [", "error: "] {
            #expect(lines.filter { $0.hasPrefix(column) }.count == 2, "expected 2 `\(column)` lines in:\n\(text)")
        }
        #expect(lines.filter { $0.hasPrefix("features: [") && $0.hasSuffix("… (1280 items)]") }.count == 2, "\(text)")
        #expect(lines.filter { $0 == "error: null" }.count == 2, "\(text)")
        let paths = lines.filter { $0.hasPrefix("path: ") }.map { String($0.dropFirst("path: ".count)) }
        #expect(paths.allSatisfy { $0.hasPrefix(dataset.input + "/") && $0.hasSuffix(".jpg") }, "\(paths)")
        let labels = lines.filter { $0.hasPrefix("label: ") }.map { String($0.dropFirst("label: ".count)) }
        #expect(labels.allSatisfy { SampleDataset.classes.contains($0) }, "\(labels)")

        // -n larger than the part: all of its rows, no more.
        let all = try EndToEnd.orchard(["parquet", "head", part, "-n", "100"]).check().output
        #expect(all.split(separator: "\n").filter { $0.hasPrefix("-- row ") }.count == SampleDataset.imagesPerPart)
    }

    @Test func schemaOfAFileThatIsNotParquetFails() throws {
        let run = try EndToEnd.orchard(["parquet", "schema", EndToEnd.kerasFixtures + "/fixtures.json"])
        #expect(run.status != 0)
        #expect(!run.errors.isEmpty)
    }
}
