import type { ChangeKind } from '../../../preload/contract/watches.ts';
import { linkEnds, type Find } from './finds.ts';

export interface Change {
  change: ChangeKind;
  find: Find;
  before: Find | null;
  fields: ('properties' | 'evidence')[];
}

/**
 * Compare one run's finds with the run before. New: found now, not then.
 * Vanished: found then, not now, although the operation that found it
 * completed this time (a lookup that failed, or was not run, proves nothing).
 * Changed: found both times with other properties or another evidence hash
 * (an evidence hash missing on either side is not a change). A link new or
 * vanished together with one of its ends is not counted apart from it.
 */
export function diffFinds(previous: Find[], current: Find[], completedOps: Set<string>): Change[] {
  const before = new Map(previous.map((f) => [f.key, f]));
  const now = new Map(current.map((f) => [f.key, f]));
  const out: Change[] = [];
  for (const f of current) {
    const p = before.get(f.key);
    if (!p) {
      out.push({ change: 'new', find: f, before: null, fields: [] });
      continue;
    }
    const fields: Change['fields'] = [];
    if (p.propsHash !== f.propsHash) fields.push('properties');
    if (p.evidenceHash && f.evidenceHash && p.evidenceHash !== f.evidenceHash) fields.push('evidence');
    if (fields.length) out.push({ change: 'changed', find: f, before: p, fields });
  }
  for (const p of previous) {
    if (now.has(p.key) || !completedOps.has(p.opKey)) continue;
    out.push({ change: 'vanished', find: p, before: p, fields: [] });
  }
  // A link that is new (or vanished) because an end of it is new (or vanished) says nothing more: one account, one change.
  const entityChange = new Map(out.filter((c) => c.find.kind === 'entity').map((c) => [c.find.key, c.change]));
  const implied = (c: Change) => {
    if (c.find.kind !== 'link' || c.change === 'changed') return false;
    const ends = linkEnds(c.find.key);
    return !!ends && ends.some((k) => entityChange.get(k) === c.change);
  };
  const kept = out.filter((c) => !implied(c));
  // Entities before links, then by change kind, then by value: a stable order for the UI and the event.
  const rank: Record<ChangeKind, number> = { new: 0, vanished: 1, changed: 2 };
  return kept.sort(
    (a, b) =>
      (a.find.kind === b.find.kind ? 0 : a.find.kind === 'entity' ? -1 : 1) ||
      rank[a.change] - rank[b.change] ||
      a.find.type.localeCompare(b.find.type) ||
      a.find.value.localeCompare(b.find.value),
  );
}
