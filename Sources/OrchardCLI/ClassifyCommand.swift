import ArgumentParser
import Foundation
import MobileNet
import Imaging
import Pipeline
import Recognition
import Storage

/// `orchard classify`: photos in, fruit out, through the whole chain (decode, network, PCA, classifier).
struct ClassifyCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "classify",
        abstract: "Name the fruit in photos with a classifier bundle: top-K labels with probabilities.",
        discussion: """
            Each photo is decoded, resized to 224×224 and run through the backbone network; its features go \
            through the bundle's PCA (if any) and classifier. A file named on the command line is classified \
            whatever its name (JPEG and PNG are told by their content); folders (and s3:// prefixes) are searched \
            for .jpg, .jpeg and .png files. A photo that cannot be read or decoded, or an argument naming nothing, \
            prints an error line; the others are still classified and the exit status is 1.

            The backbone is the one embedded in the bundle (`orchard train --embed-backbone`), else --backbone \
            FILE, else $ORCHARD_MODEL or a file `orchard model fetch` cached; either way its SHA-256 must be the \
            one the training features were made with.

            With --json, one JSON object per line: {"path", "label", "probability", "top": [{"label", \
            "probability"}, …]}, or {"path", "error"} for a photo that failed.

            Examples:
              orchard classify --model fruit.orchard --backbone mobilenet_v2.tflite banana.jpg
              orchard classify --model fruit.orchard photos/ --top 3 --json > predictions.jsonl
            """)

    @Option(name: .long, help: "The classifier bundle `orchard train` wrote.")
    var model: String

    @OptionGroup var backbone: BackboneOptions

    @Argument(help: "Image files, folders or s3:// prefixes.")
    var images: [String]

    @Option(name: .long, help: "How many of the most probable labels to give per photo.")
    var top: Int = 5

    @Flag(name: .long, help: "One JSON object per line instead of text.")
    var json = false

    @Option(name: .long, help: "Networks run at once, one per core (default: all cores).")
    var workers: Int?

    @Option(name: .customLong("max-pixels"), help: "Refuse images larger than this many pixels (decompression-bomb guard).")
    var maxPixels: Int = ImageLimits().maxPixels

    @OptionGroup var backend: BackendOptions

    @OptionGroup var storage: StorageOptions

    func validate() throws {
        if images.isEmpty { throw ValidationError("Give at least one image, folder or s3:// prefix.") }
        if top < 1 { throw ValidationError("--top must be at least 1.") }
        if let workers, workers < 1 { throw ValidationError("--workers must be at least 1.") }
        if maxPixels < 1 { throw ValidationError("--max-pixels must be at least 1.") }
        try LocalFilePath.require(model, for: "--model")
        for argument in images {
            do {
                _ = try StorageLocation(parsing: argument)
            } catch {
                throw ValidationError(TerminalText.escaped(error.description) + ".")
            }
        }
    }

    func run() async throws {
        let bundle = try ClassifierBundle.load(from: model)
        let weights = try backbone.weights(for: bundle, bundlePath: model)
        let limits = ImageLimits(maxPixels: maxPixels)
        let recognizer = try Recognizer(bundle: bundle, backbone: weights, workers: workers ?? ProcessInfo.processInfo.activeProcessorCount, limits: limits,
                                        backend: backend.backend)
        let failed = try await storage.withStores { stores in
            var failed = 0
            for argument in images {
                let location = try StorageLocation(parsing: argument).absoluteKeepingLinks
                let items: [StorageLocation]
                do {
                    items = try await photos(at: location, stores: stores)
                } catch let error as PhotoArgumentError {
                    failed += 1
                    print(try line(for: location.description, .failure(error)))
                    continue
                }
                try await classify(items, recognizer: recognizer, stores: stores, limits: limits) { location, outcome in
                    if case .failure = outcome { failed += 1 }
                    print(try line(for: location.description, outcome))
                }
            }
            return failed
        }
        if failed > 0 { throw ExitCode(1) }
    }

    /// The file at `location` whatever its name (the decoder tells JPEG and PNG by their bytes, and a file
    /// that is neither gets its own error line), or every photo under it when it is a folder or prefix.
    private func photos(at location: StorageLocation, stores: StoreResolver) async throws -> [StorageLocation] {
        let listed: [ObjectInfo]
        do {
            listed = try await stores.store(for: location).list(under: location)
        } catch StorageError.notFound {
            throw PhotoArgumentError.missing(location)
        }
        // Both stores list a file (an object) as itself.
        if listed.count == 1, listed[0].location == location { return [location] }
        let found = ImageListing.listing(of: listed, under: location).images.map(\.location)
        guard !found.isEmpty else { throw PhotoArgumentError.noImages(location) }
        return found
    }

    /// Classifies `items`, handing each outcome to `report` in input order as soon as it and those before
    /// it are done. At most `window` photos are between read and reported at once (their bytes bounded), and
    /// the networks never wait for a slow photo to finish a batch.
    private func classify(
        _ items: [StorageLocation], recognizer: Recognizer, stores: StoreResolver, limits: ImageLimits, window: Int = 64,
        report: (StorageLocation, Result<Prediction, Error>) throws -> Void
    ) async throws {
        try await withThrowingTaskGroup(of: (Int, Result<Prediction, Error>).self) { group in
            var next = 0, reported = 0
            var done: [Int: Result<Prediction, Error>] = [:]
            func start() {
                guard next < items.count, next - reported < window else { return }
                let (index, location) = (next, items[next])
                next += 1
                group.addTask { [top] in
                    do {
                        let bytes = try await stores.store(for: location).read(location, maxBytes: limits.maxBytes)
                        return (index, .success(try await recognizer.classify(bytes, name: location.description, top: top)))
                    } catch {
                        return (index, .failure(error))
                    }
                }
            }
            for _ in 0..<window { start() }
            while let (index, outcome) = try await group.next() {
                done[index] = outcome
                while let ready = done.removeValue(forKey: reported) {
                    try report(items[reported], ready)
                    reported += 1
                    start()
                }
            }
        }
    }

    private func line(for path: String, _ outcome: Result<Prediction, Error>) throws -> String {
        switch (outcome, json) {
        case (.success(let prediction), true):
            return try jsonLine(ClassifiedPhoto(path: path, prediction: prediction))
        case (.failure(let error), true):
            return try jsonLine(["path": path, "error": reason(error, path: path)])
        case (.success(let prediction), false):
            let rest = prediction.top.dropFirst().map { "\($0.label) \(percent($0.probability))" }
            return "\(TerminalText.escaped(path)): \(TerminalText.escaped(prediction.label)) \(percent(prediction.probability))"
                + (rest.isEmpty ? "" : "  (then " + TerminalText.escaped(rest.joined(separator: ", ")) + ")")
        case (.failure(let error), false):
            return "\(TerminalText.escaped(path)): error: \(TerminalText.escaped(reason(error, path: path)))"
        }
    }

    /// What went wrong with the photo at `path`. Errors name the file they are about ("PATH: reason"), and
    /// the line names it already, so the name is dropped here rather than printed twice.
    private func reason(_ error: Error, path: String) -> String {
        let message = String(describing: error)
        return message.hasPrefix(path + ": ") ? String(message.dropFirst(path.count + 2)) : message
    }

    private func percent(_ p: Double) -> String { String(format: "%.1f%%", 100 * p) }

    private func jsonLine(_ value: some Encodable) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return String(decoding: try encoder.encode(value), as: UTF8.self)
    }
}

/// One line of `classify --json`: the photo's path and its prediction's fields.
private struct ClassifiedPhoto: Encodable {
    let path: String
    let prediction: Prediction

    private enum CodingKeys: String, CodingKey { case path, label, probability, top }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(path, forKey: .path)
        try container.encode(prediction.label, forKey: .label)
        try container.encode(prediction.probability, forKey: .probability)
        try container.encode(prediction.top, forKey: .top)
    }
}
