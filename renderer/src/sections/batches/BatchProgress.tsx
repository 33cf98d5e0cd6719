import { Progress, Tooltip } from '@mantine/core';
import type { BatchCounts } from '../../../../preload/contract/batches.ts';

/** One bar, one segment per outcome, so a half-failed batch does not look half-done. */
export function BatchProgress({ counts, size = 'md', animate }: { counts: BatchCounts; size?: 'xs' | 'sm' | 'md' | 'lg' | 'xl'; animate?: boolean }) {
  const total = Math.max(1, counts.total);
  const pct = (n: number) => (n / total) * 100;
  const done = counts.completed + counts.failed + counts.cancelled;
  const label = `${done.toLocaleString()} of ${counts.total.toLocaleString()} done: ${counts.completed.toLocaleString()} completed, ${counts.failed.toLocaleString()} failed, ${counts.cancelled.toLocaleString()} cancelled`;
  return (
    <Tooltip label={label} withArrow openDelay={300}>
      <Progress.Root size={size} aria-label="Batch progress" role="progressbar" aria-valuemin={0} aria-valuemax={counts.total} aria-valuenow={done} aria-valuetext={label}>
        <Progress.Section value={pct(counts.completed)} color="teal" />
        <Progress.Section value={pct(counts.failed)} color="red" />
        <Progress.Section value={pct(counts.cancelled)} color="gray" />
        <Progress.Section value={pct(counts.running)} color="blue" striped animated={animate} />
      </Progress.Root>
    </Tooltip>
  );
}
