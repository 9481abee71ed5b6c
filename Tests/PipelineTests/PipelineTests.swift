import Foundation
import Testing
@testable import Pipeline
@testable import Storage

@Suite struct TransformRowFormatTests {
    @Test func anyTextRoundTripsWhateverBytesItHolds() {
        let texts = ["a.jpg", "bad\u{1}x\nline\r", "\\N", "tab\there", "100%20 é 日本", ""]
        let line = TransformRowFormat.line(texts.map { .text($0) } + [.text(nil), .token("0.5")])
        // Only hex digits, separators, the NULL marker and tokens: nothing Spark's framing could misread.
        #expect(line.utf8.allSatisfy { $0 == TransformRowFormat.separator || $0 < 0x80 && $0 >= 0x20 })
        #expect(line.hasPrefix("612E6A7067\u{1}"), "a.jpg as Spark's hex() writes it")
        let fields = TransformRowFormat.fields(of: Substring(line))
        #expect(fields.count == texts.count + 2)
        #expect(fields.prefix(texts.count).map { TransformRowFormat.text($0) } == texts)
        #expect(fields[texts.count] == nil)
        #expect(fields[texts.count + 1] == "0.5")
        #expect(TransformRowFormat.text("6x") == nil, "not hex")
        #expect(TransformRowFormat.text("FF") == nil, "not UTF-8")
        #expect(TransformRowFormat.text("c3a9") == "é", "lower case too")
    }

    @Test func floatArraysRoundTripExactly() {
        let values: [Float] = [0, -0.5, 1e-8, 3.4028235e38, 0.1, 1.0 / 3.0, -.leastNonzeroMagnitude]
        let text = TransformRowFormat.line([.floats(values)])
        #expect(text.hasPrefix("[0.0,-0.5,"))
        #expect(text.dropFirst().dropLast().split(separator: ",").map { Float($0) } == values)
        #expect(TransformRowFormat.line([.floats([]), .floats(nil)]) == "[]\u{1}\\N")
        let staged = TransformRowFormat.base64(values)
        #expect(TransformRowFormat.parseBase64(Substring(staged))?.map(\.bitPattern) == values.map(\.bitPattern))
        #expect(TransformRowFormat.parseBase64("not base64!") == nil)
        #expect(TransformRowFormat.parseBase64("AAAA") == nil, "3 bytes are not a whole float")
        #expect(TransformRowFormat.parseBase64(Substring(staged), maxCount: 6) == nil, "longer than allowed")
    }
}

@Suite struct SparkPartitioningTests {
    @Test func partitionsComeInWholeWavesOfAtMost2000Images() {
        #expect(SparkEngine.partitionCount(images: 2241, slots: 2) == 2)
        #expect(SparkEngine.partitionCount(images: 8943, slots: 2) == 6, "3 waves of 2 tasks, ≤ 2,000 images each")
        #expect(SparkEngine.partitionCount(images: 90_000, slots: 64) == 64)
        #expect(SparkEngine.partitionCount(images: 300_000, slots: 64) == 192)
        #expect(SparkEngine.partitionCount(images: 5, slots: 8) == 5, "never an empty task")
        #expect(SparkEngine.partitionCount(images: 10, slots: 0) == 1)
    }
}

@Suite struct SparkPathTests {
    @Test func sparkURIsBecomeOrchardLocations() throws {
        // Hadoop's Path.toString, as binaryFile's `path` holds it: never percent-encoded, so never decoded.
        #expect(try SparkWorker.location(fromSparkPath: "file:/data/Apple 10/1_100.jpg") == .local(path: "/data/Apple 10/1_100.jpg"))
        #expect(try SparkWorker.location(fromSparkPath: "file:/data/Apple%2010/a%41.jpg") == .local(path: "/data/Apple%2010/a%41.jpg"))
        #expect(try SparkWorker.location(fromSparkPath: "hdfs://nn:8020/data/Apple Braeburn/1.jpg")
                    == .hdfs(uri: "hdfs://nn:8020/data/Apple Braeburn/1.jpg"))
        #expect(try SparkWorker.location(fromSparkPath: "hdfs://nn:8020/data/Apple Braeburn/1.jpg").parentName == "Apple Braeburn")
        #expect(try SparkWorker.location(fromSparkPath: "file:///data/x.jpg") == .local(path: "/data/x.jpg"))
        #expect(try SparkWorker.location(fromSparkPath: "s3a://fruits/Test/Kiwi/1.jpg") == .s3(bucket: "fruits", key: "Test/Kiwi/1.jpg"))
        #expect(try SparkWorker.location(fromSparkPath: "s3://fruits/a b.jpg") == .s3(bucket: "fruits", key: "a b.jpg"))
    }
}

