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
  /** The core's refusal of this step, by field (`tool`, `input`, `inputType`, `params.<name>`). */
  errors?: Record<string, string>;
  onChange(p: Partial<StepDraft>): void;
  onMove(by: number): void;
  onRemove(): void;
}) {
  const { step: s, tool } = props;
  const missing = s.input.trim() !== '' && placeholdersOf(s.input).length === 0;
  const errors = props.errors ?? {};
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
            error={errors.tool}
          />
          <TextInput
            label="Input"
            description="Use {{placeholder}} for the value given when the template runs"
            value={s.input}
            onChange={(e) => props.onChange({ input: e.currentTarget.value })}
            error={missing ? 'needs a {{placeholder}}, e.g. {{username}}' : errors.input}
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
            error={errors.inputType}
          />
        </Group>
        {tool && (
          <ParamsDisclosure schema={tool.paramsSchema} value={s.params} errors={paramErrors(errors)} onChange={(params) => props.onChange({ params })} />
        )}
      </Stack>
    </Paper>
  );
}

/** `params.<name>` messages keyed by the parameter; one on `params` itself (e.g. an unknown key) under `_params`. */
export function paramErrors(errors: Record<string, string>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(errors)) {
    if (k === 'params') out._params = v;
    else if (k.startsWith('params.')) out[k.slice('params.'.length).split('.')[0]!] ??= v;
  }
  return out;
}
