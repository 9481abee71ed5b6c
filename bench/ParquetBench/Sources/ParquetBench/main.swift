// Times Orchard's Parquet writer on the pipeline's row shape: (path string, label string, list<float> of 1280).
// The feature vectors come from a fixed pool (generated before timing) visited in an order that never repeats
// within 1000 rows, so no page sees the same vector twice. The timed part is what the pipeline does: append
// rows to a batch, write row groups, close.
// usage: ParquetBench OUT.parquet ROWS CODEC [ROUNDS]
import Foundation
import Parquet

let arguments = CommandLine.arguments
guard arguments.count >= 4, let rows = Int(arguments[2]), let compression = ParquetCompression(rawValue: arguments[3]) else {
    FileHandle.standardError.write(Data("usage: ParquetBench OUT.parquet ROWS uncompressed|snappy|zstd|gzip [ROUNDS]\n".utf8))
    exit(2)
}
let output = arguments[1]
let rounds = arguments.count > 4 ? Int(arguments[4]) ?? 3 : 3
let width = 1280
let poolSize = 1000

/// Feature-like floats: a quarter zeros (ReLU), the rest exponential with mean 0.5, from a fixed xorshift seed.
struct XorShift {
    var state: UInt64 = 0x9E37_79B9_7F4A_7C15
    mutating func nextUniform() -> Double {
        state ^= state << 13
        state ^= state >> 7
        state ^= state << 17
        return Double(state >> 11) / Double(1 << 53)
    }
}
var random = XorShift()
let pool: [[Float]] = (0..<poolSize).map { _ in
    (0..<width).map { _ in
        let u = random.nextUniform()
        return u < 0.25 ? 0 : Float(-log(random.nextUniform()) * 0.5)
    }
}
let labels = ["apple", "banana", "cherry", "kiwi", "lemon", "mango", "orange", "pear", "plum", "strawberry"]
let paths = (0..<rows).map { "s3://orchard-data/fruits-360/Training/\(labels[$0 % labels.count])/\($0)_100.jpg" }

let schema = ParquetSchema([.string("path"), .string("label"), .list("features", of: .float)])
/// CPU seconds (user + system) used by this process so far: fairer than wall time on a shared machine.
func cpuSeconds() -> Double {
    var usage = rusage()
    getrusage(RUSAGE_SELF.rawValue, &usage)
    return Double(usage.ru_utime.tv_sec + usage.ru_stime.tv_sec) + Double(usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1e6
}

var times: [Double] = []
var cpuTimes: [Double] = []
var meta: ParquetFileMetadata?
for _ in 0..<rounds {
    let start = DispatchTime.now().uptimeNanoseconds
    let cpuStart = cpuSeconds()
    let writer = try ParquetFileWriter(path: output, schema: schema,
                                       options: .init(compression: compression, rowGroupRows: 10_000))
    var batch = ParquetRowBatch(schema: schema)
    for r in 0..<rows {
        batch.append(string: paths[r], to: 0)
        batch.append(string: labels[r % labels.count], to: 1)
        pool[(r * 919) % poolSize].withUnsafeBufferPointer { batch.appendFloatList($0, to: 2) }
        if batch.rowCount == 1000 {
            try writer.write(batch)
            batch.removeAll()
        }
    }
    try writer.write(batch)
    meta = try writer.close()
    times.append(Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9)
    cpuTimes.append(cpuSeconds() - cpuStart)
}
let best = times.min() ?? 0
let median = times.sorted()[times.count / 2]
let bestCPU = cpuTimes.min() ?? 0
print(String(format: "orchard  %@ %d rows: wall best %.3f s, median %.3f s; cpu best %.3f s (%d rounds), %d bytes, %d row groups",
             compression.rawValue, rows, best, median, bestCPU, rounds, meta?.fileBytes ?? 0, meta?.rowGroupRowCounts.count ?? 0))
print(String(format: "ORCHARD_SECONDS %.4f %.4f", best, bestCPU))

// Reading back the features column (what a consumer of the pipeline's output does), best of `rounds`.
var readTimes: [Double] = []
var floatsRead = 0
for _ in 0..<rounds {
    let start = DispatchTime.now().uptimeNanoseconds
    let reader = try ParquetFileReader(path: output)
    floatsRead = 0
    for g in 0..<reader.rowGroupCount {
        floatsRead += try reader.readRowGroup(g, columns: ["features"]).columns[0].floats.count
    }
    readTimes.append(Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9)
}
guard floatsRead == rows * width else {
    FileHandle.standardError.write(Data("read \(floatsRead) floats, wrote \(rows * width)\n".utf8))
    exit(1)
}
print(String(format: "orchard  read features column: wall best %.3f s (%d floats)", readTimes.min() ?? 0, floatsRead))
