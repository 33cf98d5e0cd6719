import type { Kysely } from 'kysely';
import type { Database } from '../db/database.ts';
import { leaseOwnerId } from '../util/process-owner.ts';
import { heldElsewhere } from '../util/lease.ts';

const LEASE_MS = 120_000;
export const OWNER = leaseOwnerId();

/** One process syncs a data directory at a time. false: another live process holds it. */
export async function takeSyncLease(db: Kysely<Database>, now: number): Promise<boolean> {
  const link = await db.selectFrom('sync_link').select(['lease_owner', 'lease_until']).where('id', '=', 1).executeTakeFirst();
  if (!link) return false;
  if (heldElsewhere(link.lease_owner, link.lease_until, OWNER, now)) return false;
  const res = await db
    .updateTable('sync_link')
    .set({ lease_owner: OWNER, lease_until: now + LEASE_MS })
    .where('id', '=', 1)
    .where((eb) => (link.lease_owner === null ? eb('lease_owner', 'is', null) : eb('lease_owner', '=', link.lease_owner)))
    .executeTakeFirst();
  return Number(res.numUpdatedRows) === 1;
}

export async function releaseSyncLease(db: Kysely<Database>): Promise<void> {
  await db.updateTable('sync_link').set({ lease_owner: null, lease_until: null }).where('id', '=', 1).where('lease_owner', '=', OWNER).execute();
}
