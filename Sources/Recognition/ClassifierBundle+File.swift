import Foundation
import LinearAlgebra

/// The bundle file: versioned, self-checking.
///
///     "ORCHCLSF"       8 bytes magic
///     format version   UInt32 (2; version 1 files, without the backbone section, are still read)
///     payload length   UInt64
///     payload          JSON of `ClassifierBundle` (doubles in shortest round-trip form, so exact)
///     backbone length  UInt64 (version ≥ 2; 0 when no backbone is embedded)
///     backbone         the backbone's weight file, byte for byte
///     CRC-32 (IEEE)    UInt32 over every byte before it
///
/// Integers are little-endian. The version is read before the checksum, so a newer file is reported as
/// newer even if a later format checks itself differently.
extension ClassifierBundle {
    static let magic = Array("ORCHCLSF".utf8)
    /// The newest format this build writes and reads.
    public static let formatVersion: UInt32 = 2
    static let headerSize = 8 + 4 + 8
    /// The largest section a bundle may declare: bounds what a damaged or hostile header can make us allocate.
    static let maxSectionBytes: UInt64 = 1 << 30

    /// The bundle file's bytes.
    public func serialized() throws -> [UInt8] {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        let payload = [UInt8](try encoder.encode(self))
        let backbone = embeddedBackbone ?? []
        var bytes = Self.magic
        bytes.reserveCapacity(Self.headerSize + payload.count + 8 + backbone.count + 4)
        withUnsafeBytes(of: Self.formatVersion.littleEndian) { bytes += $0 }
        withUnsafeBytes(of: UInt64(payload.count).littleEndian) { bytes += $0 }
        bytes += payload
        withUnsafeBytes(of: UInt64(backbone.count).littleEndian) { bytes += $0 }
        bytes += backbone
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

        // Sections: the payload, then (version ≥ 2) the backbone; each length checked against what is there.
        var offset = 12
        func section(_ name: String) throws -> Range<Int> {
            guard offset + 8 <= bytes.count else { throw fail("truncated before the \(name) length") }
            let length = integer(at: offset, as: UInt64.self)
            offset += 8
            let available = bytes.count - offset - 4
            guard length <= Self.maxSectionBytes, available >= 0, length <= UInt64(available) else {
                throw fail("truncated: the \(name) length says \(length) bytes, \(max(available, 0)) bytes are left before the checksum")
            }
            defer { offset += Int(length) }
            return offset ..< offset + Int(length)
        }
        let payload = try section("payload")
        let backbone = version >= 2 ? try section("backbone") : nil
        let end = offset
        guard end + 4 == bytes.count else { throw fail("\(bytes.count - end - 4) unexpected bytes after the checksum") }
        let stored = integer(at: end, as: UInt32.self)
        let actual = bytes.withUnsafeBytes { CRC32.checksum(UnsafeRawBufferPointer(rebasing: $0[..<end])) }
        guard stored == actual else {
            throw fail("checksum mismatch (stored 0x\(String(stored, radix: 16)), computed 0x\(String(actual, radix: 16))): the file is damaged")
        }
        do {
            self = try JSONDecoder().decode(ClassifierBundle.self, from: Data(bytes[payload]))
        } catch let error as RecognitionError {
            throw error
        } catch {
            throw fail("payload does not decode: \(error)")
        }
        if let backbone, !backbone.isEmpty { embeddedBackbone = Array(bytes[backbone]) }
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
        var isFolder: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isFolder) else {
            throw RecognitionError.fileIO(path: path, reason: "no such classifier bundle (the file `orchard train --out` writes)")
        }
        guard !isFolder.boolValue else {
            throw RecognitionError.fileIO(path: path, reason: "a folder, not a classifier bundle (the file `orchard train --out` writes)")
        }
        let data: Data
        do {
            data = try Data(contentsOf: URL(fileURLWithPath: path))
        } catch {
            let reason = FileManager.default.isReadableFile(atPath: path) ? error.localizedDescription : "permission denied"
            throw RecognitionError.fileIO(path: path, reason: "cannot read the classifier bundle: \(reason)")
        }
        return try ClassifierBundle(serialized: [UInt8](data), path: path)
    }

    /// Whether the file at `path` starts as a bundle does (so replacing it replaces an earlier bundle).
    public static func isBundle(atPath path: String) -> Bool {
        guard let handle = FileHandle(forReadingAtPath: path) else { return false }
        defer { try? handle.close() }
        return (try? handle.read(upToCount: magic.count)).map(Array.init) == magic
    }
}
