import { Alert, Button, Group, Modal, Select, Stack, Text, TextInput } from '@mantine/core';
import { useMemo, useState } from 'react';
import { useNavigate } from 'react-router';
import type { GraphNode } from '../../../../preload/contract/graph.ts';
import { useAction, useCall } from '../../api/hooks.ts';
import { fieldErrors } from '../../lib/field-errors.ts';
import { BatchOptionsFields, DEFAULT_BATCH_OPTIONS, toBatchOptions } from '../batches/BatchOptionsFields.tsx';

/** The entities a selection batch runs over: the graph's nodes or the entity table's checked rows. */
export type SelectedEntity = Pick<GraphNode, 'id' | 'type' | 'value'>;

/**
 * "Run batch over selection…" (graph) and "Run tool…" on the entity table's checked rows: one tool over the
 * selected entities, each with its own type and value, as one batch (progress, retries, pause and cancel in one
 * place) rather than a run per entity.
 */
export function SelectionBatchDialog(props: { investigationId: string; entities: SelectedEntity[]; onClose(): void }) {
  const tools = useCall('tools.list', {});
  const navigate = useNavigate();
  const [tool, setTool] = useState<string | null>(null);
  const [name, setName] = useState('');
  const [options, setOptions] = useState(DEFAULT_BATCH_OPTIONS);
  const create = useAction('batches.create', { invalidates: ['batches.list'], success: (b) => `Batch “${b.name}” started` });

  const selected = props.entities;
  const types = useMemo(() => new Set(selected.map((n) => n.type)), [selected]);
  const usable = (tools.data ?? []).filter((t) => t.accepts.some((a) => types.has(a)));
  const info = usable.find((t) => t.name === tool);
  // A tool only takes the types it accepts; the others are left out rather than failing one by one.
  const fitting = info ? selected.filter((n) => info.accepts.includes(n.type)) : [];
  const errors = fieldErrors(create.error);

  const submit = async () => {
    if (!info || fitting.length === 0) return;
    const b = await create.mutateAsync({
      investigationId: props.investigationId,
      tool: info.name,
      name: name.trim() || undefined,
      source: { kind: 'entities', entityIds: fitting.map((n) => n.id) },
      options: toBatchOptions(options),
    });
    props.onClose();
    void navigate(`/batches/${b.id}`);
  };

  return (
    <Modal opened onClose={props.onClose} title={`Batch over ${selected.length.toLocaleString()} selected ${selected.length === 1 ? 'entity' : 'entities'}`} size="lg" centered>
      <Stack>
        <Select
          label="Tool"
          placeholder={tools.isPending ? 'Loading tools…' : 'Pick a tool'}
          data={usable.map((t) => ({ value: t.name, label: `${t.title} (${t.name}) — takes ${t.accepts.join(', ')}` }))}
          value={tool}
          onChange={setTool}
          searchable
          nothingFoundMessage={`No tool takes ${[...types].join(' or ')}`}
          error={errors.tool}
          data-autofocus
        />
        {info && (
          <Text size="sm" c={fitting.length ? 'dimmed' : 'red'}>
            {fitting.length === selected.length
              ? `All ${fitting.length.toLocaleString()} selected entities will be run.`
              : `${fitting.length.toLocaleString()} of ${selected.length.toLocaleString()} selected entities are of a type ${info.name} takes (${info.accepts.join(', ')}); the rest are left out.`}
          </Text>
        )}
        <TextInput label="Name" placeholder="Optional; a name is made up from the tool and the date" value={name} onChange={(e) => setName(e.currentTarget.value)} error={errors.name} />
        <BatchOptionsFields value={options} onChange={setOptions} errors={errors} />
        {errors._form && <Alert color="red">{errors._form}</Alert>}
        <Group justify="flex-end">
          <Button variant="default" onClick={props.onClose}>
            Cancel
          </Button>
          <Button onClick={() => void submit().catch(() => undefined)} loading={create.isPending} disabled={!info || fitting.length === 0}>
            Start batch
          </Button>
        </Group>
      </Stack>
    </Modal>
  );
}
