import z
import Foundation

/// CRC-32 (IEEE 802.3, as `java.util.zip.CRC32` computes it), which `AddArtifacts` requires per chunk;
/// zlib's, which is several times faster than a byte-wise table over a 100 MB binary.
enum CRC32 {
    /// The checksum of `data`.
    static func checksum(_ data: Data) -> UInt32 {
        data.withUnsafeBytes { raw in
            guard let base = raw.bindMemory(to: Bytef.self).baseAddress else { return 0 }
            return UInt32(crc32(0, base, uInt(raw.count)))
        }
    }
}
