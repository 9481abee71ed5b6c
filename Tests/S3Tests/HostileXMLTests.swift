import Testing

@testable import S3

/// XML bodies that once crashed the process (found by fuzz/, target s3-xml) now end in `invalidResponse`.
@Suite struct HostileXMLTests {
    /// fuzz/corpus/s3-xml/crash-invalid-utf8-name.xml: FoundationXML trapped on this element name.
    static let invalidUTF8Name: [UInt8] = [0x3C, 0xFF, 0x00, 0xFF, 0x00]

    @Test func invalidUTF8ElementNameThrows() {
        #expect(throws: S3Error.invalidResponse(what: "ListObjectsV2", reason: "not UTF-8")) {
            try S3Client.parseListPage(Self.invalidUTF8Name)
        }
        // An error reply with that body still reports its status, without a code.
        let error = S3Client.serviceError(
            status: 500, body: Self.invalidUTF8Name, requestIDHeader: "r", operation: "GetObject", bucket: "b", key: "k")
        #expect(error == .service(status: 500, code: nil, message: nil, requestID: "r", bucket: "b", key: "k"))
    }

    @Test func controlCharactersXMLForbidsThrow() {
        for body in ["<ListBucketResult>\u{1}</ListBucketResult>", "<a\u{0}>", "<ListBucketResult><Key>x\u{1F}</Key>"] {
            #expect(throws: S3Error.self) { try S3Client.parseListPage(Array(body.utf8)) }
        }
        // Tab, newline and carriage return are XML whitespace and stay allowed.
        let page = try? S3Client.parseListPage(Array("<ListBucketResult>\t\r\n<IsTruncated>false</IsTruncated></ListBucketResult>".utf8))
        #expect(page?.objects.isEmpty == true)
    }
}
