import { ActionIcon, Group, Paper, Select, Text, Tooltip } from '@mantine/core';
import { IconX } from '@tabler/icons-react';
import { ENTITY_TYPES, type EntityType } from '../../../../preload/contract/entities.ts';
import type { ToolInfo } from '../../../../preload/contract/tools.ts';
import type { RuleDraft } from './draft.ts';
import { ParamsDisclosure } from './ParamsDisclosure.tsx';
import { paramErrors } from './StepCard.tsx';

export function FollowUpRuleCard(props: {
  index: number;
  rule: RuleDraft;
  toolMap: Map<string, ToolInfo>;
  toolOptions: { value: string; label: string }[];
  /** The core's refusal of this rule, by field (`whenType`, `tool`, `params.<name>`). */
  errors?: Record<string, string>;
  onChange(p: Partial<RuleDraft>): void;
  onRemove(): void;
}) {
  const { rule: r, toolMap, toolOptions } = props;
  const info = r.tool ? toolMap.get(r.tool) : undefined;
  const errors = props.errors ?? {};
  return (
    <Paper withBorder radius="md" p="sm" role="group" aria-label={`Follow-up rule ${props.index + 1}`}>
      <Group align="flex-end" gap="xs" wrap="nowrap">
        <Text size="sm" pb={8}>
          When a step discovers
        </Text>
        <Select
          aria-label="Entity type"
          placeholder="type"
          data={[...ENTITY_TYPES]}
          value={r.whenType}
          onChange={(v) => props.onChange({ whenType: v as EntityType | null })}
          w={160}
          searchable
          error={errors.whenType}
        />
        <Text size="sm" pb={8}>
          run
        </Text>
        <Select
          aria-label="Follow-up tool"
          placeholder="tool"
          data={toolOptions.filter((o) => !r.whenType || toolMap.get(o.value)?.accepts.includes(r.whenType))}
          value={r.tool}
          onChange={(v) => props.onChange({ tool: v, params: {} })}
          style={{ flex: 1 }}
          searchable
          nothingFoundMessage={r.whenType ? `No tool takes ${r.whenType}` : 'No tool'}
          error={errors.tool}
        />
        <Tooltip label="Remove rule">
          <ActionIcon variant="subtle" color="gray" aria-label="Remove rule" mb={4} onClick={props.onRemove}>
            <IconX size={16} />
          </ActionIcon>
        </Tooltip>
      </Group>
      {info && (
        <Paper withBorder={false} pt="xs">
          <ParamsDisclosure schema={info.paramsSchema} value={r.params} errors={paramErrors(errors)} onChange={(params) => props.onChange({ params })} />
        </Paper>
      )}
    </Paper>
  );
}
