import type { RelayRule } from '../../../preload/contract/relay.ts';
import type { RelayRulesTable } from './tables.ts';
import { parseJson } from '../util/json.ts';
import { iso } from '../util/time.ts';
import { jsonPathProblem, jsonPathQuery } from '../util/json-path.ts';

export function toRule(r: RelayRulesTable): RelayRule {
  return {
    id: r.id,
    endpointId: r.endpoint_id,
    name: r.name,
    eventType: r.event_type,
    matchPath: r.match_path,
    matchValue: r.match_value,
    template: r.template,
    investigationId: r.investigation_id,
    inputs: parseJson<Record<string, string>>(r.inputs, {}),
    active: r.active === 1,
    trusted: r.trusted === 1,
    createdAt: iso(r.created_at),
  };
}

function query(path: string, json: unknown): unknown[] {
  if (json === null || typeof json !== 'object') return [];
  return jsonPathQuery(path, json);
}

/** Why a rule may not store this path (not RFC 9535, script-shaped, too costly), or null. */
export function rulePathProblem(path: string): string | null {
  return jsonPathProblem(path);
}

function asText(v: unknown): string {
  return typeof v === 'string' ? v : JSON.stringify(v);
}

/** Event type condition: exact, or a prefix when the pattern ends in `*`. */
export function eventMatches(pattern: string | null, eventType: string | null): boolean {
  if (pattern === null) return true;
  if (eventType === null) return false;
  return pattern.endsWith('*') ? eventType.startsWith(pattern.slice(0, -1)) : eventType === pattern;
}

export type RuleEvaluation =
  | { matched: false }
  | { matched: true; inputs: Record<string, string>; missing: string[] };

/** Does the rule match this request, and which template inputs does the body give it? */
export function evaluateRule(rule: RelayRule, eventType: string | null, json: unknown): RuleEvaluation {
  if (!eventMatches(rule.eventType, eventType)) return { matched: false };
  if (rule.matchPath !== null) {
    const found = query(rule.matchPath, json);
    if (found.length === 0) return { matched: false };
    if (rule.matchValue !== null && !found.some((v) => asText(v) === rule.matchValue)) return { matched: false };
  }
  const inputs: Record<string, string> = {};
  const missing: string[] = [];
  for (const [name, path] of Object.entries(rule.inputs)) {
    const v = query(path, json)[0];
    if (v === undefined || v === null) missing.push(name);
    else inputs[name] = asText(v);
  }
  return { matched: true, inputs, missing };
}
