// Times Orchard's image preprocessing on the files listed in a text file (one path per line):
// decode (JPEG/PNG → RGB), resize (Pillow-exact bicubic to 224×224) and the whole model-input
// preparation (bytes → Float32 [-1, 1] tensor, buffers reused). Prints milliseconds per image, the
// median over `runs` runs, each run going `rounds` times over all files held in memory.
// usage: ImagingBench LIST [ROUNDS] [RUNS]
import Foundation
import Imaging

let arguments = CommandLine.arguments
guard arguments.count >= 2 else {
    FileHandle.standardError.write(Data("usage: ImagingBench LIST [ROUNDS] [RUNS]\n".utf8))
    exit(2)
}
let paths = try String(contentsOfFile: arguments[1], encoding: .utf8).split(separator: "\n").map(String.init)
let rounds = arguments.count > 2 ? Int(arguments[2]) ?? 5 : 5
let runs = arguments.count > 3 ? Int(arguments[3]) ?? 5 : 5
let files = try paths.map { [UInt8](try Data(contentsOf: URL(fileURLWithPath: $0))) }
let decoder = ImageDecoder()
let images = try files.map { try decoder.decode($0, name: "bench") }
var preparer = ModelInputPreparer()
var tensor = [Float](repeating: 0, count: preparer.elementCount)
var sink = 0

/// Median milliseconds per image of `body` applied to every file index, `rounds` times per run.
func measure(_ body: (Int) throws -> Void) rethrows -> Double {
    let clock = ContinuousClock()
    var samples: [Double] = []
    for _ in 0..<runs {
        let elapsed = try clock.measure {
            for _ in 0..<rounds { for index in files.indices { try body(index) } }
        }
        let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
        samples.append(seconds * 1000 / Double(rounds * files.count))
    }
    return samples.sorted()[samples.count / 2]
}

let decode = try measure { sink &+= try decoder.decode(files[$0], name: "bench").width }
let resize = measure { sink &+= Int(resizeBicubic(images[$0], width: 224, height: 224).pixels[0]) }
let prepare = try measure { index in
    try tensor.withUnsafeMutableBufferPointer { try preparer.prepare(files[index], name: "bench", into: $0) }
    sink &+= Int(tensor[index])
}
print(String(format: "orchard  decode %.3f  resize %.3f  decode+resize+scale %.3f  ms/image  (%d images, sink %d)",
             decode, resize, prepare, files.count, sink))
