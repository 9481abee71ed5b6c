/// The few bytes of an HDF5 superblock needed to tell a truncated file from a corrupt one
/// (HDF5 File Format Specification, section II.A "Disk Format: Level 0A - Format Signature and Superblock").
enum HDF5Superblock {
    /// `\211HDF\r\n\032\n`, at offset 0 for files without a user block (as Keras writes them).
    static let signature: [UInt8] = [0x89, 0x48, 0x44, 0x46, 0x0D, 0x0A, 0x1A, 0x0A]

    /// The end-of-file address the superblock declares, or nil when the header is too short or unknown.
    static func declaredEnd(_ bytes: [UInt8]) -> Int? {
        guard bytes.count > 16, bytes.starts(with: signature) else { return nil }
        let version = bytes[8]
        let offsetSize: Int
        let endAddressAt: Int
        switch version {
        case 0, 1:
            // version, free-space/root/reserved/shared versions, offset size at 13, length size at 14,
            // then K values and flags; v1 adds 4 bytes; base, free-space and end addresses follow.
            offsetSize = Int(bytes[13])
            endAddressAt = (version == 0 ? 24 : 28) + 2 * offsetSize
        case 2, 3:
            // version, offset size, length size, flags; base, extension and end addresses follow.
            offsetSize = Int(bytes[9])
            endAddressAt = 12 + 2 * offsetSize
        default:
            return nil
        }
        guard [2, 4, 8].contains(offsetSize), endAddressAt + offsetSize <= bytes.count else { return nil }
        var value: UInt64 = 0
        for i in (0..<offsetSize).reversed() { value = value << 8 | UInt64(bytes[endAddressAt + i]) }
        return value < UInt64(Int.max) ? Int(value) : nil
    }
}
