/** How long a batch lease holds without renewal; the executor renews it every tick. The lease rule itself is util/lease.ts. */
export const LEASE_MS = 15_000;
