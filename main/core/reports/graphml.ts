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
  return {
    type: e.type,
    value: e.value,
    first_seen: iso(e.first_seen),
    last_seen: iso(e.last_seen),
    source_tool: e.source_tool ?? '',
    evidence_sha256: parseJson<Evidence | null>(e.evidence, null)?.sha256 ?? '',
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
      let s = `    <node id="${xmlAttr(e.id)}"><data key="label">${xmlText(e.label ?? e.value)}</data>`;
      const attrs = nodeAttributes(e);
      for (const a of NODE_ATTRIBUTES) s += `<data key="n_${a}">${xmlText(attrs[a])}</data>`;
      const p = out.write(s + '</node>\n');
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
