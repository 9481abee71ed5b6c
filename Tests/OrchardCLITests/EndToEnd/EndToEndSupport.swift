import Foundation
import OrchardTestKit
#if canImport(Glibc)
import Glibc
#endif

/// What the end-to-end tests share: where the `orchard` binary, the shared data and the committed
/// fixtures are, how to run the binary, and the one small dataset most suites read.
enum EndToEnd {
    static let packageRoot = TestPaths.packageRoot
    static let shared = TestPaths.shared
    static let realModel = TestPaths.realModel
    static let samples = TestPaths.samples
    /// Small committed Keras fixtures (random weights, real layout).
    static let kerasFixtures = packageRoot + "/Tests/MobileNetTests/Resources"

    static var orchardBinary: String { TestPaths.orchardBinary }

    /// Runs `orchard arguments…` to its end (whatever its status) with `environment` changes.
    static func orchard(
        _ arguments: [String], environment: [String: String?] = [:], timeout: Duration = .seconds(300)
    ) throws -> ChildProcess.Completed {
        try ChildProcess.run(orchardBinary, arguments, environment: environment, timeout: timeout)
    }

    static func temporaryFolder(_ name: String) throws -> String { try TestPaths.temporaryFolder("e2e-" + name) }

    static func sampleFolder(classes: [String], perClass: Int, split: String = "Test") throws -> String {
        try TestPaths.sampleFolder(classes: classes, perClass: perClass, split: split)
    }

    /// Runs a python snippet that prints one JSON value on its last line (libraries may print before it),
    /// and decodes that line.
    static func pythonJSON<T: Decodable>(
        _ type: T.Type, _ script: String, _ arguments: [String] = [], environment: [String: String?] = [:]
    ) throws -> T {
        let output = try ChildProcess.python(script, arguments, environment: environment)
        guard let last = output.split(separator: "\n").last(where: { !$0.allSatisfy(\.isWhitespace) }) else {
            throw ChildProcess.Failure("the python snippet printed nothing")
        }
        return try JSONDecoder().decode(T.self, from: Data(last.utf8))
    }

    /// The Parquet part files of a dataset folder, sorted.
    static func parts(of dataset: String) throws -> [String] {
        try FileManager.default.contentsOfDirectory(atPath: dataset)
            .filter { $0.hasPrefix("part-") && $0.hasSuffix(".parquet") }.sorted().map { dataset + "/" + $0 }
    }

    /// Files and folders shared by several tests, removed when the test process exits.
    nonisolated(unsafe) private static var leftovers: [String] = []
    private static let leftoversLock = NSLock()
    private static let removesLeftoversAtExit: Void = {
        atexit {
            for path in EndToEnd.leftovers { try? FileManager.default.removeItem(atPath: path) }
        }
    }()

    /// Removes `paths` when the test process exits.
    static func removeAtExit(_ paths: [String]) {
        leftoversLock.lock()
        leftovers += paths
        leftoversLock.unlock()
        _ = removesLeftoversAtExit
    }

    /// A JSON file as a dictionary.
    static func jsonObject(_ path: String) throws -> [String: Any] {
        guard let object = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: path))) as? [String: Any] else {
            throw ChildProcess.Failure("\(path) is not a JSON object")
        }
        return object
    }
}

/// The one featurized dataset the suites share: 3 classes × 4 test photos, one thread, `--pca-variance
/// 0.9`, 5 images per part (so the folder has several parts). Built once per test process, on first use.
struct SampleDataset: Sendable {
    static let classes = ["Banana 1", "Kiwi 1", "Lemon 1"]
    static let perClass = 4
    static let imagesPerPart = 5
    static let varianceRatio = 0.9

    /// The input folder (absolute) and the dataset folder.
    let input: String
    let output: String
    /// What `featurize` printed.
    let stdout: String

    var imageCount: Int { Self.classes.count * Self.perClass }

    /// The dataset, featurizing it on first use.
    static func get() async throws -> SampleDataset { try await built.value }

    private static let built = Task<SampleDataset, any Error> {
        let input = try EndToEnd.sampleFolder(classes: classes, perClass: perClass)
        let parent = try EndToEnd.temporaryFolder("dataset")
        let output = parent + "/features"
        EndToEnd.removeAtExit([input, parent])  // the dataset outlives every test that reads it
        let run = try EndToEnd.orchard(
            ["featurize", input, "--out", output, "--model", EndToEnd.realModel, "--threads", "1",
             "--pca-variance", String(varianceRatio), "--images-per-part", String(imagesPerPart)],
            environment: ["ORCHARD_MODEL": nil]
        ).check()
        return SampleDataset(input: input, output: output, stdout: run.output)
    }
}

/// One moto S3 server per test process, started on first use by scripts/moto-server.sh (which prints
/// its port once moto listens) and stopped by that script's watchdog when this process exits.
enum Moto {
    /// Credentials nobody would use: moto accepts any.
    static let dummyCredentials: [String: String?] = [
        "AWS_ACCESS_KEY_ID": "testing", "AWS_SECRET_ACCESS_KEY": "testing", "AWS_SESSION_TOKEN": nil,
        "AWS_REGION": "us-east-1", "AWS_DEFAULT_REGION": "us-east-1", "AWS_PROFILE": nil,
        "AWS_CONFIG_FILE": "/nonexistent", "AWS_SHARED_CREDENTIALS_FILE": "/nonexistent",
        "AWS_EC2_METADATA_DISABLED": "true", "AWS_ENDPOINT_URL": nil,
    ]

    /// `http://127.0.0.1:PORT`, starting moto if needed.
    static func endpoint() async throws -> String { try await started.value }

    private static let started = Task<String, any Error> {
        let pidFile = NSTemporaryDirectory() + "orchard-e2e-moto-\(getpid()).pid"
        let script = EndToEnd.packageRoot + "/scripts/moto-server.sh"
        let run = try ChildProcess.run("bash", [script, "start", "0", pidFile, String(getpid())], timeout: .seconds(120)).check()
        EndToEnd.removeAtExit([pidFile, pidFile + ".log"])  // the script's watchdog stops moto itself
        guard let port = Int(run.output.trimmingCharacters(in: .whitespacesAndNewlines)) else {
            throw ChildProcess.Failure("moto-server.sh printed no port: \(run.output) \(run.errors)")
        }
        return "http://127.0.0.1:\(port)"
    }

    /// Creates `bucket` and uploads each local file to its key, with boto3.
    static func upload(_ files: [String: String], bucket: String, endpoint: String) throws {
        let listing = String(decoding: try JSONSerialization.data(withJSONObject: files), as: UTF8.self)
        _ = try ChildProcess.python(
            """
            import boto3, json, sys
            s3 = boto3.client("s3", endpoint_url=sys.argv[1])
            s3.create_bucket(Bucket=sys.argv[2])
            for key, path in json.loads(sys.argv[3]).items():
                s3.upload_file(path, sys.argv[2], key)
            """, [endpoint, bucket, listing], environment: dummyCredentials)
    }

    /// Every key under `prefix` in `bucket`.
    static func keys(bucket: String, prefix: String, endpoint: String) throws -> [String] {
        try EndToEnd.pythonJSON(
            [String].self,
            """
            import boto3, json, sys
            s3 = boto3.client("s3", endpoint_url=sys.argv[1])
            pages = s3.get_paginator("list_objects_v2").paginate(Bucket=sys.argv[2], Prefix=sys.argv[3])
            print(json.dumps(sorted(o["Key"] for page in pages for o in page.get("Contents", []))))
            """, [endpoint, bucket, prefix], environment: dummyCredentials)
    }
}