@Suite struct DatasetLayoutTests {
    @Test func partsAreNamedAsSparkNamesThem() {
        let layout = DatasetLayout(root: .local(path: "/out"))
        #expect(layout.part(7, jobID: "abc").description == "/out/part-00007-abc.parquet")
        #expect(DatasetLayout.partIndex(ofName: "part-00007-abc.parquet", jobID: "abc") == 7)
        #expect(DatasetLayout.partIndex(ofName: "part-00007-other.parquet", jobID: "abc") == nil)
        #expect(layout.stagedPart(3, jobID: "abc").description == "/out/_temporary/features/part-00003-abc.parquet")
        #expect(DatasetLayout.partName(123456, jobID: "j") == "part-123456-j.parquet")
    }

    @Test func imageNamesAreRecognisedCaseInsensitively() {
        #expect(ImageListing.isImage("a.JPG"))
        #expect(ImageListing.isImage("b.jpeg"))
        #expect(ImageListing.isImage("c.Png"))
        #expect(!ImageListing.isImage("d.gif"))
        #expect(!ImageListing.isImage(".hidden.jpg"))
        #expect(!ImageListing.isImage("jpg"))
    }

    @Test func namesHadoopHidesAreHiddenBelowTheInputOnly() {
        let input = StorageLocation.local(path: "/data/_in")
        func hidden(_ relative: String) -> Bool { ImageListing.isHidden(input.appending(relative), under: input) }
        #expect(!hidden("Apple/1.jpg"))
        #expect(hidden(".thumbnails/1.jpg"))
        #expect(hidden("Apple/_1.jpg"))
        #expect(hidden("_staging/Apple/1.jpg"))
        #expect(!hidden("year=2026/Apple/1.jpg") && !hidden("_year=2026/1.jpg"))  // Hadoop keeps partition folders
        let s3 = StorageLocation.s3(bucket: "b", key: "photos/")
        #expect(ImageListing.isHidden(s3.appending(".git/x.png"), under: s3))
        #expect(!ImageListing.isHidden(s3.appending("Kiwi/x.png"), under: s3))
    }

    @Test func aListingSkipsHiddenImagesAndSaysSo() async throws {
        let folder = try TestSupport.temporaryFolder("hidden-listing")
        for name in ["Kiwi/1.jpg", ".cache/2.jpg", "Kiwi/_3.jpg", "Kiwi/.4.jpg"] {
            try FileManager.default.createDirectory(
                atPath: folder + "/" + name.split(separator: "/")[0], withIntermediateDirectories: true)
            try Data([0xFF, 0xD8]).write(to: URL(fileURLWithPath: folder + "/" + name))
        }
        let (images, hidden) = try await ImageListing(store: LocalStore()).listing(under: .local(path: folder))
        #expect(images.map(\.location.name) == ["1.jpg"])
        #expect(hidden.map(\.name).sorted() == ["2.jpg", "_3.jpg"])  // `.4.jpg` is no image name at all
        #expect(ImageListing.skippedNotice(hidden)?.hasPrefix("skipped 2 images under a hidden name") == true)
        #expect(ImageListing.skippedNotice([]) == nil)
    }
}

@Suite struct ProgressReporterTests {
    @Test func plainLinesWhenNotATerminal() {
        let lines = LineCollector()
        let progress = ProgressReporter(title: "featurize", total: 10, isTerminal: false, interval: 0) { lines.add($0) }
        progress.skip(4)
        progress.advance(by: 6, failures: 1)
        let last = lines.all.last ?? ""
        #expect(last.hasPrefix("featurize: 10/10 "))
        #expect(last.contains("1 failed"))
        #expect(last.contains("(100%)"))
        #expect(!last.contains("\u{1B}"))
    }

    @Test func durationsReadNaturally() {
        #expect(ProgressReporter.duration(12) == "12s")
        #expect(ProgressReporter.duration(185) == "3m05s")
        #expect(ProgressReporter.duration(3720) == "1h02m")
    }
}

final class LineCollector: @unchecked Sendable {
    private var lines: [String] = []
    func add(_ line: String) { lines.append(line) }
    var all: [String] { lines }
}
