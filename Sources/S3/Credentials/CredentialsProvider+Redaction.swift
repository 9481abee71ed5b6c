/// Providers hold the environment (with `AWS_SECRET_ACCESS_KEY`) or container tokens, so their
/// descriptions and mirrors name the source only: `dump(client)` must not print a secret.
extension EnvironmentCredentials: CustomStringConvertible, CustomReflectable {
    public var description: String { "EnvironmentCredentials" }
    public var customMirror: Mirror { Mirror(self, children: []) }
}

extension ProfileCredentials: CustomStringConvertible, CustomReflectable {
    public var description: String { "ProfileCredentials" }
    public var customMirror: Mirror { Mirror(self, children: []) }
}

extension ContainerCredentials: CustomStringConvertible, CustomReflectable {
    public var description: String { "ContainerCredentials(\(CredentialsFetch.redacted(url)))" }
    public var customMirror: Mirror { Mirror(self, children: []) }
}

extension StaticCredentials: CustomStringConvertible, CustomReflectable {
    public var description: String { "StaticCredentials" }
    public var customMirror: Mirror { Mirror(self, children: []) }
}

extension DefaultCredentialChain: CustomStringConvertible, CustomReflectable {
    public var description: String { "DefaultCredentialChain" }
    public var customMirror: Mirror { Mirror(self, children: []) }
}
