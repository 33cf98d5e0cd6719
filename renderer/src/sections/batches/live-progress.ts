import { useState } from 'react';
import type { CoreEvents } from '../../../../preload/contract/events.ts';
import type { Batch } from '../../../../preload/contract/batches.ts';
import { useCoreEvent } from '../../api/hooks.ts';

export type Progress = CoreEvents['batch.progress'];

/**
 * The latest `batch.progress` event per batch. Progress arrives up to ten
 * times a second per batch, so screens overlay it on the fetched batch
 * instead of refetching on every event.
 */
export function useLiveProgress(): ReadonlyMap<string, Progress> {
  const [map, setMap] = useState<ReadonlyMap<string, Progress>>(new Map());
  useCoreEvent('batch.progress', (p) => setMap((m) => new Map(m).set(p.batchId, p)));
  // A status change is refetched; an older progress event must not paint over it.
  useCoreEvent('batches.changed', (c) =>
    setMap((m) => {
      if (!m.has(c.batchId)) return m;
      const next = new Map(m);
      next.delete(c.batchId);
      return next;
    }),
  );
  return map;
}

/** The batch as fetched, with fresher counts and status from a progress event when there is one. */
export function withProgress(b: Batch, p: Progress | undefined): Batch {
  if (!p || p.batchId !== b.id) return b;
  return { ...b, status: p.status, counts: p.counts };
}
