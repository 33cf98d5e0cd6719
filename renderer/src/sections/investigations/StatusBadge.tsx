import { Badge } from '@mantine/core';
import type { InvestigationStatus } from '../../../../preload/contract/investigations.ts';

export function StatusBadge({ status, size = 'sm' }: { status: InvestigationStatus; size?: 'xs' | 'sm' | 'md' | 'lg' }) {
  return (
    <Badge size={size} variant="light" color={status === 'active' ? 'teal' : 'gray'}>
      {status === 'active' ? 'Active' : 'Archived'}
    </Badge>
  );
}
