/// Colours for class labels: 16 hues chosen to stay apart (Tableau/D3 category sets, grey left out
/// for "other"); classes beyond the palette share the neutral grey.
enum ReportPalette {
    static let colours = [
        "#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2", "#bcbd22",
        "#17becf", "#393b79", "#e7ba52", "#637939", "#ad494a", "#6baed6", "#fd8d3c", "#74c476",
    ]
    /// The colour of classes past the palette.
    static let other = "#a8a8a8"
    /// The report's accent (headings, the cumulative line).
    static let accent = "#2b6cb0"
}
