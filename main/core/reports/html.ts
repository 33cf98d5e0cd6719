import { join } from 'node:path';
import { EXPORT_CONTENT_TYPES } from './content-types.ts';
import type { Evidence } from '../../../preload/contract/entities.ts';
import { entityColor } from '../../../preload/contract/entity-colors.ts';
import { iso } from '../util/time.ts';
import { parseJson } from '../util/json.ts';
import type { ExportJob, Exporter } from './exporter.ts';
import { FileSink } from './sink.ts';
import { h, Markup, safeHref } from './html-escape.ts';
import { REPORT_CSS } from './html-style.ts';
import { graphSvg, PICTURE_MAX_EDGES, PICTURE_MAX_NODES, type PictureNode } from './graph-picture.ts';
import { bucketFor, timelineSvg } from './timeline-picture.ts';
import { docToolRun } from './doc-rows.ts';

/** Nothing may load: no scripts, no fetches, no fonts; only the inline style and data: images. */
export const REPORT_CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:; base-uri 'none'; form-action 'none'";

const when = (ms: number | null) => (ms === null ? '' : new Date(ms).toISOString().replace('T', ' ').replace(/\.\d+Z$/, ' UTC'));

function props(json: string): Markup | null {
  const p = parseJson<Record<string, unknown>>(json, {});
  const keys = Object.keys(p);
  if (keys.length === 0) return null;
  return h`<div class="mono">${keys.map((k) => h`${k}: ${typeof p[k] === 'string' ? (p[k] as string) : JSON.stringify(p[k])}<br>`)}</div>`;
}

function evidenceCells(ev: Evidence | null): Markup {
  if (!ev) return h`<td></td><td></td><td></td><td></td>`;
  const href = safeHref(ev.finalUrl);
  const url = ev.finalUrl ? (href ? h`<a href="${href}" rel="noreferrer noopener">${ev.finalUrl}</a>` : h`${ev.finalUrl}`) : null;
  return h`<td>${url}</td><td>${ev.httpStatus ?? ''}</td><td>${ev.observedAt ? when(Date.parse(ev.observedAt)) || ev.observedAt : ''}</td><td class="mono">${ev.sha256 ?? ''}</td>`;
}

async function writeEntityTables(job: ExportJob, out: FileSink): Promise<void> {
  const cap = job.options.htmlRowsPerType;
  await out.write(h`<section id="entities"><h2>Entities and evidence</h2>`.html);
  for (const { type, n } of job.snap.typeCounts()) {
    await out.write(
      h`<h3><span class="swatch" style="background:${entityColor(type)}"></span>${type} <span class="muted">(${n})</span></h3>
<table><thead><tr><th>Value</th><th>Label</th><th>First seen</th><th>Last seen</th><th>Found by</th><th>Properties</th><th>Evidence URL</th><th>HTTP</th><th>Observed</th><th>SHA-256</th></tr></thead><tbody>`.html,
    );
    let i = 0;
    for (const e of job.snap.entities(type)) {
      if (i++ >= cap) break;
      const row = h`<tr><td>${e.value}</td><td>${e.label ?? ''}</td><td>${when(e.first_seen)}</td><td>${when(e.last_seen)}</td><td>${e.source_tool ?? ''}</td><td>${props(e.properties)}</td>${evidenceCells(parseJson<Evidence | null>(e.evidence, null))}</tr>\n`;
      const p = out.write(row.html);
      if (p) await p;
      job.progress.tick();
    }
    await out.write(h`</tbody></table>${n > cap ? h`<p class="more">and ${n - cap} more ${type} entities: the JSON and CSV exports hold them all.</p>` : null}`.html);
  }
  await out.write('</section>');
}

async function writeLinks(job: ExportJob, out: FileSink): Promise<void> {
  const cap = job.options.htmlRowsPerType;
  const total = job.snap.counts.links;
  await out.write(h`<section id="links"><h2>Links <span class="muted">(${total})</span></h2>`.html);
  if (total === 0) {
    await out.write('<p class="muted">No links.</p></section>');
    return;
  }
  await out.write('<table><thead><tr><th>From</th><th>Link</th><th>To</th><th>Since</th></tr></thead><tbody>');
  let i = 0;
  for (const l of job.snap.linkEnds()) {
    if (i++ >= cap) break;
    const p = out.write(h`<tr><td>${l.source_type}: ${l.source_value}</td><td>${l.type}</td><td>${l.target_type}: ${l.target_value}</td><td>${when(l.created_at)}</td></tr>\n`.html);
    if (p) await p;
    job.progress.tick();
  }
  await out.write(h`</tbody></table>${total > cap ? h`<p class="more">and ${total - cap} more links.</p>` : null}</section>`.html);
}

