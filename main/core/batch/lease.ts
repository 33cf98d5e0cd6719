import { hostname } from 'node:os';
import { randomBytes } from 'node:crypto';

/** How long a batch lease holds without renewal; the executor renews it every tick. */
export const LEASE_MS = 15_000;

/** This process's name as a lease owner: host, pid, and a random part so a reused pid is not mistaken for us. */
export function leaseOwnerId(): string {
  return `${hostname()}|${process.pid}|${randomBytes(4).toString('hex')}`;
}

/** A lease owner on this machine whose process is gone can be taken over at once. */
export function ownerAlive(owner: string): boolean {
  const [host, pidText] = owner.split('|');
  if (host !== hostname()) return true;
  const pid = Number(pidText);
  if (!Number.isInteger(pid) || pid <= 0) return false;
  if (pid === process.pid) return true;
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** True when another live process holds an unexpired lease. */
export function heldElsewhere(leaseOwner: string | null, leaseUntil: number | null, self: string, now: number): boolean {
  return !!leaseOwner && leaseOwner !== self && (leaseUntil ?? 0) > now && ownerAlive(leaseOwner);
}
