import Foundation
import Imaging
import Testing

/// JPEGs carrying an EXIF orientation come out upright, like `ImageOps.exif_transpose`.
@Suite struct ExifOrientationTests {
    @Test(arguments: 2...8)
    func appliesOrientation(_ value: Int) throws {
        let url = TestData.fixture("exif_\(value).jpg")
        let reference = try Pillow.reference(.upright, [url])[0]
        let image = try ImageDecoder().decode(try TestData.bytes(url), name: url.lastPathComponent)
        // The stored picture is 48×32: orientations 5–8 swap the axes.
        #expect(image.width == (value >= 5 ? 32 : 48) && image.height == (value >= 5 ? 48 : 32))
        #expect(image.width == reference.width && image.height == reference.height)
        #expect(TestData.maxDifference(image.pixels, reference.bytes) == 0)
    }

    @Test func orientationChangesThePixels() throws {
        // Guards against a decoder that ignores the tag: the rotated result differs from the stored one.
        let stored = try Pillow.reference(.convert, [TestData.fixture("exif_3.jpg")])[0]
        let image = try ImageDecoder().decode(try TestData.bytes(TestData.fixture("exif_3.jpg")), name: "exif_3.jpg")
        #expect(image.pixels != stored.bytes)
    }

    @Test func damagedExifIsIgnored() throws {
        // An APP1 Exif block whose IFD offset points past its end: decoded as stored, no error.
        var bytes = try TestData.bytes(TestData.fixture("exif_6.jpg"))
        let exif = try #require(bytes.indices.first { bytes[$0...].starts(with: Array("Exif".utf8)) })
        let tiff = exif + 6
        let littleEndian = bytes[tiff] == 0x49
        for i in 0..<4 { bytes[tiff + 4 + i] = littleEndian ? [0xF0, 0xFF, 0, 0][i] : [0, 0, 0xFF, 0xF0][i] }
        let image = try ImageDecoder().decode(bytes, name: "bad-exif.jpg")
        #expect(image.width == 48 && image.height == 32)
    }
}
