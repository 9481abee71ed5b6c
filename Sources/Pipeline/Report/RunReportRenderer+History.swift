extension RunReportRenderer {
    /// The dataset's versions as a table (what each update added, removed and changed); empty for a
    /// dataset that was never updated.
    static func historySection(_ data: RunReportData) -> String {
        guard data.history.count > 1 else { return "" }
        let rows = data.history.map { entry in
            "<tr><td>\(entry.version)</td><td>\(HTMLText.escape(entry.committed))</td><td>\(HTMLText.integer(entry.images))</td>"
                + "<td>+\(HTMLText.integer(entry.added))</td><td>−\(HTMLText.integer(entry.removed))</td>"
                + "<td>\(HTMLText.integer(entry.changed))</td><td>\(entry.pcaRefitted ? "fitted" : "kept")</td></tr>"
        }
        return "<section><h2>Dataset history</h2><table><thead><tr><th>Version</th><th>Committed</th><th>Images</th>"
            + "<th>Added</th><th>Removed</th><th>Changed</th><th>PCA</th></tr></thead><tbody>"
            + rows.joined() + "</tbody></table></section>"
    }
}
