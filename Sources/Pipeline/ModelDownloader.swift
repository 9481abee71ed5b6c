import AsyncHTTPClient
import Crypto
import Foundation
import NIOCore

/// Downloads the official Keras MobileNetV2 weight files, from the address `keras.applications` uses.
public struct ModelDownloader: Sendable {
    /// Where keras.applications fetches MobileNetV2 weights; `$ORCHARD_MODEL_BASE_URL` replaces it (mirrors, tests).
    public static let kerasBaseURL = "https://storage.googleapis.com/tensorflow/keras-applications/mobilenet_v2/"
    /// Width multipliers Keras publishes weights for.
    public static let alphas: [Double] = [0.35, 0.5, 0.75, 1.0, 1.3, 1.4]
    /// Input sizes Keras publishes weights for.
    public static let sizes = [96, 128, 160, 192, 224]
    /// The largest file accepted (the biggest official file is about 25 MB).
    static let maxBytes = 200 << 20

    let baseURL: String
    let cache: ModelCache

    public init(cache: ModelCache = ModelCache(), environment: [String: String] = ProcessInfo.processInfo.environment) {
        self.cache = cache
        let base = environment["ORCHARD_MODEL_BASE_URL"].flatMap { $0.isEmpty ? nil : $0 } ?? Self.kerasBaseURL
        self.baseURL = base.hasSuffix("/") ? base : base + "/"
    }

    /// The official file name, e.g. `mobilenet_v2_weights_tf_dim_ordering_tf_kernels_1.0_224_no_top.h5`.
    public static func fileName(alpha: Double, size: Int, top: Bool) -> String {
        "mobilenet_v2_weights_tf_dim_ordering_tf_kernels_\(alpha)_\(size)\(top ? "" : "_no_top").h5"
    }

    /// Downloads the file into the cache (unless already there) and returns its path. The download's
    /// SHA-256 is recorded beside it (`ModelChecksum`) and must equal `sha256` when given; a file already
    /// cached is checked against its record (and `sha256`) instead of being trusted.
    public func fetch(
        alpha: Double, size: Int, top: Bool, sha256: String? = nil, progress: @Sendable (Int64, Int64?) -> Void
    ) async throws -> String {
        if let sha256, !ModelChecksum.isValidHex(sha256) {
            throw PipelineError.invalidOption("a SHA-256 is 64 hex digits, not \(sha256)")
        }
        guard Self.alphas.contains(alpha) else {
            throw PipelineError.invalidOption("Keras publishes MobileNetV2 weights for alpha \(Self.alphas.map { "\($0)" }.joined(separator: ", ")), not \(alpha)")
        }
        guard Self.sizes.contains(size) else {
            throw PipelineError.invalidOption("Keras publishes MobileNetV2 weights for sizes \(Self.sizes.map(String.init).joined(separator: ", ")), not \(size)")
        }
        let name = Self.fileName(alpha: alpha, size: size, top: top)
        let target = cache.folder + "/" + name
        if FileManager.default.fileExists(atPath: target) {
            try ModelChecksum.verify(target, expected: sha256)
            return target
        }
        try FileManager.default.createDirectory(atPath: cache.folder, withIntermediateDirectories: true)
        let partial = target + ".part"
        let digest = try await download(baseURL + name, to: partial, progress: progress)
        if let sha256, sha256.lowercased() != digest {
            unlink(partial)
            throw PipelineError.modelUnreadable(
                baseURL + name, reason: "the download's SHA-256 is \(digest), expected \(sha256.lowercased())")
        }
        // The record goes first: a crash before the rename leaves a record without a file, which the next
        // fetch overwrites, never a file without its record.
        try ModelChecksum.record(digest, for: target)
        guard rename(partial, target) == 0 else {
            throw PipelineError.modelUnreadable(target, reason: "cannot move the download into place")
        }
        return target
    }

    /// Streams `url` into `path`, returning the SHA-256 of the bytes written.
    private func download(_ url: String, to path: String, progress: @Sendable (Int64, Int64?) -> Void) async throws -> String {
        let client = HTTPClient(eventLoopGroupProvider: .singleton)
        do {
            let response = try await client.execute(HTTPClientRequest(url: url), timeout: .seconds(60))
            guard response.status == .ok else {
                throw PipelineError.modelUnreadable(url, reason: "the server answered \(response.status.code) \(response.status.reasonPhrase)")
            }
            let expected = response.headers.first(name: "content-length").flatMap { Int64($0) }
            if let expected, expected > Self.maxBytes {
                throw PipelineError.modelUnreadable(url, reason: "\(expected) bytes is more than a MobileNetV2 weight file holds")
            }
            guard FileManager.default.createFile(atPath: path, contents: nil),
                  let file = FileHandle(forWritingAtPath: path) else {
                throw PipelineError.modelUnreadable(path, reason: "cannot create the file")
            }
            defer { try? file.close() }
            var received: Int64 = 0
            var hasher = SHA256()
            for try await chunk in response.body {
                received += Int64(chunk.readableBytes)
                guard received <= Self.maxBytes else {
                    throw PipelineError.modelUnreadable(url, reason: "the download is larger than any MobileNetV2 weight file")
                }
                let bytes = Data(chunk.readableBytesView)
                hasher.update(data: bytes)
                try file.write(contentsOf: bytes)
                progress(received, expected)
            }
            try await client.shutdown()
            return ModelChecksum.hex(hasher.finalize())
        } catch {
            try? await client.shutdown()
            unlink(path)
            throw error
        }
    }
}
