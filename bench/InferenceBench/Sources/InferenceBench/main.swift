// Runs MobileNetV2 on a fixed synthetic image for a fixed time and prints images/s as one JSON line.
//
//   InferenceBench --weights W.h5 [--backend xnnpack|onednn] [--threads 1] [--instances 1] [--seconds 5]
//                  [--warmup 1] [--dump-features out.f32]
//
// `--instances k` builds k independent runtimes, each driven by its own thread (with `--threads`
// backend threads each): the alternative to one runtime with a k-thread pool.
import Dispatch
import Foundation
import MobileNet

struct Options {
    var weights = ""
    var backend = InferenceBackend.preferred
    var threads = 1
    var instances = 1
    var seconds = 5.0
    var warmup = 1.0
    var dumpFeatures: String?

    init(_ arguments: [String]) throws {
        var iterator = arguments.dropFirst().makeIterator()
        while let flag = iterator.next() {
            guard let value = iterator.next() else { throw BenchError.usage("\(flag) needs a value") }
            switch flag {
            case "--weights": weights = value
            case "--backend":
                guard let parsed = InferenceBackend(rawValue: value) else { throw BenchError.usage("unknown backend \(value)") }
                backend = parsed
            case "--threads": threads = Int(value) ?? 0
            case "--instances": instances = Int(value) ?? 0
            case "--seconds": seconds = Double(value) ?? 0
            case "--warmup": warmup = Double(value) ?? 0
            case "--dump-features": dumpFeatures = value
            default: throw BenchError.usage("unknown flag \(flag)")
            }
        }
        guard !weights.isEmpty, (1...64).contains(threads), (1...64).contains(instances), seconds > 0 else {
            throw BenchError.usage("usage: InferenceBench --weights W.h5 [--backend b] [--threads n] [--instances k] [--seconds s]")
        }
    }
}

enum BenchError: Error { case usage(String) }

/// The synthetic input bench/inference.py reproduces in numpy: ((i * 7919) mod 255) / 127.5 - 1, float32.
func syntheticImage(size: Int) -> [Float] {
    (0..<(size * size * 3)).map { Float(($0 * 7919) % 255) / 127.5 - 1 }
}

/// Runs `model` on `image` until `deadline`, returning how many images it finished.
func drive(_ model: MobileNetV2, _ image: [Float], until deadline: DispatchTime) throws -> Int {
    var count = 0
    try image.withUnsafeBufferPointer { input in
        while DispatchTime.now() < deadline {
            _ = try model.run(input: input)
            count += 1
        }
    }
    return count
}

/// One count per instance, each written by its own worker.
final class Counts: @unchecked Sendable {
    var values: [Int]
    var failure: String?
    let lock = NSLock()
    init(_ n: Int) { values = Array(repeating: 0, count: n) }
}

let options = try Options(CommandLine.arguments)
let weights = try WeightFile.load(path: options.weights)
let models = try (0..<options.instances).map { _ in try MobileNetV2(weights: weights, threads: options.threads, backend: options.backend) }
let image = syntheticImage(size: 224)

if let path = options.dumpFeatures {
    let features = try image.withUnsafeBufferPointer { try models[0].run(input: $0) }.features
    try features.withUnsafeBytes { Data($0) }.write(to: URL(fileURLWithPath: path))
}

func measure(seconds: Double) -> (images: Int, elapsed: Double) {
    let counts = Counts(models.count)
    let start = DispatchTime.now()
    let deadline = start + seconds
    DispatchQueue.concurrentPerform(iterations: models.count) { index in
        do {
            let n = try drive(models[index], image, until: deadline)
            counts.lock.withLock { counts.values[index] = n }
        } catch {
            counts.lock.withLock { counts.failure = "\(error)" }
        }
    }
    if let failure = counts.failure { FileHandle.standardError.write(Data((failure + "\n").utf8)) }
    let elapsed = Double(DispatchTime.now().uptimeNanoseconds - start.uptimeNanoseconds) / 1e9
    return (counts.values.reduce(0, +), elapsed)
}

_ = measure(seconds: options.warmup)
let (images, elapsed) = measure(seconds: options.seconds)
print("{\"backend\": \"orchard-\(options.backend)\", \"threads\": \(options.threads), \"instances\": \(options.instances), "
    + "\"images\": \(images), \"seconds\": \(elapsed), \"images_per_s\": \(Double(images) / elapsed)}")
