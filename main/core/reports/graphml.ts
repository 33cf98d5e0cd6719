import { join } from 'node:path';
import { EXPORT_CONTENT_TYPES } from './content-types.ts';
import { iso } from '../util/time.ts';
import { parseJson } from '../util/json.ts';
import type { Evidence } from '../../../preload/contract/entities.ts';
import { entityColor } from '../../../preload/contract/entity-colors.ts';
import type { Exporter } from './exporter.ts';
import { FileSink } from './sink.ts';
import { xmlAttr, xmlText } from './xml.ts';

/** Node and edge attributes, shared with GEXF: the same facts under the same names in both graph formats. */
export const NODE_ATTRIBUTES = ['type', 'value', 'first_seen', 'last_seen', 'source_tool', 'evidence_sha256', 'color'] as const;
export const EDGE_ATTRIBUTES = ['type', 'run'] as const;

export function nodeAttributes(e: { type: string; value: string; first_seen: number; last_seen: number; source_tool: string | null; evidence: string | null }) {
  const first = iso(e.first_seen);
  return {
    type: e.type,
    value: e.value,
    first_seen: first,
    last_seen: e.last_seen === e.first_seen ? first : iso(e.last_seen),
    source_tool: e.source_tool ?? '',
    evidence_sha256: e.evidence === null ? '' : (parseJson<Evidence | null>(e.evidence, null)?.sha256 ?? ''),
    color: entityColor(e.type),
  } satisfies Record<(typeof NODE_ATTRIBUTES)[number], string>;
}

/**
 * GraphML (graphml.graphdrawing.org), directed; node `label` plus the
 * attributes above as `<data>`; every node carries every key (empty when
 * unknown), so readers see the same columns on every node.
 */
export const exportGraphml: Exporter = async (job) => {
  const { snap } = job;
  const name = 'investigation.graphml';
  const out = new FileSink(join(job.dir, name));
  try {
    let head = '<?xml version="1.0" encoding="UTF-8"?>\n<graphml xmlns="http://graphml.graphdrawing.org/xmlns">\n';
    head += '  <key id="label" for="node" attr.name="label" attr.type="string"/>\n';
    for (const a of NODE_ATTRIBUTES) head += `  <key id="n_${a}" for="node" attr.name="${a}" attr.type="string"/>\n`;
    for (const a of EDGE_ATTRIBUTES) head += `  <key id="e_${a}" for="edge" attr.name="${a}" attr.type="string"/>\n`;
    head += `  <graph id="${xmlAttr(snap.investigation.id)}" edgedefault="directed">\n`;
    head += `    <desc>${xmlText(snap.investigation.name)}</desc>\n`;
    await out.write(head);
    for (const e of snap.entities()) {
      const a = nodeAttributes(e);
      // One template per row (no per-attribute concatenation), in NODE_ATTRIBUTES order.
      const p = out.write(
        `    <node id="${xmlAttr(e.id)}"><data key="label">${xmlText(e.label ?? e.value)}</data><data key="n_type">${xmlText(a.type)}</data><data key="n_value">${xmlText(a.value)}</data><data key="n_first_seen">${a.first_seen}</data><data key="n_last_seen">${a.last_seen}</data><data key="n_source_tool">${xmlText(a.source_tool)}</data><data key="n_evidence_sha256">${xmlText(a.evidence_sha256)}</data><data key="n_color">${a.color}</data></node>\n`,
      );
      if (p) await p;
      job.progress.tick();
    }
    for (const l of snap.links()) {
      const p = out.write(
        `    <edge id="${xmlAttr(l.id)}" source="${xmlAttr(l.source_id)}" target="${xmlAttr(l.target_id)}"><data key="e_type">${xmlText(l.type)}</data><data key="e_run">${xmlText(l.source_run_id ?? '')}</data></edge>\n`,
      );
      if (p) await p;
      job.progress.tick();
    }
    await out.write('  </graph>\n</graphml>\n');
    return [{ name, bytes: await out.close(), contentType: EXPORT_CONTENT_TYPES.graphml! }];
  } catch (e) {
    out.destroy();
    throw e;
  }
};
