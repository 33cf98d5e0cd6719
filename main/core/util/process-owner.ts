import { hostname } from 'node:os';
import { randomBytes } from 'node:crypto';

/** A process's name as an owner (of a lease, a run): host, pid, and a random part so a reused pid is not mistaken for it. */
export function leaseOwnerId(): string {
  return `${hostname()}|${process.pid}|${randomBytes(4).toString('hex')}`;
}

/** False only for an owner on this machine whose process is gone: what it held can be taken over at once. */
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
