import Foundation
import OrchardTestKit

/// A classifier bundle trained on `SampleDataset` (12 photos, 3 classes), without its backbone (pass
/// `EndToEnd.realModel` as --backbone): enough for tests of what classify and export do with their
/// arguments, and much quicker than `RecogniserFixture`. Built once per test process, on first use.
enum SmallBundle {
    /// The bundle's path.
    static func get() async throws -> String { try await built.value }

    private static let built = Task<String, any Error> {
        let dataset = try await SampleDataset.get()
        let folder = try EndToEnd.temporaryFolder("small-bundle")
        EndToEnd.removeAtExit([folder])
        let bundle = folder + "/fruit.orchard"
        try EndToEnd.orchard(["train", dataset.output, "--out", bundle], timeout: .seconds(600)).check()
        return bundle
    }
}
