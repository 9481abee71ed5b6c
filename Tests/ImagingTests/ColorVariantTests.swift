import Foundation
import Imaging
import Testing

/// Every pixel layout becomes 8-bit RGB exactly as Pillow's `Image.open(p).convert("RGB")` does:
/// grey replicated, palette looked up, alpha dropped (not composited), CMYK with Adobe polarity.
@Suite struct ColorVariantTests {
    static let variants = [
        "gray.jpg", "cmyk.jpg", "ycck.jpg", "progressive.jpg", "yuv444.jpg", "narrow_57x300.jpg",
        "palette.png", "rgba.png", "gray_alpha.png", "interlaced.png", "rgb16.png", "gray_alpha16.png",
        "gray16.png", "gray2.png", "rgb_trns.png", "one_pixel.png", "one_pixel.jpg",
    ]

    @Test(arguments: variants)
    func decodesLikePillowConvert(_ name: String) throws {
        let url = TestData.fixture(name)
        let reference = try Pillow.reference(.convert, [url])[0]
        let image = try ImageDecoder().decode(try TestData.bytes(url), name: name)
        #expect(image.width == reference.width && image.height == reference.height)
        #expect(TestData.maxDifference(image.pixels, reference.bytes) == 0)
    }

    @Test func sixteenBitGreyClipsLikePillow() throws {
        // Pillow opens 16-bit grey as I;16 and clips it to 255 when converting to RGB; Keras's
        // load_img did the same, so the features were computed on clipped values.
        let image = try ImageDecoder().decode(try TestData.bytes(TestData.fixture("gray16.png")), name: "gray16.png")
        #expect(image.pixels.contains(255))
        #expect(image.pixels.contains { $0 < 255 })
    }
}
