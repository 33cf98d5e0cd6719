import type { Transaction } from 'kysely';
import type { SyncDatabase } from './db/tables.ts';
import { nextSeq } from './db/dialect.ts';

export interface AuditEntry {
  teamId: string;
  memberId: string | null;
  action: string;
  targetType: string;
  targetId: string;
  detail?: Record<string, unknown>;
  at: number;
  /** A sequence number the caller already allocated for this change; else one is taken. */
  seq?: number;
}

/** Every mutation writes one of these in its own transaction. */
export async function writeAudit(trx: Transaction<SyncDatabase>, e: AuditEntry): Promise<void> {
  const seq = e.seq ?? (await nextSeq(trx, e.teamId));
  await trx
    .insertInto('audit')
    .values({
      team_id: e.teamId,
      seq,
      member_id: e.memberId,
      action: e.action,
      target_type: e.targetType,
      target_id: e.targetId,
      detail: JSON.stringify(e.detail ?? {}),
      at: e.at,
    })
    .execute();
}
