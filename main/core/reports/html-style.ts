/** The report's stylesheet, inline (the CSP allows nothing else): screen and print. */
export const REPORT_CSS = `
:root { color-scheme: light; }
* { box-sizing: border-box; }
body { font: 13px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif; color: #111827; margin: 0; background: #fff; }
main { max-width: 1100px; margin: 0 auto; padding: 24px 28px 48px; }
h1 { font-size: 24px; margin: 0 0 4px; }
h2 { font-size: 17px; margin: 28px 0 8px; padding-bottom: 4px; border-bottom: 1px solid #e5e7eb; }
h3 { font-size: 14px; margin: 18px 0 6px; display: flex; align-items: center; gap: 6px; }
p.meta, .muted { color: #6b7280; }
.summary { display: flex; flex-wrap: wrap; gap: 8px; margin: 12px 0; padding: 0; list-style: none; }
.summary li { border: 1px solid #e5e7eb; border-radius: 6px; padding: 6px 10px; }
.summary b { font-size: 16px; display: block; }
.swatch { display: inline-block; width: 10px; height: 10px; border-radius: 50%; vertical-align: middle; }
.legend { display: flex; flex-wrap: wrap; gap: 12px; margin: 6px 0 0; padding: 0; list-style: none; }
svg.graph, svg.timeline { width: 100%; height: auto; border: 1px solid #e5e7eb; border-radius: 6px; background: #fafafa; }
table { width: 100%; border-collapse: collapse; margin: 4px 0 12px; table-layout: auto; }
th, td { text-align: left; vertical-align: top; padding: 4px 6px; border-bottom: 1px solid #f3f4f6; }
th { background: #f9fafb; font-weight: 600; font-size: 12px; }
td { word-break: break-word; overflow-wrap: anywhere; }
code, .mono { font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; font-size: 11px; }
.status-failed { color: #b91c1c; }
.status-succeeded { color: #047857; }
.more { font-style: italic; color: #6b7280; }
footer { margin-top: 32px; color: #6b7280; font-size: 12px; border-top: 1px solid #e5e7eb; padding-top: 8px; }
/* Landscape: the entity tables have ten columns. */
@page { size: A4 landscape; margin: 12mm 12mm; }
@media print {
  main { max-width: none; padding: 0; }
  h2 { break-after: avoid; }
  h3 { break-after: avoid; }
  thead { display: table-header-group; }
  tr, svg, .summary li { break-inside: avoid; }
  a { color: inherit; text-decoration: none; }
  svg.graph, svg.timeline { border: none; background: none; }
  /* Small enough to share the first page with the summary. */
  svg.graph { height: 100mm; width: 100%; display: block; }
  svg.timeline { height: 50mm; width: 100%; }
  th { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
  .swatch, circle, rect { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
}
`;
