/** Zoom steps of the timeline, as pure functions of the current range and the whole span (epoch ms). */
export interface Range {
  from: number;
  to: number;
}

const MIN_SPAN = 60_000;

function clamp(r: Range, span: Range): Range {
  const width = Math.min(r.to - r.from, span.to - span.from);
  let from = Math.max(span.from, r.from);
  let to = from + width;
  if (to > span.to) {
    to = span.to;
    from = to - width;
  }
  return { from, to };
}

export function zoomIn(r: Range): Range {
  const w = Math.max(MIN_SPAN, (r.to - r.from) / 2);
  const mid = (r.from + r.to) / 2;
  return { from: Math.round(mid - w / 2), to: Math.round(mid + w / 2) };
}

export function zoomOut(r: Range, span: Range): Range {
  const w = (r.to - r.from) * 2;
  const mid = (r.from + r.to) / 2;
  return clamp({ from: Math.round(mid - w / 2), to: Math.round(mid + w / 2) }, span);
}

/** Zoom into one bar: its bucket becomes the whole range (never narrower than a minute). */
export function zoomTo(start: number, bucketMs: number): Range {
  const w = Math.max(MIN_SPAN, bucketMs);
  return { from: start, to: start + w };
}

export function isWhole(r: Range, span: Range): boolean {
  return r.from <= span.from && r.to >= span.to;
}
