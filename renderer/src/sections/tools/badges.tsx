import { Badge } from '@mantine/core';
import type { ToolRunStatus } from '../../../../preload/contract/tools.ts';

const RUN_COLOR: Record<ToolRunStatus, string> = { running: 'blue', succeeded: 'green', failed: 'red', cancelled: 'gray' };
export function RunStatusBadge({ status }: { status: ToolRunStatus }) {
  return <Badge color={RUN_COLOR[status]}>{status}</Badge>;
}

const SITE_COLOR: Record<string, string> = { claimed: 'green', available: 'gray', unknown: 'orange', waf: 'yellow', illegal: 'grape' };
export function SiteStatusBadge({ status }: { status: string }) {
  return (
    <Badge variant="light" color={SITE_COLOR[status] ?? 'gray'} miw="max-content">
      {status}
    </Badge>
  );
}
