import Foundation

/// One profile of the shared `~/.aws/config` and `~/.aws/credentials` files, merged (credentials win).
///
/// Paths and profile name follow the SDKs: `AWS_CONFIG_FILE`, `AWS_SHARED_CREDENTIALS_FILE`, `AWS_PROFILE`
/// (then `AWS_DEFAULT_PROFILE`, then `default`). Nested settings (`s3 =` then indented lines) become
/// `s3.key` entries.
struct AWSProfile: Sendable {
    /// Files past this size are refused: they are hand-written INI, never large.
    static let maxFileBytes = 1 << 20

    let name: String
    let values: [String: String]

    subscript(key: String) -> String? { values[key].nonEmpty }

    /// The selected profile, or nil when neither file has the `default` one (or neither file exists). A
    /// profile named by `AWS_PROFILE` that neither file has is an error, as in the SDKs (a typo would
    /// otherwise fall through to instance metadata and fail there, naming neither the profile nor the typo).
    static func load(environment: [String: String]) throws -> AWSProfile? {
        let named = environment["AWS_PROFILE"].nonEmpty.map { ("AWS_PROFILE", $0) }
            ?? environment["AWS_DEFAULT_PROFILE"].nonEmpty.map { ("AWS_DEFAULT_PROFILE", $0) }
        let name = named?.1 ?? "default"
        let home = environment["HOME"].nonEmpty ?? NSHomeDirectory()
        let configPath = expand(environment["AWS_CONFIG_FILE"].nonEmpty ?? "~/.aws/config", home: home)
        let credentialsPath = expand(
            environment["AWS_SHARED_CREDENTIALS_FILE"].nonEmpty ?? "~/.aws/credentials", home: home)
        var found = false
        var values: [String: String] = [:]
        if let config = try readSections(configPath) {
            // The config file names non-default profiles "profile NAME"; a bare "NAME" is accepted as SDKs do.
            let section = config[name == "default" ? "default" : "profile \(name)"] ?? config[name]
            if let section {
                found = true
                values.merge(section) { _, new in new }
            }
        }
        if let credentials = try readSections(credentialsPath), let section = credentials[name] {
            found = true
            values.merge(section) { _, new in new }
        }
        if !found, let (variable, _) = named {
            throw S3Error.configuration("the profile '\(name)' that \(variable) names is in neither \(configPath) nor \(credentialsPath)")
        }
        return found ? AWSProfile(name: name, values: values) : nil
    }

    /// Sections of an INI file by name, or nil when the file does not exist.
    static func readSections(_ path: String) throws -> [String: [String: String]]? {
        guard FileManager.default.fileExists(atPath: path) else { return nil }
        guard let handle = FileHandle(forReadingAtPath: path) else {
            throw S3Error.configuration("cannot read \(path)")
        }
        defer { try? handle.close() }
        let data = try handle.read(upToCount: maxFileBytes + 1) ?? Data()
        guard data.count <= maxFileBytes else {
            throw S3Error.configuration("\(path) is over \(maxFileBytes) bytes")
        }
        return parse(String(decoding: data, as: UTF8.self))
    }

    /// Parses INI text: `[section]`, `key = value`, `#`/`;` comments, indented sub-keys under `key =`.
    static func parse(_ text: String) -> [String: [String: String]] {
        var sections: [String: [String: String]] = [:]
        var current: String?
        var parent: String?
        for rawLine in text.split(omittingEmptySubsequences: false, whereSeparator: \.isNewline) {
            let indented = rawLine.first == " " || rawLine.first == "\t"
            let line = rawLine.trimmingCharacters(in: .whitespaces)
            if line.isEmpty || line.hasPrefix("#") || line.hasPrefix(";") { continue }
            if line.hasPrefix("["), line.hasSuffix("]") {
                let name = line.dropFirst().dropLast().trimmingCharacters(in: .whitespaces)
                current = name.split(separator: " ", omittingEmptySubsequences: true).joined(separator: " ")
                parent = nil
                if let current, sections[current] == nil { sections[current] = [:] }
                continue
            }
            guard let section = current, let equals = line.firstIndex(of: "=") else { continue }
            let key = line[..<equals].trimmingCharacters(in: .whitespaces).lowercased()
            var value = line[line.index(after: equals)...].trimmingCharacters(in: .whitespaces)
            // Inline comments need whitespace before the marker, so `#` inside a secret survives.
            for marker in [" #", "\t#", " ;", "\t;"] {
                if let range = value.range(of: marker) { value = String(value[..<range.lowerBound]) }
            }
            value = value.trimmingCharacters(in: .whitespaces)
            if indented, let parent {
                sections[section, default: [:]]["\(parent).\(key)"] = value
            } else {
                sections[section, default: [:]][key] = value
                parent = value.isEmpty ? key : nil
            }
        }
        return sections
    }

    private static func expand(_ path: String, home: String) -> String {
        if path == "~" { return home }
        if path.hasPrefix("~/") { return home + path.dropFirst(1) }
        return path
    }
}

extension Optional where Wrapped == String {
    /// The value when set and non-empty, else nil.
    var nonEmpty: String? {
        guard let self, !self.isEmpty else { return nil }
        return self
    }
}
