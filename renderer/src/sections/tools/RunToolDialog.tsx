import { useEffect, useMemo, useState } from 'react';
import { Alert, Badge, Button, Group, Modal, Select, Stack, Table, Text, TextInput, Code, ScrollArea } from '@mantine/core';
import { IconPlayerPlay } from '@tabler/icons-react';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { ENTITY_TYPES, type EntityType } from '../../../../preload/contract/entities.ts';
import type { ToolRunDetail } from '../../../../preload/contract/tools.ts';
import { call, useCall } from '../../api/hooks.ts';
import { ErrorState, Loading } from '../../components/States.tsx';
import { ToolParamsFields } from '../batches/ToolParamsFields.tsx';
import { RunStatusBadge, SiteStatusBadge } from './badges.tsx';

/** Views that show what a run writes; refreshed when a run finishes. */
const AFFECTED = ['entities.list', 'links.list', 'graph.get', 'toolRuns.list', 'investigations.get', 'investigations.list'] as const;

/**
 * Run one tool once on one input: pick a tool that accepts the entity's type,
 * fill its parameters (a form generated from the schema tools.list returns),
 * run it, and see the summary and what was found. Opened from a graph node
 * (with `entity`) or from the investigation header (the user types the input).
 */
export function RunToolDialog(props: {
  opened: boolean;
  onClose(): void;
  investigationId: string;
  entity?: { id: string; type: EntityType; value: string };
  /** Preselect a tool. */
  tool?: string;
}) {
  const tools = useCall('tools.list', {}, { enabled: props.opened });
  const [type, setType] = useState<EntityType>(props.entity?.type ?? 'username');
  const [value, setValue] = useState(props.entity?.value ?? '');
  const [toolName, setToolName] = useState<string | null>(props.tool ?? null);
  const [params, setParams] = useState<Record<string, unknown>>({});
  const qc = useQueryClient();
  const run = useMutation<ToolRunDetail, Error, void>({
    mutationFn: () =>
      call('tools.run', {
        investigationId: props.investigationId,
        tool: toolName!,
        input: props.entity ? { type: props.entity.type, value: props.entity.value, entityId: props.entity.id } : { type, value },
        params,
      }),
    onSuccess: () => {
      for (const m of AFFECTED) void qc.invalidateQueries({ queryKey: [m] });
    },
  });

  const inputType = props.entity?.type ?? type;
  const usable = useMemo(() => (tools.data ?? []).filter((t) => t.accepts.includes(inputType)), [tools.data, inputType]);
  const selected = usable.find((t) => t.name === toolName) ?? null;

  // A tool that does not take the chosen type is dropped; a single candidate is picked for the user.
  useEffect(() => {
    if (!tools.data) return;
    if (toolName && !usable.some((t) => t.name === toolName)) setToolName(null);
    else if (!toolName && usable.length === 1) setToolName(usable[0]!.name);
  }, [tools.data, usable, toolName]);

  const reset = () => {
    run.reset();
    setParams({});
  };
  const close = () => {
    reset();
    props.onClose();
  };
  const canRun = Boolean(selected) && (props.entity ? true : value.trim().length > 0) && !run.isPending;

  return (
    <Modal opened={props.opened} onClose={close} title="Run a tool" size="xl" closeButtonProps={{ 'aria-label': 'Close' }}>
      {tools.isPending ? (
        <Loading />
      ) : tools.error ? (
        <ErrorState error={tools.error} onRetry={() => void tools.refetch()} />
      ) : (
        <Stack gap="sm">
          {props.entity ? (
            <Text size="sm">
              On {props.entity.type} <Code>{props.entity.value}</Code>
            </Text>
          ) : (
            <Group grow align="flex-start">
              <Select
                label="Input type"
                data={ENTITY_TYPES.map((t) => ({ value: t, label: t }))}
                value={type}
                onChange={(v) => v && (setType(v as EntityType), reset())}
                allowDeselect={false}
              />
              <TextInput label="Input" placeholder="a username, domain, URL, file path…" value={value} onChange={(e) => setValue(e.currentTarget.value)} required />
            </Group>
          )}
          <Select
            label="Tool"
            placeholder={usable.length ? 'Pick a tool' : `No tool accepts ${inputType}`}
            data={usable.map((t) => ({ value: t.name, label: `${t.title} (${t.name})` }))}
            value={toolName}
            onChange={(v) => {
              setToolName(v);
              reset();
            }}
            searchable
            disabled={usable.length === 0}
          />
          {selected && (
            <>
              <Text size="sm" c="dimmed">
                {selected.description}
              </Text>
              <ToolParamsFields schema={selected.paramsSchema} value={params} onChange={setParams} />
            </>
          )}
          {run.error && (
            <Alert color="red" title="The run was refused" role="alert">
              {run.error.message}
            </Alert>
          )}
          {run.data && <RunResult run={run.data} />}
          <Group justify="flex-end">
            <Button variant="default" onClick={close}>
              {run.data ? 'Done' : 'Cancel'}
            </Button>
            <Button leftSection={<IconPlayerPlay size={16} />} onClick={() => run.mutate()} loading={run.isPending} disabled={!canRun}>
              Run
            </Button>
          </Group>
        </Stack>
      )}
    </Modal>
  );
}

