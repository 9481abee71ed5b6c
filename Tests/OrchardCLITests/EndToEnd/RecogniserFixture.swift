import Foundation
import OrchardTestKit

/// The recogniser as a user builds it on the shared sample: Training (every 4th photo of each class,
/// to keep the suite's time down) and the whole Test split featurized with the real ImageNet model,
/// then `orchard train` on Training and `orchard classify` on Test's photos. Built once per test process, on first use.
struct RecogniserFixture: Sendable {
    /// Every `trainingStride`-th Training photo of each class is trained on.
    static let trainingStride = 4

    let trainingFeatures: String
    let testFeatures: String
    let bundle: String
    /// `orchard classify --json` over the whole Test split, every label's probability per photo.
    let predictions: String
    /// The Test split's photos (read in place).
    var testPhotos: String { EndToEnd.samples + "/Test" }

    static func get() async throws -> RecogniserFixture { try await built.value }

    private static let built = Task<RecogniserFixture, any Error> {
        let folder = try EndToEnd.temporaryFolder("recogniser")
        EndToEnd.removeAtExit([folder])
        let training = folder + "/training-photos"
        let source = EndToEnd.samples + "/Training"
        for name in try FileManager.default.contentsOfDirectory(atPath: source).sorted() {
            let files = try FileManager.default.contentsOfDirectory(atPath: source + "/" + name).filter { $0.hasSuffix(".jpg") }.sorted()
            try FileManager.default.createDirectory(atPath: "\(training)/\(name)", withIntermediateDirectories: true)
            for file in stride(from: 0, to: files.count, by: trainingStride).map({ files[$0] }) {
                try FileManager.default.copyItem(atPath: "\(source)/\(name)/\(file)", toPath: "\(training)/\(name)/\(file)")
            }
        }
        let fixture = RecogniserFixture(
            trainingFeatures: folder + "/features-training", testFeatures: folder + "/features-test", bundle: folder + "/fruit.orchard",
            predictions: folder + "/predictions.jsonl")
        for (input, output) in [(training, fixture.trainingFeatures), (fixture.testPhotos, fixture.testFeatures)] {
            try EndToEnd.orchard(["featurize", input, "--out", output, "--model", EndToEnd.realModel],
                                 environment: ["ORCHARD_MODEL": nil], timeout: .seconds(1800)).check()
        }
        try EndToEnd.orchard(["train", fixture.trainingFeatures, "--out", fixture.bundle], timeout: .seconds(600)).check()
        let classified = try EndToEnd.orchard(
            ["classify", "--model", fixture.bundle, "--backbone", EndToEnd.realModel, fixture.testPhotos, "--json", "--top", "1000"],
            timeout: .seconds(1800)).check()
        try classified.stdout.write(to: URL(fileURLWithPath: fixture.predictions))
        return fixture
    }
}
