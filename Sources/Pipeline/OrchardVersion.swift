/// The version `orchard --version` prints and datasets record in their footers.
public enum OrchardVersion {
    public static let current = "0.1.0"
}
