import type { SyncStore } from './db/open.ts';
import type { MembersTable } from './db/tables.ts';
import { writeAudit } from './audit.ts';
import { hashToken, newId, newToken } from './tokens.ts';
import type { Role, WireMember } from '../../main/core/sync/wire.ts';
import type { Transaction } from 'kysely';
import type { SyncDatabase } from './db/tables.ts';

export function toWireMember(m: MembersTable): WireMember {
  const iso = (t: number | null) => (t === null ? null : new Date(Number(t)).toISOString());
  return { id: m.id, name: m.name, role: m.role, created_at: iso(m.created_at)!, revoked_at: iso(m.revoked_at), last_used_at: iso(m.last_used_at) };
}

/** A member with a fresh token, inside the caller's transaction. The token is returned once and never stored. */
export async function insertMember(trx: Transaction<SyncDatabase>, teamId: string, name: string, role: Role, now: number): Promise<{ member: MembersTable; token: string }> {
  const token = newToken();
  const member: MembersTable = { id: newId('mem'), team_id: teamId, name, role, token_hash: hashToken(token), created_at: now, revoked_at: null, last_used_at: null };
  await trx.insertInto('members').values(member).execute();
  return { member, token };
}

/** `create-team`: the team, its first admin and that admin's token, in one transaction. */
export async function createTeam(store: SyncStore, name: string, adminName: string, now = Date.now()) {
  return store.db.transaction().execute(async (trx) => {
    const team = { id: newId('team'), name, seq: 0, created_at: now };
    await trx.insertInto('teams').values(team).execute();
    const { member, token } = await insertMember(trx, team.id, adminName, 'admin', now);
    await writeAudit(trx, { teamId: team.id, memberId: null, action: 'team.create', targetType: 'team', targetId: team.id, detail: { name }, at: now });
    await writeAudit(trx, { teamId: team.id, memberId: null, action: 'member.create', targetType: 'member', targetId: member.id, detail: { name: adminName, role: 'admin' }, at: now });
    return { team: { id: team.id, name: team.name }, member: toWireMember(member), token };
  });
}
