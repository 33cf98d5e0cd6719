import { ownerAlive } from './process-owner.ts';

/**
 * The one lease rule (batches, watches, the sync link): a lease blocks others
 * only while it is unexpired and its owner is alive. An owner on this machine
 * whose process is gone lets go at once; one elsewhere holds until expiry.
 */
export function heldElsewhere(leaseOwner: string | null, leaseUntil: number | null, self: string, now: number): boolean {
  return !!leaseOwner && leaseOwner !== self && (leaseUntil ?? 0) > now && ownerAlive(leaseOwner);
}
