import type { IdType, Network } from 'vis-network/standalone';

/** An export is at least this wide, whatever the window: a picture for a report, not a screenshot. */
export const EXPORT_MIN_WIDTH = 2400;
/** Canvases past ~16k px or 268M px² fail silently in Chromium; stay well inside. */
export const EXPORT_MAX_SCALE = 4;

/**
 * How many output pixels per CSS pixel of the graph's box: at least the
 * screen's own density, and enough for EXPORT_MIN_WIDTH.
 */
export function exportScale(cssWidth: number, devicePixelRatio: number): number {
  const dpr = devicePixelRatio > 0 ? devicePixelRatio : 1;
  if (cssWidth <= 0) return dpr;
  return Math.min(EXPORT_MAX_SCALE, Math.max(dpr, Math.ceil((EXPORT_MIN_WIDTH / cssWidth) * 100) / 100));
}

/** The pixel size of an export of a box this big. */
export function exportSize(cssWidth: number, cssHeight: number, devicePixelRatio: number): { width: number; height: number } {
  const k = exportScale(cssWidth, devicePixelRatio);
  return { width: Math.round(cssWidth * k), height: Math.round(cssHeight * k) };
}

/**
 * The graph canvas is transparent; an exported picture needs the page's
 * background behind it, or it is unreadable in most image viewers.
 */
export function exportCanvasPng(canvas: HTMLCanvasElement, background: string): string {
  const out = document.createElement('canvas');
  out.width = canvas.width;
  out.height = canvas.height;
  const g = out.getContext('2d')!;
  g.fillStyle = background;
  g.fillRect(0, 0, out.width, out.height);
  g.drawImage(canvas, 0, 0);
  return out.toDataURL('image/png');
}

/**
 * The whole graph as a PNG at export resolution: the network is drawn once
 * more, fitted, in a box enlarged so its canvas has the export's pixel size,
 * with nothing selected (a highlighted node is the user's cursor, not part of
 * the finding); then its size, view and selection are put back. vis-network
 * draws synchronously on redraw(), so the user never sees the enlarged frame.
 */
export function exportNetworkPng(network: Network, box: HTMLElement, background: string): string | null {
  const rect = box.getBoundingClientRect();
  if (rect.width <= 0 || rect.height <= 0) return null;
  const dpr = window.devicePixelRatio || 1;
  const size = exportSize(rect.width, rect.height, dpr);
  const selected: IdType[] = network.getSelectedNodes();
  const selectedEdges: IdType[] = network.getSelectedEdges();
  const view = { position: network.getViewPosition(), scale: network.getScale() };
  try {
    network.unselectAll();
    // The canvas is CSS size × devicePixelRatio pixels.
    network.setSize(`${size.width / dpr}px`, `${size.height / dpr}px`);
    network.fit({ animation: false });
    network.redraw();
    const canvas = box.querySelector('canvas');
    return canvas ? exportCanvasPng(canvas, background) : null;
  } finally {
    network.setSize('100%', '100%');
    network.moveTo({ position: view.position, scale: view.scale, animation: false });
    if (selected.length || selectedEdges.length) network.setSelection({ nodes: selected, edges: selectedEdges }, { unselectAll: true, highlightEdges: false });
    network.redraw();
  }
}

/** Hand a data URL to the browser as a file download. */
export function downloadDataUrl(dataUrl: string, fileName: string): void {
  const a = document.createElement('a');
  a.href = dataUrl;
  a.download = fileName;
  a.rel = 'noopener';
  document.body.appendChild(a);
  a.click();
  a.remove();
}
