/// Decoded columns of one row group.
public struct ParquetRowGroup: Sendable {
    /// The row group's position in the file.
    public let index: Int
    /// Rows in the group.
    public let rowCount: Int
    /// The columns asked for, in the order asked.
    public let columns: [ParquetColumn]

    /// The column named `name`.
    public func column(_ name: String) throws -> ParquetColumn {
        guard let c = columns.first(where: { $0.field.name == name }) else { throw ParquetError.noSuchColumn(name) }
        return c
    }

    /// The rows of list<float> column `name`.
    public func floatLists(_ name: String) throws -> [[Float]?] { try column(name).floatLists() }
    /// The rows of string column `name`.
    public func strings(_ name: String) throws -> [String?] { try column(name).stringValues() }
    /// The rows of int64/timestamp column `name`.
    public func int64s(_ name: String) throws -> [Int64?] { try column(name).int64Values() }
    /// The rows of int32 column `name`.
    public func int32s(_ name: String) throws -> [Int32?] { try column(name).int32Values() }
    /// The rows of double column `name`.
    public func doubles(_ name: String) throws -> [Double?] { try column(name).doubleValues() }
}
