import { ActionIcon, Group, Paper, Select, Stack, Text, TextInput } from '@mantine/core';
import { IconArrowDown, IconArrowUp, IconTrash } from '@tabler/icons-react';
import { ENTITY_TYPES, type EntityType } from '../../../../preload/contract/entities.ts';
import { placeholdersOf } from '../../../../preload/contract/templates.ts';
import type { ToolInfo } from '../../../../preload/contract/tools.ts';
import type { StepDraft } from './draft.ts';
import { ParamsDisclosure } from './ParamsDisclosure.tsx';

export function StepCard(props: {
  index: number;
  count: number;
  step: StepDraft;
  tool: ToolInfo | undefined;
  toolOptions: { value: string; label: string }[];
  onChange(p: Partial<StepDraft>): void;
  onMove(by: number): void;
  onRemove(): void;
}) {
  const { step: s, tool } = props;
  const missing = s.input.trim() !== '' && placeholdersOf(s.input).length === 0;
  return (
    <Paper withBorder radius="md" p="sm" role="group" aria-label={`Step ${props.index + 1}`}>
      <Stack gap="xs">
        <Group justify="space-between">
          <Text fw={600} size="sm">
            Step {props.index + 1}
          </Text>
          <Group gap={2}>
            <ActionIcon variant="subtle" color="gray" aria-label="Move step up" disabled={props.index === 0} onClick={() => props.onMove(-1)}>
              <IconArrowUp size={16} />
            </ActionIcon>
            <ActionIcon variant="subtle" color="gray" aria-label="Move step down" disabled={props.index === props.count - 1} onClick={() => props.onMove(1)}>
              <IconArrowDown size={16} />
            </ActionIcon>
            <ActionIcon variant="subtle" color="red" aria-label="Remove step" disabled={props.count === 1} onClick={props.onRemove}>
              <IconTrash size={16} />
            </ActionIcon>
          </Group>
        </Group>
        <Group grow align="flex-start">
          <Select
            label="Tool"
            placeholder="Pick a tool"
            data={props.toolOptions}
            value={s.tool}
            onChange={(v) => props.onChange({ tool: v, params: {}, inputType: null })}
            searchable
            required
          />
          <TextInput
            label="Input"
            description="Use {{placeholder}} for the value given when the template runs"
            value={s.input}
            onChange={(e) => props.onChange({ input: e.currentTarget.value })}
            error={missing ? 'needs a {{placeholder}}, e.g. {{username}}' : undefined}
            styles={{ input: { fontFamily: 'var(--mantine-font-family-monospace)' } }}
            required
          />
          <Select
            label="Input type"
            description={tool ? `${tool.name} takes ${tool.accepts.join(', ')}` : ' '}
            data={[...(tool?.accepts ?? ENTITY_TYPES)]}
            value={s.inputType ?? tool?.accepts[0] ?? null}
            onChange={(v) => props.onChange({ inputType: v as EntityType | null })}
            disabled={!tool}
          />
        </Group>
        {tool && <ParamsDisclosure schema={tool.paramsSchema} value={s.params} onChange={(params) => props.onChange({ params })} />}
      </Stack>
    </Paper>
  );
}