interface SiteRow {
  site: string;
  status: string;
  url: string;
  reason: string;
  httpStatus: number | null;
}

/** What a run did: status, summary or error, the entities found, and per-site statuses for username.sites. */
export function RunResult({ run }: { run: ToolRunDetail }) {
  const sites = run.tool === 'username.sites' ? ((run.output as { sites?: SiteRow[] } | null)?.sites ?? []) : [];
  return (
    <Stack gap="xs" aria-label="Run result">
      <Group gap="xs">
        <RunStatusBadge status={run.status} />
        {run.errorKind && run.status === 'failed' && <Badge variant="outline" color={run.errorKind === 'transient' ? 'orange' : 'red'}>{run.errorKind}</Badge>}
        {run.durationMs !== null && <Text size="xs" c="dimmed">{run.durationMs} ms</Text>}
      </Group>
      {run.summary && <Text size="sm" fw={500}>{run.summary}</Text>}
      {run.error && (
        <Alert color={run.errorKind === 'transient' ? 'orange' : 'red'} role="alert">
          {run.error}
          {run.errorKind === 'transient' && ' — this may work if you try again later.'}
        </Alert>
      )}
      {run.entities.length > 0 && (
        <ScrollArea.Autosize mah={260}>
          <Table striped withTableBorder aria-label="Found entities" fz="sm">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>Type</Table.Th>
                <Table.Th>Value</Table.Th>
                <Table.Th>Label</Table.Th>
                <Table.Th>Evidence</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {run.entities.map((e) => (
                <Table.Tr key={e.id}>
                  <Table.Td>
                    <Badge variant="light">{e.type}</Badge>
                  </Table.Td>
                  <Table.Td style={{ wordBreak: 'break-all' }}>{e.value}</Table.Td>
                  <Table.Td>{e.label}</Table.Td>
                  <Table.Td>
                    {e.evidence?.httpStatus ? `HTTP ${e.evidence.httpStatus}` : ''}
                    {e.evidence?.sha256 ? (
                      <Text span size="xs" c="dimmed" title={`SHA-256 ${e.evidence.sha256}`}>
                        {' '}
                        sha256 {e.evidence.sha256.slice(0, 12)}…
                      </Text>
                    ) : null}
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </ScrollArea.Autosize>
      )}
      {sites.length > 0 && (
        <ScrollArea.Autosize mah={260}>
          <Table withTableBorder aria-label="Site results" fz="sm">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>Site</Table.Th>
                <Table.Th>Status</Table.Th>
                <Table.Th>Why</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {sites.map((s) => (
                <Table.Tr key={s.site}>
                  <Table.Td>{s.site}</Table.Td>
                  <Table.Td>
                    <SiteStatusBadge status={s.status} />
                  </Table.Td>
                  <Table.Td>
                    <Text size="xs" c="dimmed">
                      {s.reason}
                    </Text>
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </ScrollArea.Autosize>
      )}
    </Stack>
  );
}
