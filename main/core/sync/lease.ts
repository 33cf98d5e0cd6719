import type { Kysely } from 'kysely';
import type { Database } from '../db/database.ts';
import { leaseOwnerId, ownerAlive } from '../util/process-owner.ts';

const LEASE_MS = 120_000;
export const OWNER = leaseOwnerId();

/** A lease held by a process on this host that has died can be taken at once. */
function ownerIsGone(owner: string | null): boolean {
  return !owner || !ownerAlive(owner);
}

/** One process syncs a data directory at a time. false: another live process holds it. */
export async function takeSyncLease(db: Kysely<Database>, now: number): Promise<boolean> {
  const link = await db.selectFrom('sync_link').select(['lease_owner', 'lease_until']).where('id', '=', 1).executeTakeFirst();
  if (!link) return false;
  const free = link.lease_owner === OWNER || link.lease_until === null || link.lease_until < now || ownerIsGone(link.lease_owner);
  if (!free) return false;
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
