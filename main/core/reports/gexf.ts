import { join } from 'node:path';
import { EXPORT_CONTENT_TYPES } from './content-types.ts';
import { entityColor } from '../../../preload/contract/entity-colors.ts';
import type { Exporter } from './exporter.ts';
import { FileSink } from './sink.ts';
import { rgb, xmlAttr, xmlText } from './xml.ts';
import { EDGE_ATTRIBUTES, NODE_ATTRIBUTES, nodeAttributes } from './graphml.ts';

/**
 * GEXF 1.3 (gexf.net/1.3) for Gephi: node label, the same attributes as the
 * GraphML export, and the SPEC colour of the type as `viz:color` r/g/b.
 * No xsi:schemaLocation: readers would try to fetch the schema.
 */
const VIZ = new Map<string, string>();
function vizColor(type: string): string {
  let v = VIZ.get(type);
  if (v === undefined) {
    const c = rgb(entityColor(type));
    VIZ.set(type, (v = `<viz:color r="${c.r}" g="${c.g}" b="${c.b}"/>`));
  }
  return v;
}

export const exportGexf: Exporter = async (job) => {
  const { snap } = job;
  const name = 'investigation.gexf';
  const out = new FileSink(join(job.dir, name));
  try {
    const day = new Date(job.now).toISOString().slice(0, 10);
    let head = '<?xml version="1.0" encoding="UTF-8"?>\n';
    head += '<gexf xmlns="http://gexf.net/1.3" xmlns:viz="http://gexf.net/1.3/viz" version="1.3">\n';
    head += `  <meta lastmodifieddate="${day}"><creator>Dossier ${xmlText(job.dossierVersion)}</creator><description>${xmlText(snap.investigation.name)}</description></meta>\n`;
    head += '  <graph mode="static" defaultedgetype="directed">\n    <attributes class="node">\n';
    NODE_ATTRIBUTES.forEach((a, i) => (head += `      <attribute id="${i}" title="${a}" type="string"/>\n`));
    head += '    </attributes>\n    <attributes class="edge">\n';
    EDGE_ATTRIBUTES.forEach((a, i) => (head += `      <attribute id="${i}" title="${a}" type="string"/>\n`));
    head += '    </attributes>\n    <nodes>\n';
    await out.write(head);
    for (const e of snap.entities()) {
      const a = nodeAttributes(e);
      // One template per row, attribute ids in NODE_ATTRIBUTES order; the colour's r/g/b text is made once per type.
      const p = out.write(
        `      <node id="${xmlAttr(e.id)}" label="${xmlAttr(e.label ?? e.value)}"><attvalues><attvalue for="0" value="${xmlAttr(a.type)}"/><attvalue for="1" value="${xmlAttr(a.value)}"/><attvalue for="2" value="${a.first_seen}"/><attvalue for="3" value="${a.last_seen}"/><attvalue for="4" value="${xmlAttr(a.source_tool)}"/><attvalue for="5" value="${xmlAttr(a.evidence_sha256)}"/><attvalue for="6" value="${a.color}"/></attvalues>${vizColor(e.type)}</node>\n`,
      );
      if (p) await p;
      job.progress.tick();
    }
    await out.write('    </nodes>\n    <edges>\n');
    for (const l of snap.links()) {
      const p = out.write(
        `      <edge id="${xmlAttr(l.id)}" source="${xmlAttr(l.source_id)}" target="${xmlAttr(l.target_id)}" label="${xmlAttr(l.type)}"><attvalues><attvalue for="0" value="${xmlAttr(l.type)}"/><attvalue for="1" value="${xmlAttr(l.source_run_id ?? '')}"/></attvalues></edge>\n`,
      );
      if (p) await p;
      job.progress.tick();
    }
    await out.write('    </edges>\n  </graph>\n</gexf>\n');
    return [{ name, bytes: await out.close(), contentType: EXPORT_CONTENT_TYPES.gexf! }];
  } catch (e) {
    out.destroy();
    throw e;
  }
};
