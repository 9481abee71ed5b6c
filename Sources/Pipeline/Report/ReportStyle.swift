/// The report's inline style sheet: system fonts only, readable on screen and in print.
enum ReportStyle {
    static let css = """
        :root { --ink: #1a202c; --muted: #5f6b7a; --line: #e2e8f0; --panel: #f7f9fc; --accent: \(ReportPalette.accent); }
        * { box-sizing: border-box; }
        body { margin: 0; background: #eef2f7; color: var(--ink);
          font: 15px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, "DejaVu Sans", "Liberation Sans", sans-serif; }
        main { max-width: 1100px; margin: 0 auto; padding: 28px 24px 48px; }
        header h1 { margin: 0 0 4px; font-size: 28px; letter-spacing: -0.01em; }
        header p { margin: 0; color: var(--muted); }
        section { background: #fff; border: 1px solid var(--line); border-radius: 10px; padding: 18px 22px 20px; margin-top: 18px; }
        h2 { margin: 0 0 4px; font-size: 18px; }
        .note { margin: 0 0 12px; color: var(--muted); font-size: 14px; }
        .cards { display: grid; grid-template-columns: repeat(auto-fit, minmax(150px, 1fr)); gap: 12px; margin-top: 20px; }
        .card { background: #fff; border: 1px solid var(--line); border-radius: 10px; padding: 14px 16px; }
        .card .value { font-size: 26px; font-weight: 650; font-variant-numeric: tabular-nums; }
        .card .label { color: var(--muted); font-size: 13px; text-transform: uppercase; letter-spacing: 0.04em; }
        .card .sub { color: var(--muted); font-size: 13px; }
        .card.bad .value { color: #c53030; }
        .card.good .value { color: #2f855a; }
        dl.details { display: grid; grid-template-columns: max-content 1fr; gap: 6px 18px; margin: 8px 0 0; }
        dl.details dt { color: var(--muted); }
        dl.details dd { margin: 0; font-family: ui-monospace, "DejaVu Sans Mono", monospace; font-size: 13.5px; overflow-wrap: anywhere; }
        svg.chart { width: 100%; height: auto; display: block; font-size: 13px; }
        svg .tick { fill: var(--muted); font-size: 12px; }
        svg .axis-title { fill: var(--ink); font-size: 13px; }
        svg .grid { stroke: var(--line); stroke-width: 1; }
        svg .plot-area { fill: #fcfdff; stroke: var(--line); }
        svg .bars rect, svg .legend-bar { fill: #90b4f0; }
        svg .bars rect:hover { fill: #667eea; }
        svg .cumulative { fill: none; stroke: var(--accent); stroke-width: 2.5; stroke-linejoin: round; }
        svg .cumulative-point { fill: #fff; stroke: var(--accent); stroke-width: 2; }
        svg .threshold { stroke: #e53e3e; stroke-width: 1.5; stroke-dasharray: 6 4; }
        svg .threshold-label, svg .marker-label { fill: #c53030; font-weight: 600; }
        svg .marker { stroke: #c53030; stroke-width: 1; stroke-dasharray: 2 3; }
        svg .dots circle { fill-opacity: 0.72; }
        svg .legend text { fill: var(--ink); }
        svg .legend-title { font-weight: 600; }
        svg .muted, .muted { fill: var(--muted); color: var(--muted); }
        svg .bar-label { fill: var(--ink); }
        svg .bar-value { fill: var(--muted); font-variant-numeric: tabular-nums; }
        table { width: 100%; border-collapse: collapse; font-size: 14px; }
        th, td { text-align: left; padding: 6px 8px; border-bottom: 1px solid var(--line); vertical-align: top; }
        th { color: var(--muted); font-weight: 600; font-size: 13px; }
        td.path { font-family: ui-monospace, "DejaVu Sans Mono", monospace; font-size: 13px; overflow-wrap: anywhere; }
        td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; }
        .ok { color: #2f855a; font-weight: 600; }
        footer { margin-top: 20px; color: var(--muted); font-size: 13px; text-align: center; }
        @media print { body { background: #fff; } section, .card { break-inside: avoid; } }
        """
}
