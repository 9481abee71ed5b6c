import Foundation
import Storage

/// Which top-level part files of OUT Orchard wrote, as its own records show: the parts named after the
/// job in `_orchard/job.json` (local engine), the parts `_orchard/manifest.json` lists (updates), and the
/// parts a Spark run recorded in `_orchard/spark-parts.json`. A part file no record accounts for (one a
/// user copied in, say) is never deleted: `--overwrite` and a Spark re-run refuse OUT instead.
struct PartOwnership {
    /// The job id the parts of a local-engine run end with.
    var jobID: String?
    /// Part file names listed by the manifest or the Spark record.
    var listed: Set<String> = []
    /// Whether every Spark-named part (`part-00000-<uuid>-c000….parquet`) is a Spark run's: one started
    /// writing into OUT and did not record its parts, or an Orchard older than the record ran on Spark.
    var ownsSparkNamedParts = false

    /// The ownership the records in `objects` (a listing of OUT) show.
    static func read(_ objects: [ObjectInfo], store: any ObjectStore, layout: DatasetLayout) async throws -> PartOwnership {
        var ownership = PartOwnership()
        func has(_ location: StorageLocation) -> Bool { objects.contains { $0.location == location } }
        if has(layout.jobFile) {
            ownership.jobID = try? JobRecord.decode(try await store.read(layout.jobFile, maxBytes: 1 << 20)).jobID
        }
        if has(layout.manifest) {
            let manifest = try DatasetManifest.decode(
                try await store.read(layout.manifest, maxBytes: DatasetManifest.maxBytes), source: layout.manifest.description)
            ownership.listed.formUnion(manifest.parts.map(\.name))
            if let plan = manifest.publish { ownership.listed.formUnion(plan.newParts + plan.droppedParts) }
        }
        if has(layout.sparkParts) {
            let record = try SparkPartsRecord.decode(try await store.read(layout.sparkParts, maxBytes: SparkPartsRecord.maxBytes))
            if let parts = record.parts { ownership.listed.formUnion(parts) } else { ownership.ownsSparkNamedParts = true }
        } else if has(layout.jobFile), has(layout.runFile),
                  let summary = try? JSONDecoder().decode(RunSummary.self, from: Data(try await store.read(layout.runFile, maxBytes: 1 << 20))),
                  summary.engine == "spark" {
            ownership.ownsSparkNamedParts = true  // a Spark run of an Orchard that did not record its parts yet
        }
        return ownership
    }

    /// The top-level part files and their checksums in `objects` that no record accounts for.
    func unowned(_ objects: [ObjectInfo], layout: DatasetLayout) -> [StorageLocation] {
        objects.map(\.location).filter { location in
            guard let part = Self.partName(of: location.name), location == layout.root.appending(location.name) else { return false }
            return !owns(part)
        }
    }

    /// Whether the part file `name` (without a checksum's `.`/`.crc`) is one Orchard wrote.
    func owns(_ name: String) -> Bool {
        if listed.contains(name) { return true }
        if let jobID, DatasetLayout.partIndex(ofName: name, jobID: jobID) != nil { return true }
        return ownsSparkNamedParts && Self.isSparkPartName(name)
    }

    /// The part a top-level file is or checks (`part-….parquet`, `.part-….parquet.crc`); nil for other files,
    /// hidden temporaries included (only Orchard writes those, and only under its lease).
    static func partName(of name: String) -> String? {
        if name.hasPrefix("part-"), name.hasSuffix(".parquet") { return name }
        if name.hasPrefix(".part-"), name.hasSuffix(".parquet.crc") { return String(name.dropFirst().dropLast(4)) }
        return nil
    }

    /// `part-00000-<36-character uuid>-c000….parquet`, as Spark's file writer names a part.
    static func isSparkPartName(_ name: String) -> Bool {
        guard name.hasPrefix("part-"), name.hasSuffix(".parquet") else { return false }
        let fields = name.split(separator: "-", maxSplits: 2, omittingEmptySubsequences: false)
        guard fields.count == 3, fields[1].count >= 5, fields[1].allSatisfy(\.isNumber) else { return false }
        let rest = fields[2]
        guard rest.count > 41, UUID(uuidString: String(rest.prefix(36))) != nil else { return false }
        let tail = rest.dropFirst(36)
        return tail.hasPrefix("-c") && tail.dropFirst(2).prefix(3).allSatisfy(\.isNumber)
    }
}

/// `OUT/_orchard/spark-parts.json`: the top-level parts a Spark run wrote, or nil while its write is under way.
struct SparkPartsRecord: Codable, Equatable {
    /// The job that wrote them.
    var jobID: String
    /// The part file names, once Spark's write finished.
    var parts: [String]?

    static let maxBytes = 64 << 20

    static func decode(_ bytes: [UInt8]) throws -> SparkPartsRecord {
        try JSONDecoder().decode(SparkPartsRecord.self, from: Data(bytes))
    }

    func encoded() throws -> [UInt8] {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        return Array(try encoder.encode(self))
    }
}
