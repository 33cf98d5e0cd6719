import type { DossierCore } from '../core.ts';
import type { ToolRunsTable } from '../tools/tables.ts';
import type { EntityType, LinkType } from '../../../preload/contract/entities.ts';
import { upsertEntity, upsertLink } from '../entities/store.ts';
import { createHash } from 'node:crypto';

/**
 * A small but complete investigation for the report tests and the committed
 * sample: every kind of fact an export carries (properties, evidence with
 * URL/status/hash, links, successful and failed tool runs over three days)
 * and the values exports must survive: markup, a spreadsheet formula,
 * accents, a control character, quotes and commas.
 */
export const HOSTILE_VALUES = {
  script: '<script>alert("pwned")</script>',
  formula: '=HYPERLINK("http://attacker.invalid","click")',
  accents: 'Zoë Ångström-Łukasiewicz',
  control: 'bell\u0007char',
  quotes: 'say "hi", then leave',
} as const;

const DAY = 86_400_000;
export const FIXTURE_START = Date.UTC(2026, 10, 2, 9, 0, 0);

export interface SeededInvestigation {
  investigationId: string;
  name: string;
  entityIds: string[];
  entities: number;
  links: number;
  runs: number;
  hashes: string[];
  values: string[];
}

/** `evidenceBase`: the origin evidence URLs point at (tests pass a local server that must never be contacted). */
export async function seedInvestigation(core: DossierCore, opts: { evidenceBase?: string; name?: string } = {}): Promise<SeededInvestigation> {
  const base = (opts.evidenceBase ?? 'https://example.org').replace(/\/$/, '');
  const name = opts.name ?? 'Operation Nightjar';
  const inv = await core.call('investigations.create', { name, description: 'Who runs the nightjar_42 accounts? A sample investigation.', tags: ['sample', 'usernames'] });
  const db = core.ctx.db;
  const runs: ToolRunsTable[] = [];
  const run = (i: number, tool: string, type: EntityType, value: string, status: ToolRunsTable['status'], entityCount: number, error: string | null = null): ToolRunsTable => {
    const started = FIXTURE_START + i * 0.7 * DAY;
    const r: ToolRunsTable = {
      id: `run_fixture_${i}_${inv.id}`,
      investigation_id: inv.id,
      tool,
      input_type: type,
      input_value: value,
      input_entity_id: null,
      params: JSON.stringify(tool === 'http.fetch' ? { headers: { Authorization: 'Bearer sk_live_should_not_leak' } } : {}),
      status,
      started_at: started,
      finished_at: started + 2_500,
      duration_ms: 2_500,
      error,
      error_kind: error ? 'permanent' : null,
      summary: error ? null : `${entityCount} found`,
      output: JSON.stringify({ ok: !error }),
      entity_count: entityCount,
      created_count: entityCount,
      egress: 'direct',
      entity_ids: '[]',
      owner: null,
    };
    runs.push(r);
    return r;
  };
  const r0 = run(0, 'username.sites', 'username', 'nightjar_42', 'succeeded', 3);
  const r1 = run(1, 'dns.resolve', 'domain', 'nightjar.example', 'succeeded', 2);
  run(2, 'email.inspect', 'email', 'nj42@nightjar.example', 'failed', 0, 'mail server refused the check');
  const r3 = run(3, 'http.fetch', 'url', `${base}/about`, 'succeeded', 2);
  await db.insertInto('tool_runs').values(runs).execute();

  const hashes: string[] = [];
  const evidence = (path: string, status = 200) => {
    const sha256 = createHash('sha256').update(`${base}${path}`).digest('hex');
    hashes.push(sha256);
    return { httpStatus: status, finalUrl: `${base}${path}`, excerpt: `<title>${path}</title>`, sha256, observedAt: new Date(FIXTURE_START + hashes.length * 3_600_000).toISOString() };
  };
  const specs: { type: EntityType; value: string; label?: string; props?: Record<string, unknown>; ev?: ReturnType<typeof evidence>; run?: string; at: number }[] = [
    { type: 'username', value: 'nightjar_42', label: 'nightjar_42', at: 0 },
    { type: 'account', value: `${base}/github/nightjar_42`, label: 'GitHub: nightjar_42', props: { site: 'GitHub', followers: 118 }, ev: evidence('/github/nightjar_42'), run: r0.id, at: 0.1 },
    { type: 'account', value: `${base}/reddit/u/nightjar_42`, label: 'Reddit: nightjar_42', props: { site: 'Reddit' }, ev: evidence('/reddit/u/nightjar_42'), run: r0.id, at: 0.2 },
    { type: 'account', value: `${base}/keybase/nightjar_42`, label: 'Keybase: nightjar_42', props: { site: 'Keybase', proofs: ['github', 'dns'] }, ev: evidence('/keybase/nightjar_42'), run: r0.id, at: 0.3 },
    { type: 'domain', value: 'nightjar.example', at: 0.9 },
    { type: 'ip', value: '192.0.2.44', props: { asn: 'AS64500' }, run: r1.id, at: 1.0 },
    { type: 'ip', value: '2001:db8::44', run: r1.id, at: 1.05 },
    { type: 'email', value: 'nj42@nightjar.example', at: 1.3 },
    { type: 'person', value: HOSTILE_VALUES.accents, label: HOSTILE_VALUES.accents, props: { role: 'suspected owner' }, at: 1.6 },
    { type: 'phone', value: '+1 202 555 0142', at: 1.7 },
    { type: 'url', value: `${base}/about`, ev: evidence('/about', 301), run: r3.id, at: 2.1 },
    { type: 'other', value: HOSTILE_VALUES.script, label: HOSTILE_VALUES.script, props: { note: HOSTILE_VALUES.quotes }, ev: evidence('/xss'), run: r3.id, at: 2.2 },
    { type: 'other', value: HOSTILE_VALUES.formula, at: 2.3 },
    { type: 'other', value: HOSTILE_VALUES.control, at: 2.4 },
    { type: 'location', value: 'Lyon, France', at: 2.5 },
  ];
  const ids: string[] = [];
  for (const s of specs) {
    const { entity } = await upsertEntity(db, inv.id, { type: s.type, value: s.value, label: s.label ?? null, properties: s.props ?? {}, evidence: s.ev ?? null, sourceRunId: s.run ?? null }, FIXTURE_START + s.at * DAY);
    ids.push(entity.id);
  }
  const linkSpecs: [number, number, LinkType, string | null][] = [
    [0, 1, 'has_account', r0.id],
    [0, 2, 'has_account', r0.id],
    [0, 3, 'has_account', r0.id],
    [4, 5, 'resolves_to', r1.id],
    [4, 6, 'resolves_to', r1.id],
    [7, 4, 'has_domain', null],
    [8, 0, 'has_username', null],
    [8, 7, 'has_email', null],
    [8, 9, 'related', null],
    [10, 4, 'mentions', r3.id],
    [11, 10, 'mentions', r3.id],
    [8, 14, 'located_at', null],
    [3, 4, 'mentions', null],
  ];
  for (const [a, b, type, runId] of linkSpecs) {
    await upsertLink(db, inv.id, { sourceId: ids[a]!, targetId: ids[b]!, type, sourceRunId: runId }, FIXTURE_START + (specs[b]!.at + 0.01) * DAY);
  }
  // Runs list what they produced, as real runs do.
  for (const r of runs) {
    const produced = specs.map((s, i) => (s.run === r.id ? ids[i]! : null)).filter((x): x is string => x !== null);
    await db.updateTable('tool_runs').set({ entity_ids: JSON.stringify(produced) }).where('id', '=', r.id).execute();
  }
  return { investigationId: inv.id, name, entityIds: ids, entities: specs.length, links: linkSpecs.length, runs: runs.length, hashes, values: specs.map((s) => s.value) };
}
