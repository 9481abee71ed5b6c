/// Bounds on untrusted input, checked before any pixel buffer is allocated (a decompression-bomb guard).
public struct ImageLimits: Sendable, Equatable {
    /// Largest accepted width × height, read from the header; Pillow warns at ~89 M and refuses ~179 M.
    public var maxPixels: Int
    /// Largest accepted file size in bytes.
    public var maxBytes: Int

    /// Limits of `maxPixels` pixels (default 50 megapixels) and `maxBytes` bytes (default 64 MiB).
    public init(maxPixels: Int = 50_000_000, maxBytes: Int = 64 << 20) {
        self.maxPixels = maxPixels
        self.maxBytes = maxBytes
    }
}
