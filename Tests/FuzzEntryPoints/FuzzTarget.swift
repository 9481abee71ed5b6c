// The inputs Orchard reads from outside, each fed to the real public parser that reads it. The libFuzzer
// executables in fuzz/ and FuzzCorpusTests call the same `consume`, so a committed reproducer replays
// exactly the calls that crashed. A thrown error is a pass; a trap, crash or sanitizer report is a finding.
import Imaging
import MobileNet
import Parquet
import S3
import SparkConnect

/// One fuzzed input format, named as its folder in fuzz/corpus/.
public enum FuzzTarget: String, CaseIterable, Sendable {
    case jpegPngExif = "jpeg-png-exif"
    case parquet
    case tflite
    case arrowIPC = "arrow-ipc"
    case s3XML = "s3-xml"

    /// Feeds `bytes` through every parsing call of the target; throws what those calls throw.
    public func consume(_ bytes: [UInt8]) throws {
        switch self {
        case .jpegPngExif: try Self.image(bytes)
        case .parquet: try Self.parquet(bytes)
        case .tflite: _ = try TFLiteWeightLoader.load(bytes: bytes, name: "fuzz.tflite")
        case .arrowIPC: try Self.arrow(bytes)
        case .s3XML: try Self.s3(bytes)
        }
    }

    /// Decode, EXIF orientation and resize, as `featurize` prepares each image. The limits are small so
    /// an image whose header claims millions of pixels is refused before the fuzzer spends time on it.
    private static func image(_ bytes: [UInt8]) throws {
        var preparer = ModelInputPreparer(limits: ImageLimits(maxPixels: 1 << 20, maxBytes: 1 << 20))
        let image = try preparer.prepareRGB(bytes, name: "fuzz.jpg")
        precondition(image.pixels.count == preparer.elementCount, "prepareRGB returned a short image")
    }

    /// Opens the footer, then reads every row group and touches every value, as `orchard parquet head` would.
    /// Budgets well under the fuzzer's 2 GB RSS limit, so a footer claiming gigabytes is refused.
    private static func parquet(_ bytes: [UInt8]) throws {
        let options = ParquetReadOptions(maxDecodedBytesPerColumnChunk: 64 << 20, maxDecodedBytesPerFile: 256 << 20)
        let reader = try ParquetFileReader(bytes: bytes, name: "fuzz.parquet", options: options)
        _ = reader.schemaDescription
        for index in 0..<reader.rowGroupCount {
            let group = try reader.readRowGroup(index)
            for column in group.columns {
                for row in 0..<group.rowCount { _ = column.value(row: row) }
            }
        }
    }

    /// One Spark Connect `arrow_batch` payload, decoded and every value read back.
    private static func arrow(_ bytes: [UInt8]) throws {
        for batch in try ArrowStreamReader.decode(bytes) {
            for row in batch.rows { _ = row.values.count }
        }
    }

    /// The same body as an S3 error reply (never throws) and as a ListObjectsV2 page.
    private static func s3(_ bytes: [UInt8]) throws {
        _ = S3Client.serviceError(
            status: 403, body: bytes, requestIDHeader: nil, operation: "GetObject", bucket: "b", key: "k")
        _ = try S3Client.parseListPage(bytes)
    }
}
