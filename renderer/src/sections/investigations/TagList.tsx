import { Badge, Group, Text } from '@mantine/core';

/** Tags as quiet pills; a long list collapses to "+N". */
export function TagList({ tags, max = 4 }: { tags: string[]; max?: number }) {
  if (tags.length === 0) return <Text size="sm" c="dimmed">—</Text>;
  const shown = tags.slice(0, max);
  return (
    <Group gap={4} wrap="wrap">
      {shown.map((t) => (
        <Badge key={t} size="sm" variant="outline" color="gray" radius="sm" tt="none" fw={500}>
          {t}
        </Badge>
      ))}
      {tags.length > max && (
        <Text size="xs" c="dimmed" title={tags.slice(max).join(', ')}>
          +{tags.length - max}
        </Text>
      )}
    </Group>
  );
}
