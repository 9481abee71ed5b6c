import Foundation
import LinearAlgebra

/// The bundle file: versioned, self-checking.
///
///     "ORCHCLSF"      8 bytes magic
///     format version  UInt32 (1)
///     payload length  UInt64
///     payload         JSON of `ClassifierBundle` (doubles in shortest round-trip form, so exact)
///     CRC-32 (IEEE)   UInt32 over every byte before it
///
/// Integers are little-endian. The version is read before the checksum, so a newer file is reported as
/// newer even if a later format checks itself differently.
extension ClassifierBundle {
    static let magic = Array("ORCHCLSF".utf8)
    /// The newest format this build writes and reads.
    public static let formatVersion: UInt32 = 1
    static let headerSize = 8 + 4 + 8

    /// The bundle file's bytes.
    public func serialized() throws -> [UInt8] {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        let payload = [UInt8](try encoder.encode(self))
        var bytes = Self.magic
        withUnsafeBytes(of: Self.formatVersion.littleEndian) { bytes += $0 }
        withUnsafeBytes(of: UInt64(payload.count).littleEndian) { bytes += $0 }
        bytes += payload
        let crc = bytes.withUnsafeBytes { CRC32.checksum($0) }
        withUnsafeBytes(of: crc.littleEndian) { bytes += $0 }
        return bytes
    }

    /// Reads a bundle file's bytes; `path` names it in errors.
    public init(serialized bytes: [UInt8], path: String) throws {
        func fail(_ reason: String) -> RecognitionError { .malformedBundle(path: path, reason: reason) }
        func integer<T: FixedWidthInteger>(at offset: Int, as: T.Type) -> T {
            (0..<MemoryLayout<T>.size).reduce(T(0)) { $0 | T(bytes[offset + $1]) << (8 * $1) }
        }
        guard bytes.count >= Self.magic.count, Array(bytes[..<Self.magic.count]) == Self.magic else {
            throw fail("no ORCHCLSF magic at its start (not a file `orchard train` wrote)")
        }
        guard bytes.count >= Self.headerSize else { throw fail("truncated: \(bytes.count) bytes, shorter than the \(Self.headerSize)-byte header") }
        let version = integer(at: 8, as: UInt32.self)
        guard version <= Self.formatVersion else {
            throw RecognitionError.newerBundleVersion(path: path, version: version, supported: Self.formatVersion)
        }
        guard version >= 1 else { throw fail("format version 0 does not exist") }
        let length = integer(at: 12, as: UInt64.self)
        let available = bytes.count - Self.headerSize
        guard length <= UInt64(available), Int(length) + 4 <= available else {
            throw fail("truncated: the header promises \(length) payload bytes and a 4-byte checksum, \(available) bytes follow it")
        }
        let end = Self.headerSize + Int(length)
        guard end + 4 == bytes.count else { throw fail("\(bytes.count - end - 4) unexpected bytes after the checksum") }
        let stored = integer(at: end, as: UInt32.self)
        let actual = bytes.withUnsafeBytes { CRC32.checksum(UnsafeRawBufferPointer(rebasing: $0[..<end])) }
        guard stored == actual else {
            throw fail("checksum mismatch (stored 0x\(String(stored, radix: 16)), computed 0x\(String(actual, radix: 16))): the file is damaged")
        }
        do {
            self = try JSONDecoder().decode(ClassifierBundle.self, from: Data(bytes[Self.headerSize..<end]))
        } catch let error as RecognitionError {
            throw error
        } catch {
            throw fail("payload does not decode: \(error)")
        }
    }

    /// Writes the bundle file to `path` atomically.
    public func write(to path: String) throws {
        do {
            try Data(try serialized()).write(to: URL(fileURLWithPath: path), options: .atomic)
        } catch let error as RecognitionError {
            throw error
        } catch {
            throw RecognitionError.fileIO(path: path, reason: "cannot write the classifier bundle: \(error.localizedDescription)")
        }
    }

    /// Reads the bundle file at `path`.
    public static func load(from path: String) throws -> ClassifierBundle {
        let data: Data
        do {
            data = try Data(contentsOf: URL(fileURLWithPath: path))
        } catch {
            throw RecognitionError.fileIO(path: path, reason: "cannot read the classifier bundle: \(error.localizedDescription)")
        }
        return try ClassifierBundle(serialized: [UInt8](data), path: path)
    }
}
