import Foundation
import Imaging
import OrchardTestKit
import Testing

/// Random damage to valid files gives either an image or an `ImageError`, never a crash or a hang.
@Suite struct MutationTests {
    @Test(arguments: ["progressive.jpg", "yuv444.jpg", "palette.png", "rgba.png", "gray16.png"])
    func damagedFilesFailCleanly(_ name: String) throws {
        let original = try TestData.bytes(TestData.fixture(name))
        var random = SplitMix64(seed: UInt64(original.count))
        // A modest limit keeps a mutated header from asking for a huge (if legal) allocation.
        var preparer = ModelInputPreparer(limits: ImageLimits(maxPixels: 4_000_000))
        var decoded = 0
        var failed = 0
        for round in 0..<120 {
            var bytes = original
            if round % 3 != 1 {
                for _ in 0..<Int.random(in: 1...8, using: &random) {
                    let at = Int.random(in: 0..<bytes.count, using: &random)
                    bytes[at] ^= UInt8.random(in: 1...255, using: &random)
                }
            }
            if round % 3 != 0 {
                bytes.removeLast(Int.random(in: 1..<bytes.count, using: &random))
            }
            do {
                let image = try preparer.prepareRGB(bytes, name: "mutant-\(round)-\(name)")
                #expect(image.pixels.count == 224 * 224 * 3)
                decoded += 1
            } catch {
                #expect(error.file == "mutant-\(round)-\(name)")
                failed += 1
            }
        }
        #expect(decoded + failed == 120)
        #expect(failed > 0)
        // The same preparer still works after all that.
        #expect(try preparer.prepareRGB(original, name: name).width == 224)
    }
}
