import Testing

@testable import Storage

/// Keys and paths printed to a terminal show control characters as escapes instead of obeying them.
@Suite struct TerminalTextTests {
    @Test func controlCharactersBecomeVisibleEscapes() {
        #expect(TerminalText.escaped("a\u{1B}[2Jb\n.jpg") == "a\\u{1B}[2Jb\\u{A}.jpg")
        #expect(TerminalText.escaped("\u{0}\u{7}\t\r\u{7F}\u{80}\u{9B}\u{9F}") == "\\u{0}\\u{7}\\u{9}\\u{D}\\u{7F}\\u{80}\\u{9B}\\u{9F}")
        // A literal backslash is doubled, so "\u{1B}" typed into a key cannot pass for an escaped ESC.
        #expect(TerminalText.escaped("x\\u{1B}") == "x\\\\u{1B}")
    }

    @Test func ordinaryTextIsUnchanged() {
        for text in ["photos/Apple Braeburn/r_1.jpg", "s3://fruits/Test/été 🍎.png", "100% + spaces", "\u{A0}\u{2028}"] {
            #expect(TerminalText.escaped(text) == text)
        }
    }

    @Test func noControlCharacterSurvives() {
        let every = String(String.UnicodeScalarView((0..<0x200).compactMap(Unicode.Scalar.init)))
        let escaped = TerminalText.escaped(every)
        #expect(!escaped.unicodeScalars.contains { $0.value < 0x20 || (0x7F...0x9F).contains($0.value) })
    }
}
