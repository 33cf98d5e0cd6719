import { ownerAlive } from '../util/process-owner.ts';

/** How long a batch lease holds without renewal; the executor renews it every tick. */
export const LEASE_MS = 15_000;

/** True when another live process holds an unexpired lease. */
export function heldElsewhere(leaseOwner: string | null, leaseUntil: number | null, self: string, now: number): boolean {
  return !!leaseOwner && leaseOwner !== self && (leaseUntil ?? 0) > now && ownerAlive(leaseOwner);
}
