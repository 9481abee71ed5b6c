import Foundation

#if canImport(FoundationXML)
    import FoundationXML
#endif

/// A parsed XML element: name, text content and child elements, enough for S3 and STS responses.
struct XMLNode: Sendable {
    /// Deeper documents are refused: S3 responses nest four levels at most.
    static let maxDepth = 32

    var name: String
    var text: String = ""
    var children: [XMLNode] = []

    /// The first child named `name`.
    func child(_ name: String) -> XMLNode? { children.first { $0.name == name } }

    /// Every child named `name`, in document order.
    func children(_ name: String) -> [XMLNode] { children.filter { $0.name == name } }

    /// The text of the first child named `name`.
    func text(_ name: String) -> String? { child(name)?.text }

    /// The first element named `name` anywhere below (depth first), for responses wrapped in result elements.
    func find(_ name: String) -> XMLNode? {
        for node in children {
            if node.name == name { return node }
            if let found = node.find(name) { return found }
        }
        return nil
    }

    /// Parses a whole document; throws `S3Error.invalidResponse` on malformed or too deep input.
    static func parse(_ bytes: [UInt8], what: String) throws -> XMLNode {
        // FoundationXML on Linux traps on some names libxml2 passes through (`<\u{FF}\0` — found by
        // fuzz/, s3-xml), so bytes that are not UTF-8 or hold a control XML 1.0 forbids never reach it.
        guard let text = String(validating: bytes, as: UTF8.self) else {
            throw S3Error.invalidResponse(what: what, reason: "not UTF-8")
        }
        if let bad = text.unicodeScalars.first(where: { $0.value < 0x20 && !"\t\n\r".unicodeScalars.contains($0) }) {
            throw S3Error.invalidResponse(what: what, reason: "control character U+\(String(bad.value, radix: 16)) in XML")
        }
        let builder = TreeBuilder()
        let parser = XMLParser(data: Data(bytes))
        parser.shouldProcessNamespaces = false
        parser.shouldResolveExternalEntities = false
        parser.delegate = builder
        guard parser.parse(), let root = builder.root, !builder.tooDeep else {
            let reason = builder.tooDeep ? "nested deeper than \(maxDepth)" : "malformed XML"
            throw S3Error.invalidResponse(what: what, reason: reason)
        }
        return root
    }
}

/// XMLParser's delegate, building the tree on a stack; used within one `parse` call only.
private final class TreeBuilder: NSObject, XMLParserDelegate {
    var stack: [XMLNode] = []
    var root: XMLNode?
    var tooDeep = false

    func parser(
        _ parser: XMLParser, didStartElement elementName: String, namespaceURI: String?,
        qualifiedName qName: String?, attributes attributeDict: [String: String] = [:]
    ) {
        guard stack.count < XMLNode.maxDepth else {
            tooDeep = true
            parser.abortParsing()
            return
        }
        stack.append(XMLNode(name: elementName))
    }

    func parser(_ parser: XMLParser, foundCharacters string: String) {
        guard !stack.isEmpty else { return }
        stack[stack.count - 1].text += string
    }

    func parser(_ parser: XMLParser, foundCDATA CDATABlock: Data) {
        guard !stack.isEmpty else { return }
        stack[stack.count - 1].text += String(decoding: CDATABlock, as: UTF8.self)
    }

    func parser(
        _ parser: XMLParser, didEndElement elementName: String, namespaceURI: String?, qualifiedName qName: String?
    ) {
        guard let node = stack.popLast() else { return }
        if stack.isEmpty {
            root = node
        } else {
            stack[stack.count - 1].children.append(node)
        }
    }
}
