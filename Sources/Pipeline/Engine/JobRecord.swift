import Foundation
import LinearAlgebra
import Storage

/// The identity of a job, stored in `OUT/_orchard/job.json`, so a re-run resumes it and a different job
/// is refused rather than mixed into the same folder.
public struct JobRecord: Codable, Sendable, Equatable {
    /// A digest of everything that decides the rows: inputs, model, options.
    public var jobID: String
    public var orchardVersion: String
    public var input: String
    public var model: String
    public var modelBytes: Int64
    /// The model file's SHA-256.
    public var modelSHA256: String?
    public var pca: ComponentSelection?
    /// The classifier bundle whose predictions the rows carry, and its SHA-256.
    public var classifier: String?
    public var classifierSHA256: String?
    public var imagesPerPart: Int
    public var imageCount: Int

    /// The record for `job` over `images`, whose order fixes which image lands in which part. The id
    /// covers the model's content (`modelSHA256`) and each image's identity (size and mtime or ETag), so an
    /// edited photo or a changed model makes a new job rather than a resume.
    public init(job: FeaturizeJob, images: [ImageItem], modelBytes: Int64, modelSHA256: String, classifierSHA256: String? = nil) {
        var digest = FNV1a64()
        for field in [OrchardVersion.current, job.input.description, job.modelPath, String(modelBytes), modelSHA256,
                      job.pca.map { "\($0)" } ?? "none", String(job.imagesPerPart)] {
            digest.add(field)
        }
        // Only when given, so jobs without a classifier keep the identity they always had.
        if let classifierSHA256 { digest.add("classifier " + classifierSHA256) }
        for image in images {
            digest.add(image.location.description)
            digest.add(String(image.size))
            digest.add(image.version ?? "")
        }
        self.jobID = String(digest.value, radix: 16).leftPadded(to: 16)
        self.orchardVersion = OrchardVersion.current
        self.input = job.input.description
        self.model = job.modelPath
        self.modelBytes = modelBytes
        self.modelSHA256 = modelSHA256
        self.pca = job.pca
        self.classifier = classifierSHA256 == nil ? nil : job.classifierPath
        self.classifierSHA256 = classifierSHA256
        self.imagesPerPart = job.imagesPerPart
        self.imageCount = images.count
    }

    /// The record as stored.
    public func encoded() throws -> [UInt8] {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        return Array(try encoder.encode(self))
    }

    /// Reads a stored record.
    public static func decode(_ bytes: [UInt8]) throws -> JobRecord {
        try JSONDecoder().decode(JobRecord.self, from: Data(bytes))
    }

    /// The record of the dataset in `output`, or nil when it has none (or none this Orchard can read).
    public static func stored(in output: StorageLocation, stores: StoreResolver) async -> JobRecord? {
        guard let store = try? stores.store(for: output),
              let bytes = try? await store.read(DatasetLayout(root: output).jobFile, maxBytes: 1 << 20) else { return nil }
        return try? decode(bytes)
    }
}

/// FNV-1a, 64 bit: a stable digest for job identity (not for security).
struct FNV1a64 {
    private(set) var value: UInt64 = 0xcbf2_9ce4_8422_2325

    mutating func add(_ text: String) {
        for byte in text.utf8 { mix(byte) }
        mix(0)  // field separator, so ("ab","c") ≠ ("a","bc")
    }

    private mutating func mix(_ byte: UInt8) {
        value ^= UInt64(byte)
        value = value &* 0x100_0000_01b3
    }
}

extension String {
    func leftPadded(to width: Int, with pad: Character = "0") -> String {
        count >= width ? self : String(repeating: pad, count: width - count) + self
    }
}
