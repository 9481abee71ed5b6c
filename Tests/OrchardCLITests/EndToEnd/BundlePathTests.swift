import Foundation
import OrchardTestKit
import Testing

/// Bundles, backbones and exported models are local files: an s3:// (or any scheme://) one is refused before
/// any work, not after minutes of training.
@Suite struct BundlePathTests {
    @Test(arguments: [
        ["train", "features/", "--out", "s3://bucket/models/fruit.orchard"],
        ["train", "features/", "--out", "fruit.orchard", "--warm-start", "s3://bucket/old.orchard"],
        ["classify", "--model", "s3://bucket/fruit.orchard", "photo.jpg"],
        ["classify", "--model", "fruit.orchard", "--backbone", "gs://bucket/mobilenet.tflite", "photo.jpg"],
        ["serve", "--model", "s3://bucket/fruit.orchard"],
        ["evaluate", "s3://bucket/fruit.orchard", "features/"],
        ["export", "s3://bucket/fruit.orchard", "--out", "fruit.tflite"],
        ["export", "fruit.orchard", "--out", "s3://bucket/fruit.tflite"],
        ["featurize", "photos/", "--out", "features/", "--classifier", "s3://bucket/fruit.orchard"],
    ])
    func aRemoteBundlePathIsRefusedUpFront(arguments: [String]) throws {
        let run = try EndToEnd.orchard(arguments, timeout: .seconds(60))
        #expect(run.status == 64, "\(arguments): \(run.status) \(run.errors)")
        #expect(run.errors.contains("must be a local file path"), "\(arguments): \(run.errors)")
    }

    /// Without the check, train read the whole dataset and trained before failing to write the bundle.
    @Test func trainRefusesAnS3OutBeforeReadingTheDataset() async throws {
        let dataset = try await SampleDataset.get()
        let run = try EndToEnd.orchard(["train", dataset.output, "--out", "s3://bucket/models/fruit.orchard"], timeout: .seconds(60))
        #expect(run.status == 64, "\(run.output) \(run.errors)")
        #expect(run.errors.contains("--out must be a local file path"), "\(run.errors)")
        #expect(run.output.isEmpty, "it started work: \(run.output)")
    }
}
