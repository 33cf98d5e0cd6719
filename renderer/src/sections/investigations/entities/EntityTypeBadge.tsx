import { Badge } from '@mantine/core';
import { entityColor } from '../../../lib/entity-colors.ts';

export function EntityTypeBadge({ type }: { type: string }) {
  return (
    <Badge color={entityColor(type)} variant="light" size="sm" radius="sm" tt="none" fw={600}>
      {type}
    </Badge>
  );
}
