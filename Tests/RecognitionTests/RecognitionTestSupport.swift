import Foundation
import OrchardTestKit
import Recognition

/// Paths, synthetic data and small helpers shared by the recognition tests.
enum RecognitionTestSupport {
    static let packageRoot = TestPaths.packageRoot
    static let shared = TestPaths.shared
    static let model = TestPaths.realModel
    static let samples = TestPaths.samples

    static var orchardBinary: String { TestPaths.orchardBinary }

    /// Runs the orchard binary; the result is returned whatever its status.
    /// (A wide COLUMNS keeps help text from wrapping inside the phrases tests look for.)
    static func orchard(_ arguments: [String], environment: [String: String?] = [:]) throws -> ChildProcess.Completed {
        try ChildProcess.run(orchardBinary, arguments, environment: environment.merging(["COLUMNS": "200"]) { $1 })
    }

    static func temporaryFolder(_ name: String) throws -> String { try TestPaths.temporaryFolder("recognition-" + name) }

    /// `classes` blobs of `rows` points in `dimension` features, deterministic: class means one standard
    /// deviation apart on average (so the classes overlap and probabilities are not all 0 or 1), and each
    /// feature shifted and scaled differently (so standardisation matters). With `shares` (one per class,
    /// summing to 1) classes are drawn that often instead of equally often: imbalanced classes.
    static func blobs(rows: Int, dimension: Int, classes: Int, seed: UInt64 = 42, shares: [Double]? = nil) -> LabeledFeatures {
        var generator = SplitMix64(seed: seed)
        let centres = (0..<classes).map { _ in (0..<dimension).map { _ in generator.gaussian() } }
        var data = LabeledFeatures()
        for r in 0..<rows {
            var k = Int(generator.next() % UInt64(classes))
            if let shares {
                var u = generator.uniform()
                k = shares.indices.first { u -= shares[$0]; return u < 0 } ?? classes - 1
            }
            let features = (0..<dimension).map { j in Float((centres[k][j] + 1.5 * generator.gaussian()) * Double(j + 1) + 3 * Double(j)) }
            try! data.add(label: "class \(k)", features: features, error: nil, source: "row \(r)")
        }
        return data
    }

    /// `data` as CSV: label, then the features (Float's shortest round-trip text, so python reads the same values).
    static func csv(_ data: LabeledFeatures) -> String {
        (0..<data.count).map { r in
            ([data.labels[r]] + data.features(at: r).map { "\($0)" }).joined(separator: ",")
        }.joined(separator: "\n") + "\n"
    }

    /// Writes `data` as a featurized dataset at `folder`, as pyarrow writes one: `parts` part files
    /// (`part-00000.parquet`, … in row order) with `path`, `label`, `features` (list<float32>) and `error`
    /// columns, then `_SUCCESS`; with `job`, an `_orchard/job.json` holding those fields (`model`, `modelSHA256`).
    static func writeDataset(_ data: LabeledFeatures, to folder: String, parts: Int = 1, job: [String: String]? = nil) throws {
        let csvPath = folder + ".csv"
        try csv(data).write(toFile: csvPath, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(atPath: csvPath) }
        let jobText = String(decoding: try JSONSerialization.data(withJSONObject: job ?? [:]), as: UTF8.self)
        _ = try ChildProcess.python("""
            import json, os, sys, pyarrow as pa, pyarrow.parquet as pq
            folder, parts, job = sys.argv[1], int(sys.argv[3]), json.loads(sys.argv[4])
            rows = [line.rstrip("\\n").split(",") for line in open(sys.argv[2]) if line.strip()]
            os.makedirs(folder, exist_ok=True)
            size = -(-len(rows) // parts)
            for p in range(parts):
                chunk = rows[p * size:(p + 1) * size]
                pq.write_table(pa.table({
                    "path": [f"photos/{r[0]}/{p}-{i}.jpg" for i, r in enumerate(chunk)],
                    "label": [r[0] for r in chunk],
                    "features": pa.array([[float(v) for v in r[1:]] for r in chunk], type=pa.list_(pa.float32())),
                    "error": pa.array([None] * len(chunk), type=pa.string()),
                }), f"{folder}/part-{p:05d}.parquet")
            open(folder + "/_SUCCESS", "w").close()
            if job:
                os.makedirs(folder + "/_orchard", exist_ok=True)
                json.dump(job, open(folder + "/_orchard/job.json", "w"))
            """, [folder, csvPath, String(parts), job == nil ? "null" : jobText])
    }

    /// The SHA-256 of the file at `path` in hex, as Python's hashlib computes it.
    static func sha256(ofFile path: String) throws -> String {
        try ChildProcess.python("import hashlib, sys; print(hashlib.sha256(open(sys.argv[1], 'rb').read()).hexdigest())", [path])
            .trimmingCharacters(in: .whitespacesAndNewlines)
    }
}
