import Foundation
import Imaging
import Testing

/// Prints the per-image cost of decode + resize + scale over 200 Fruits-360 photos (no assertion on
/// speed). Runs only when ORCHARD_BENCH is set, from bench/imaging_preprocess.sh in a release build.
@Suite struct PreprocessTimingTests {
    @Test(.enabled(if: ProcessInfo.processInfo.environment["ORCHARD_BENCH"] != nil))
    func timePreprocessing() throws {
        let urls = Array(try TestData.fruits(perClass: 16).prefix(200))
        let files = try urls.map(TestData.bytes)
        var preparer = ModelInputPreparer()
        var tensor = [Float](repeating: 0, count: preparer.elementCount)
        let clock = ContinuousClock()
        let rounds = 10
        var checksum: Float = 0
        let prepare = try clock.measure {
            for _ in 0..<rounds {
                for (index, bytes) in files.enumerated() {
                    try tensor.withUnsafeMutableBufferPointer { output in
                        try preparer.prepare(bytes, name: urls[index].lastPathComponent, into: output)
                    }
                    checksum += tensor[index]
                }
            }
        }
        let decoder = ImageDecoder()
        let decode = try clock.measure {
            for _ in 0..<rounds {
                for (index, bytes) in files.enumerated() {
                    checksum += Float(try decoder.decode(bytes, name: urls[index].lastPathComponent).width)
                }
            }
        }
        let count = Double(files.count * rounds)
        func ms(_ duration: Duration) -> Double {
            (Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18) * 1000 / count
        }
        print(String(format: "orchard-imaging: %d images × %d rounds: decode %.3f ms/image, decode+resize+scale %.3f ms/image (checksum %.1f)",
                     files.count, rounds, ms(decode), ms(prepare), checksum))
        #expect(checksum.isFinite)
    }
}
