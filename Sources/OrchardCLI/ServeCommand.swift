import ArgumentParser
import Foundation
import MobileNet
import Imaging
import Logging
import Recognition
import Server

/// `orchard serve`: the recogniser as an HTTP API and an upload page, until SIGTERM or SIGINT.
struct ServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Serve a classifier bundle over HTTP: the app's API, metrics and a photo upload page.",
        discussion: """
            Routes: POST /v1/classify (the photo as image/jpeg or image/png, or multipart/form-data with a \
            "photo" field; ?top=K), GET /v1/model, /healthz, /readyz, /metrics (Prometheus), /openapi.yaml \
            (the API's OpenAPI 3.1 document) and / (a page to take or pick a photo). Errors are JSON problem \
            documents (RFC 9457). SIGTERM or SIGINT stops taking connections and finishes requests in flight.

            Each worker runs one network; --max-waiting more requests wait in line, and beyond that the server \
            answers 503 with Retry-After at once, so memory stays bounded (at most workers + max-waiting \
            bodies of --max-body-bytes).

            Examples:
              orchard serve --model fruit.orchard
              orchard serve --model fruit.orchard --backbone mobilenet_v2.tflite --host 0.0.0.0 --port 8080
              orchard serve --model fruit.orchard --tls-cert cert.pem --tls-key key.pem --api-key-file key.txt
            """)

    @OptionGroup var backend: BackendOptions

    @Option(name: .long, help: "The classifier bundle `orchard train` wrote.")
    var model: String

    @OptionGroup var backbone: BackboneOptions

    @Option(name: .long, help: "The address to listen on (0.0.0.0 for every interface).")
    var host = "127.0.0.1"

    @Option(name: .long, help: "The TCP port to listen on.")
    var port = 8080

    @Option(name: .long, help: "Networks run at once, one per core (default: all cores).")
    var workers: Int?

    @Option(name: .customLong("max-waiting"), help: "Classify requests allowed to wait for a network; beyond them the answer is 503.")
    var maxWaiting = ServerConfiguration().maxWaiting

    @Option(name: .customLong("max-body-bytes"), help: "The largest request body accepted, in bytes (413 beyond).")
    var maxBodyBytes = ServerConfiguration().maxBodyBytes

    @Option(name: .customLong("max-pixels"), help: "Refuse images larger than this many pixels (422; decompression-bomb guard).")
    var maxPixels: Int = ImageLimits().maxPixels

    @Option(name: .customLong("request-timeout"), help: "Seconds a classify request may take before the answer is 503 (one still waiting for a network then leaves the line).")
    var requestTimeout = 30

    @Option(name: .customLong("api-key-file"), help: "A file holding the API key /v1/ requests must send (Authorization: Bearer KEY or X-API-Key).")
    var apiKeyFile: String?

    @Option(
        name: .customLong("cors-origin"),
        help: "A web origin allowed to call the API from a browser, as browsers send it (https://app.example, no path or trailing slash; repeat for several), or * for any.")
    var corsOrigins: [String] = []

    @Option(name: .customLong("tls-cert"), help: "PEM certificate chain for HTTPS (with --tls-key).")
    var tlsCertificate: String?

    @Option(name: .customLong("tls-key"), help: "PEM private key for HTTPS (with --tls-cert).")
    var tlsKey: String?

    func validate() throws {
        if !(0...65535).contains(port) { throw ValidationError("--port must be between 0 and 65535.") }
        if let workers, workers < 1 { throw ValidationError("--workers must be at least 1.") }
        if maxWaiting < 0 { throw ValidationError("--max-waiting must be 0 or more.") }
        if maxBodyBytes < 1 { throw ValidationError("--max-body-bytes must be at least 1.") }
        if maxPixels < 1 { throw ValidationError("--max-pixels must be at least 1.") }
        if requestTimeout < 1 { throw ValidationError("--request-timeout must be at least 1 second.") }
        if (tlsCertificate == nil) != (tlsKey == nil) { throw ValidationError("Give --tls-cert and --tls-key together.") }
        for origin in corsOrigins where origin != "*" && !Self.isWebOrigin(origin) {
            throw ValidationError(
                "--cors-origin \(origin) can never match: a browser sends its origin as scheme://host[:port], "
                    + "e.g. https://app.example (no path, no trailing slash), or give * for any origin.")
        }
        try LocalFilePath.require(model, for: "--model")
    }

    /// Whether `text` is a web origin as a browser's `Origin` header carries it: `http(s)://host[:port]`.
    static func isWebOrigin(_ text: String) -> Bool {
        guard let url = URLComponents(string: text), let scheme = url.scheme, ["http", "https"].contains(scheme),
              let host = url.host, !host.isEmpty, url.path.isEmpty, url.query == nil, url.fragment == nil,
              url.user == nil
        else { return false }
        return true
    }

    func run() async throws {
        LoggingSystem.bootstrap(StreamLogHandler.standardOutput)
        var logger = Logger(label: "orchard.serve")
        logger.logLevel = .info
        let bundle = try ClassifierBundle.load(from: model)
        let weights = try backbone.weights(for: bundle, bundlePath: model)
        // Bodies are already capped by --max-body-bytes; the decoder's own byte cap must not be lower.
        let limits = ImageLimits(maxPixels: maxPixels, maxBytes: max(maxBodyBytes, ImageLimits().maxBytes))
        let recognizer = try Recognizer(bundle: bundle, backbone: weights, workers: workers ?? ProcessInfo.processInfo.activeProcessorCount, limits: limits, maxWaiting: maxWaiting,
                                        backend: backend.backend)
        let bundleBytes = try [UInt8](Data(contentsOf: URL(fileURLWithPath: model)))

        var configuration = ServerConfiguration()
        configuration.host = host
        configuration.port = port
        configuration.maxWaiting = maxWaiting
        configuration.maxBodyBytes = maxBodyBytes
        configuration.requestTimeout = .seconds(requestTimeout)
        configuration.apiKey = try apiKeyFile.map(Self.readKey)
        configuration.corsOrigins = corsOrigins.map { $0.lowercased() }  // browsers send scheme and host in lower case
        if let tlsCertificate, let tlsKey { configuration.tls = (tlsCertificate, tlsKey) }

        let server = OrchardServer(
            model: ServedModel(recognizer: recognizer, bundleFileSHA256: BackboneFile.sha256(bundleBytes)),
            configuration: configuration, logger: logger)
        let scheme = configuration.tls == nil ? "http" : "https"
        try await server.run { [logger] port in
            logger.info("listening", metadata: ["url": "\(scheme)://\(host):\(port)/", "workers": "\(recognizer.pool.workerCount)", "model": "\(model)"])
        }
    }

    /// The key in `path`: its first line, trimmed; at most 4 KiB, never empty.
    static func readKey(_ path: String) throws -> String {
        guard let handle = FileHandle(forReadingAtPath: path) else { throw ValidationError("--api-key-file: cannot read \(path).") }
        defer { try? handle.close() }
        let data = try handle.read(upToCount: 4097) ?? Data()
        guard data.count <= 4096 else { throw ValidationError("--api-key-file: \(path) is larger than 4 KiB; it should hold one key.") }
        let key = String(decoding: data, as: UTF8.self).split(whereSeparator: \.isNewline).first.map {
            $0.trimmingCharacters(in: .whitespaces)
        } ?? ""
        guard !key.isEmpty else { throw ValidationError("--api-key-file: \(path) holds no key.") }
        return key
    }
}
