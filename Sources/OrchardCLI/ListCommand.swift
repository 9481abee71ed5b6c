import ArgumentParser
import Pipeline
import Storage

/// `orchard ls`: list objects under a folder or S3 prefix.
struct ListCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ls",
        abstract: "List the objects under a folder or s3://bucket/prefix, with their sizes.",
        discussion: "Example: orchard ls s3://fruits/Test/ --images")

    @Argument(help: "A folder or s3://bucket/prefix.")
    var location: String

    @Flag(help: "Only the files `featurize` would take as images.")
    var images = false

    @OptionGroup var storage: StorageOptions

    func run() async throws {
        let root = try StorageLocation(parsing: location)
        let objects = try await storage.withStores { try await $0.store(for: root).list(under: root) }
        var count = 0
        var bytes: Int64 = 0
        for object in objects where !images || ImageListing.isImage(object.location.name) {
            print(Self.line(size: object.size, location: "\(object.location)"))
            count += 1
            bytes += object.size
        }
        print("\(count) objects, \(bytes) bytes")
    }

    /// One listing line; the key is escaped since it may hold terminal control sequences.
    static func line(size: Int64, location: String) -> String {
        "\(String(size).leftPadded(12))  \(TerminalText.escaped(location))"
    }
}

extension String {
    /// Right-aligns text in a column of `width` characters.
    func leftPadded(_ width: Int) -> String {
        count >= width ? self : String(repeating: " ", count: width - count) + self
    }
}
