// Downloads every object under s3://BUCKET/PREFIX into OUT_DIR (keys relative to the prefix), like
// `aws s3 cp --recursive`, and prints one JSON line: objects, bytes, seconds.
// usage: S3Bench ENDPOINT BUCKET PREFIX OUT_DIR [CONCURRENCY]
import Foundation
import S3

let arguments = CommandLine.arguments
guard arguments.count >= 5 else {
    FileHandle.standardError.write(Data("usage: S3Bench ENDPOINT BUCKET PREFIX OUT_DIR [CONCURRENCY]\n".utf8))
    exit(2)
}
let (endpoint, bucket, prefix, output) = (arguments[1], arguments[2], arguments[3], arguments[4])
let concurrency = arguments.count > 5 ? Int(arguments[5]) ?? 10 : 10

var configuration = try S3Configuration.fromEnvironment(endpointOverride: endpoint)
configuration.maxConcurrency = concurrency
let client = S3Client(configuration: configuration)
let start = ContinuousClock.now
do {
    let objects = try await client.listObjects(bucket: bucket, prefix: prefix)
    var folders = Set<String>()
    for object in objects {
        let folder = (output + "/" + object.key.dropFirst(prefix.count) as NSString).deletingLastPathComponent
        if folders.insert(folder).inserted {
            try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        }
    }
    let bytes = try await withThrowingTaskGroup(of: Int.self) { group in
        var next = objects.makeIterator()
        var total = 0
        func launch() {
            guard let object = next.next() else { return }
            group.addTask {
                let data = try await client.getObject(bucket: bucket, key: object.key, maxBytes: 64 << 20)
                let path = output + "/" + object.key.dropFirst(prefix.count)
                guard FileManager.default.createFile(atPath: path, contents: Data(data)) else {
                    throw S3Error.file(path: path, reason: "cannot write")
                }
                return data.count
            }
        }
        // The client's limiter bounds requests; this window only bounds tasks held in memory.
        for _ in 0..<(concurrency * 2) { launch() }
        while let count = try await group.next() {
            total += count
            launch()
        }
        return total
    }
    let seconds = (ContinuousClock.now - start) / .seconds(1)
    print("{\"objects\": \(objects.count), \"bytes\": \(bytes), \"seconds\": \(seconds)}")
    try await client.shutdown()
} catch {
    FileHandle.standardError.write(Data("S3Bench: \(error)\n".utf8))
    try await client.shutdown()
    exit(1)
}
