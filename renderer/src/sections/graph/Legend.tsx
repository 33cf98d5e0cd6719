import { Group, Text, UnstyledButton } from '@mantine/core';
import type { EntityType } from '../../../../preload/contract/entities.ts';
import { entityColor } from '../../lib/entity-colors.ts';

/**
 * Colour key that doubles as the type filter: each entry is a toggle button
 * (aria-pressed), so hiding a type is one click or one key press.
 */
export function Legend(props: {
  counts: ReadonlyMap<EntityType, number>;
  hidden: ReadonlySet<EntityType>;
  onToggle(type: EntityType): void;
}) {
  const entries = [...props.counts].sort((a, b) => b[1] - a[1]);
  return (
    <Group gap={6} role="group" aria-label="Entity types (click to hide or show)">
      {entries.map(([type, n]) => {
        const hidden = props.hidden.has(type);
        return (
          <UnstyledButton
            key={type}
            onClick={() => props.onToggle(type)}
            aria-pressed={!hidden}
            aria-label={`${hidden ? 'Show' : 'Hide'} ${type} (${n})`}
            px={8}
            py={3}
            style={{
              borderRadius: 999,
              border: '1px solid var(--mantine-color-default-border)',
              background: hidden ? 'transparent' : 'var(--mantine-color-default)',
              opacity: hidden ? 0.5 : 1,
            }}
          >
            <Group gap={6} wrap="nowrap">
              <span
                aria-hidden
                style={{
                  width: 10,
                  height: 10,
                  borderRadius: 999,
                  background: hidden ? 'transparent' : entityColor(type),
                  border: `2px solid ${entityColor(type)}`,
                  display: 'inline-block',
                }}
              />
              <Text size="xs" fw={500} td={hidden ? 'line-through' : undefined}>
                {type}
              </Text>
              <Text size="xs" c="dimmed">
                {n.toLocaleString()}
              </Text>
            </Group>
          </UnstyledButton>
        );
      })}
    </Group>
  );
}
