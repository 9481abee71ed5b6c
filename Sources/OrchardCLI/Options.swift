import ArgumentParser
import Foundation
import MobileNet
import Pipeline
import Recognition
import S3
import Storage

/// Where the MobileNetV2 weights come from.
struct ModelOptions: ParsableArguments {
    @Option(name: .long, help: "MobileNetV2 weights: a Keras .h5 (as keras.applications ships them) or a TFLite file. Default: with --update, the file the dataset was made with; else $ORCHARD_MODEL, then the newest file `orchard model fetch` cached.")
    var model: String?

    /// The weight file to use, as an absolute path (datasets record it), or a message saying how to get one.
    /// `recorded` is the file the dataset being updated was made with: the one to use when still there.
    func resolvedPath(recorded: String? = nil) throws -> String {
        func absolute(_ path: String) -> String {
            let full = path.hasPrefix("/") ? path : FileManager.default.currentDirectoryPath + "/" + path
            return (full as NSString).standardizingPath
        }
        if let model { return absolute(model) }
        if let recorded {
            guard FileManager.default.fileExists(atPath: recorded) else {
                throw ValidationError("The dataset was made with the model \(recorded), which is no longer there. Pass --model FILE: the same weights, wherever they are now.")
            }
            return recorded
        }
        if let path = ProcessInfo.processInfo.environment["ORCHARD_MODEL"], !path.isEmpty { return absolute(path) }
        if let cached = try ModelCache().newestVerified() { return cached }
        throw ValidationError("No model given. Pass --model FILE (a Keras .h5 or TFLite MobileNetV2), set ORCHARD_MODEL, or run `orchard model fetch` once.")
    }
}

/// Where a classifier bundle's backbone network comes from (classify, serve, export).
struct BackboneOptions: ParsableArguments {
    @Option(name: .long, help: "The backbone weights (Keras .h5 or TFLite) the training features were made with; default: the bundle's embedded copy, else $ORCHARD_MODEL or a file `orchard model fetch` cached whose SHA-256 is the one the bundle records.")
    var backbone: String?

    func validate() throws {
        if let backbone { try LocalFilePath.require(backbone, for: "--backbone") }
    }

    /// `bundle`'s backbone weights: --backbone, else its embedded copy, else the first of `candidates()`
    /// whose SHA-256 the bundle records; `bundlePath` names the bundle in errors.
    func weights(for bundle: ClassifierBundle, bundlePath: String) throws -> MobileNetV2Weights {
        try BackboneFile.weights(for: bundle, path: backbone, candidates: Self.candidates(), bundlePath: bundlePath)
    }

    /// The weight files a bundle without an embedded backbone is matched against (by SHA-256) when no
    /// --backbone is given: $ORCHARD_MODEL, then the files `orchard model fetch` cached, the newest first.
    /// So the network featurize ran is found again without being named.
    static func candidates(environment: [String: String] = ProcessInfo.processInfo.environment) -> [String] {
        var paths: [String] = []
        if let path = environment["ORCHARD_MODEL"], !path.isEmpty { paths.append(path) }
        return paths + ModelCache(environment: environment).all()
    }
}

/// How a command that reads a dataset treats one that is not finished.
struct DatasetReadOptions: ParsableArguments {
    @Flag(help: "Read a dataset without _SUCCESS too (an interrupted or running featurize): its rows may be partial.")
    var allowIncomplete = false

    /// The dataset at `root`, refused when incomplete unless `--allow-incomplete` was given.
    func open(_ root: StorageLocation, stores: StoreResolver) async throws -> FeatureDataset {
        let dataset = try FeatureDataset(root: root, stores: stores)
        if !allowIncomplete { try await dataset.requireComplete() }
        return dataset
    }
}

/// How to reach S3 and S3-compatible stores.
struct StorageOptions: ParsableArguments {
    @Option(name: .customLong("s3-endpoint"), help: "S3 endpoint URL for S3-compatible stores (default: $AWS_ENDPOINT_URL or AWS). Spark executors get it too.")
    var s3Endpoint: String?

    @Option(name: .customLong("s3-addressing-style"), help: "How the bucket goes into S3 URLs: path (MinIO, moto), virtual or auto (default: the AWS profile's s3.addressing_style, else auto). Spark executors get it too.")
    var s3AddressingStyle: S3AddressingStyle?

    /// These options as flags, for a command line the user is shown about `location` (empty unless on S3).
    func flags(for location: StorageLocation) -> String {
        guard case .s3 = location else { return "" }
        return (s3Endpoint.map { " --s3-endpoint \($0)" } ?? "") + (s3AddressingStyle.map { " --s3-addressing-style \($0.rawValue)" } ?? "")
    }
}

/// `--s3-addressing-style`'s values, as the AWS CLI names them.
enum S3AddressingStyle: String, ExpressibleByArgument, CaseIterable {
    case path, virtual, auto

    var addressing: S3Configuration.Addressing { S3Configuration.Addressing(styleName: rawValue) ?? .auto }
}

extension StorageOptions {
    /// Runs `body` with stores for these options, closing network clients afterwards, on success or failure.
    func withStores<T>(_ body: (StoreResolver) async throws -> T) async throws -> T {
        let stores = StoreResolver(s3Endpoint: s3Endpoint, s3Addressing: s3AddressingStyle?.addressing)
        let result: T
        do {
            result = try await body(stores)
        } catch {
            try? await stores.shutdown()
            throw error
        }
        try await stores.shutdown()
        return result
    }
}

extension StorageLocation {
    /// Local paths made absolute and tidy, so datasets record where images really are; an S3 prefix
    /// without its trailing slashes, so `s3://b/in/` and `s3://b/in` are one input (one job), as folders are.
    var absolute: StorageLocation {
        switch self {
        case .local(let path):
            let full = path.hasPrefix("/") ? path : FileManager.default.currentDirectoryPath + "/" + path
            return .local(path: (full as NSString).standardizingPath)
        case .s3(let bucket, let key):
            return .s3(bucket: bucket, key: String(key.reversed().drop { $0 == "/" }.reversed()))
        case .hdfs:
            return self
        }
    }

    /// A local path made absolute, with `.` and `..` taken out by their names alone: unlike `absolute`, a
    /// symbolic link stays as the user named it (`classify link.jpg` answers for link.jpg, not its target).
    var absoluteKeepingLinks: StorageLocation {
        guard case .local(let path) = self else { return self }
        let full = path.hasPrefix("/") ? path : FileManager.default.currentDirectoryPath + "/" + path
        var parts: [Substring] = []
        for part in full.split(separator: "/") where part != "." {
            if part == ".." { _ = parts.popLast() } else { parts.append(part) }
        }
        return .local(path: "/" + parts.joined(separator: "/"))
    }
}
