import CLibFuzzer
import FuzzEntryPoints

/// libFuzzer's entry point: one input through `FuzzTarget.jpegPngExif`; thrown errors are expected and ignored.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>?, _ size: Int) -> Int32 {
    try? FuzzTarget.jpegPngExif.consume(Array(UnsafeBufferPointer(start: data, count: size)))
    return 0
}

/// The process entry. SwiftPM links a Swift executable with `main` defined as `<module>_main`, which
/// shadows libFuzzer's own `main`; so this starts libFuzzer's driver the way that `main` would.
@_cdecl("jpeg_png_exif_main")
public func fuzzerMain(_ argc: Int32, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> Int32 {
    var (argc, argv) = (argc, argv)
    return LLVMFuzzerRunDriver(&argc, &argv) { data, size in fuzz(data, size) }
}