async function writeRuns(job: ExportJob, out: FileSink): Promise<void> {
  const total = job.snap.counts.runs;
  await out.write(h`<section id="runs"><h2>Tool runs <span class="muted">(${total})</span></h2>`.html);
  if (total === 0) {
    await out.write('<p class="muted">No tool runs.</p></section>');
    return;
  }
  await out.write('<table><thead><tr><th>Tool</th><th>Input</th><th>Status</th><th>Started</th><th>Duration</th><th>Found</th><th>Summary</th></tr></thead><tbody>');
  for (const r of job.snap.runs()) {
    const run = docToolRun(r);
    const p = out.write(
      h`<tr><td>${run.tool}</td><td>${run.input.type}: ${run.input.value}</td><td class="status-${run.status}">${run.status}</td><td>${when(r.started_at)}</td><td>${run.durationMs === null ? '' : `${(run.durationMs / 1000).toFixed(1)} s`}</td><td>${run.entityCount} (${run.createdCount} new)</td><td>${run.error ?? run.summary ?? ''}</td></tr>\n`.html,
    );
    if (p) await p;
    job.progress.tick();
  }
  await out.write('</tbody></table></section>');
}

function pictures(job: ExportJob): { graph: Markup; timeline: Markup | null; cut: boolean } {
  const nodes: PictureNode[] = [];
  for (const e of job.snap.entities()) {
    if (nodes.length >= PICTURE_MAX_NODES) break;
    nodes.push({ id: e.id, type: e.type, label: e.label ?? e.value });
  }
  const kept = new Set(nodes.map((n) => n.id));
  const edges: { source: string; target: string }[] = [];
  for (const l of job.snap.links()) {
    if (edges.length >= PICTURE_MAX_EDGES) break;
    if (kept.has(l.source_id) && kept.has(l.target_id)) edges.push({ source: l.source_id, target: l.target_id });
  }
  const t = job.snap.times();
  const lo = Math.min(t.entities.min ?? Infinity, t.runs.min ?? Infinity);
  const hi = Math.max(t.entities.max ?? -Infinity, t.runs.max ?? -Infinity);
  let timeline: Markup | null = null;
  if (Number.isFinite(lo)) {
    const b = bucketFor(lo, hi, 48);
    const hist = job.snap.histogram(b.from, b.bucketMs, b.buckets);
    timeline = timelineSvg(b.from, b.bucketMs, hist.entities, hist.runs);
  }
  return { graph: graphSvg(nodes, edges), timeline, cut: job.snap.counts.entities > nodes.length || job.snap.counts.links > edges.length };
}

/**
 * One self-contained HTML file (SPEC §3.8): a CSP meta that forbids every
 * fetch, inline CSS with print rules, the graph and the timeline as inline
 * SVG, entity tables by type with each find's evidence, links, tool runs, and
 * when and by which Dossier version it was made. Streamed section by section.
 */
export const exportHtml: Exporter = async (job) => {
  const name = 'report.html';
  const out = new FileSink(join(job.dir, name));
  try {
    await writeHtml(job, out);
    return [{ name, bytes: await out.close(), contentType: EXPORT_CONTENT_TYPES.html! }];
  } catch (e) {
    out.destroy();
    throw e;
  }
};

export async function writeHtml(job: ExportJob, out: FileSink): Promise<void> {
  const inv = job.snap.investigation;
  const counts = job.snap.counts;
  const types = job.snap.typeCounts();
  const tags = parseJson<string[]>(inv.tags, []);
  const pic = pictures(job);
  await out.write(
    h`<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${new Markup(REPORT_CSP)}">
<meta name="referrer" content="no-referrer">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="generator" content="Dossier ${job.dossierVersion}">
<title>${inv.name} — Dossier report</title>
<style>${new Markup(REPORT_CSS)}</style>
</head><body><main>
<header><h1>${inv.name}</h1>
<p class="meta">Investigation ${inv.id} · ${inv.status} · created ${when(inv.created_at)} · updated ${when(inv.updated_at)}${tags.length ? h` · tags: ${tags.join(', ')}` : null}</p>
${inv.description ? h`<p>${inv.description}</p>` : null}${job.snap.excluded.size ? h`<p class="meta">${job.snap.excluded.size} ${job.snap.excluded.size === 1 ? 'entity' : 'entities'} marked false positive left out, with their links.</p>` : null}
<ul class="summary"><li><b>${counts.entities}</b>entities</li><li><b>${counts.links}</b>links</li><li><b>${counts.runs}</b>tool runs</li>${types.map((t) => h`<li><b>${t.n}</b><span class="swatch" style="background:${entityColor(t.type)}"></span> ${t.type}</li>`)}</ul>
</header>
<section id="graph"><h2>Graph</h2>${counts.entities ? pic.graph : h`<p class="muted">No entities yet.</p>`}
${pic.cut ? h`<p class="more">The picture shows the ${PICTURE_MAX_NODES} oldest entities and the links between them.</p>` : null}
<ul class="legend">${types.map((t) => h`<li><span class="swatch" style="background:${entityColor(t.type)}"></span> ${t.type}</li>`)}</ul></section>
<section id="timeline"><h2>Timeline</h2>${pic.timeline ?? h`<p class="muted">Nothing happened yet.</p>`}</section>
`.html,
  );
  await writeEntityTables(job, out);
  await writeLinks(job, out);
  await writeRuns(job, out);
  await out.write(h`<footer>Generated ${when(job.now)} (${iso(job.now)}) by Dossier ${job.dossierVersion}.</footer></main></body></html>\n`.html);
}
