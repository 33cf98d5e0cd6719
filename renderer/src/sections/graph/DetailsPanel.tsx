import { useVerdicts, VerdictControl } from '../verdicts/verdicts.tsx';
import { Anchor, Badge, Button, Code, CopyButton, Divider, Group, ScrollArea, Stack, Table, Text, Title, Tooltip } from '@mantine/core';
import { IconBolt, IconCopy, IconCheck, IconLink, IconPencil, IconStack2 } from '@tabler/icons-react';
import { useState, type ReactNode } from 'react';
import { Link } from 'react-router';
import type { Entity, EntityType } from '../../../../preload/contract/entities.ts';
import type { GraphNode } from '../../../../preload/contract/graph.ts';
import { useCall, useInvalidateOn } from '../../api/hooks.ts';
import { EditEntityDialog } from '../investigations/entities/EditEntityDialog.tsx';
import { LinkEntityDialog } from '../investigations/entities/LinkEntityDialog.tsx';
import { ErrorState, Loading } from '../../components/States.tsx';
import { entityColor } from '../../lib/entity-colors.ts';
import { formatDateTime } from '../../lib/time.ts';
import { nodeCaption } from './to-vis.ts';

export function TypeBadge({ type }: { type: EntityType }) {
  return (
    <Badge size="sm" variant="filled" color={entityColor(type)} autoContrast>
      {type}
    </Badge>
  );
}

/** The right-hand panel: what is selected, where it came from, and what proves it. */
export function DetailsPanel(props: {
  selection: { nodes: string[]; edges: string[] };
  nodesById: ReadonlyMap<string, GraphNode>;
  onRunTool(entity: GraphNode): void;
  onBatch(): void;
  onFocus(id: string): void;
}) {
  const { nodes, edges } = props.selection;
  let body: ReactNode;
  if (nodes.length > 1) body = <MultiSelection ids={nodes} nodesById={props.nodesById} onBatch={props.onBatch} />;
  else if (nodes.length === 1) body = <EntityDetails id={nodes[0]!} onRunTool={props.onRunTool} onBatch={props.onBatch} />;
  else if (edges.length === 1) body = <LinkDetails id={edges[0]!} onFocus={props.onFocus} />;
  else
    body = (
      <Text size="sm" c="dimmed">
        Select a node or a link to see its details. Ctrl- or shift-click adds to the selection; shift-drag draws a box; right-click a node
        for actions.
      </Text>
    );
  return (
    <ScrollArea h="100%" type="auto" offsetScrollbars>
      <Stack gap="sm" p="sm" aria-label="Details" role="region">
        {body}
      </Stack>
    </ScrollArea>
  );
}

function MultiSelection({ ids, nodesById, onBatch }: { ids: string[]; nodesById: ReadonlyMap<string, GraphNode>; onBatch(): void }) {
  const byType = new Map<EntityType, number>();
  for (const id of ids) {
    const n = nodesById.get(id);
    if (n) byType.set(n.type, (byType.get(n.type) ?? 0) + 1);
  }
  return (
    <>
      <Title order={4}>{ids.length.toLocaleString()} entities selected</Title>
      <Group gap={6}>
        {[...byType].map(([t, n]) => (
          <Badge key={t} variant="light" color={entityColor(t)} leftSection={<span>{n}</span>}>
            {t}
          </Badge>
        ))}
      </Group>
      <Button leftSection={<IconStack2 size={16} />} onClick={onBatch} w="fit-content">
        Run batch over selection…
      </Button>
    </>
  );
}

/**
 * One entity: where it came from and what proves it, with its actions. The graph's panel and the entity
 * table's drawer both show this (issue #18 item 4), so the two never disagree.
 */
export function EntityDetails({ id, onRunTool, onBatch }: { id: string; onRunTool(e: GraphNode): void; onBatch?: () => void }) {
  const q = useCall('entities.get', { id });
  const [editing, setEditing] = useState(false);
  const [linking, setLinking] = useState(false);
  // An edit here, in another window or by the CLI (through serve) shows at once.
  useInvalidateOn(['entities.changed'], ['entities.get']);
  if (q.isPending) return <Loading label="Loading entity…" />;
  if (q.isError) return <ErrorState error={q.error} onRetry={() => void q.refetch()} />;
  const e = q.data;
  return (
    <>
      <Group gap="xs" wrap="nowrap" align="flex-start">
        <TypeBadge type={e.type} />
        <Title order={4} style={{ wordBreak: 'break-all' }}>
          {nodeCaption(e)}
        </Title>
      </Group>
      <Group gap={4} wrap="nowrap">
        <Code style={{ wordBreak: 'break-all' }}>{e.value}</Code>
        <CopyValue value={e.value} />
      </Group>
      <EntityVerdict entityId={e.id} investigationId={e.investigationId} label={`${e.type} ${e.value}`} />
      <Group gap="xs">
        <Button size="xs" leftSection={<IconBolt size={14} />} onClick={() => onRunTool({ id: e.id, type: e.type, value: e.value, label: e.label })}>
          Run tool…
        </Button>
        {onBatch && (
          <Button size="xs" variant="default" leftSection={<IconStack2 size={14} />} onClick={onBatch}>
            Batch…
          </Button>
        )}
        <Button size="xs" variant="default" leftSection={<IconPencil size={14} />} onClick={() => setEditing(true)}>
          Edit…
        </Button>
        <Button size="xs" variant="default" leftSection={<IconLink size={14} />} onClick={() => setLinking(true)}>
          Link…
        </Button>
      </Group>
      {editing && <EditEntityDialog entity={e} onClose={() => setEditing(false)} />}
      {linking && <LinkEntityDialog entity={e} onClose={() => setLinking(false)} />}
      <Facts
        rows={[
          ['First seen', formatDateTime(e.firstSeen)],
          ['Last seen', formatDateTime(e.lastSeen)],
        ]}
      />
      <Section title="Notes">
        <Text size="sm" c={e.notes ? undefined : 'dimmed'} style={{ whiteSpace: 'pre-wrap', wordBreak: 'break-word' }} aria-label="Notes">
          {e.notes || 'None'}
        </Text>
      </Section>
      <Section title="Properties">
        {Object.keys(e.properties).length === 0 ? (
          <Text size="sm" c="dimmed">None</Text>
        ) : (
          <Facts rows={Object.entries(e.properties).map(([k, v]) => [k, typeof v === 'string' ? v : JSON.stringify(v)])} />
        )}
      </Section>
      <Section title="Provenance">
        <Provenance runId={e.sourceRunId} tool={e.evidence?.tool} />
      </Section>
      <Section title="Evidence">
        <EvidenceView evidence={e.evidence} />
      </Section>
    </>
  );
}

/** Where the entity's run id comes from (a single run or a batch operation) is the core's to decode. */
function Provenance({ runId, tool }: { runId: string | null; tool?: unknown }) {
  const q = useCall('toolRuns.provenance', { runId: runId ?? '' }, { enabled: Boolean(runId), retry: false });
  if (!runId) return <Text size="sm" c="dimmed">Added by hand, not found by a tool.</Text>;
  if (q.isPending) return <Loading label="Loading run…" />;
  if (q.isError) return <Facts rows={[['Tool', typeof tool === 'string' ? tool : '—'], ['Run', runId]]} />;
  const p = q.data;
  if (p.kind === 'operation') return <BatchProvenance batchId={p.batchId} seq={p.seq} batch={p.batch} tool={typeof tool === 'string' ? tool : null} />;
  const r = p.run;
  return (
    <Facts
      rows={[
        ['Tool', r.tool],
        ['Input', `${r.input.type}: ${r.input.value}`],
        ['Status', r.status],
        ['Run at', formatDateTime(r.startedAt)],
        ['Took', r.durationMs === null ? '—' : `${r.durationMs.toLocaleString()} ms`],
        ['Summary', r.summary ?? '—'],
        ['Run id', r.id],
      ]}
    />
  );
}

function BatchProvenance({ batchId, seq, batch, tool }: { batchId: string; seq: number; batch: { name: string; tool: string | null } | null; tool: string | null }) {
  return (
    <Facts
      rows={[
        ['Tool', batch?.tool ?? tool ?? '—'],
        [
          'Batch',
          batch ? (
            <Anchor component={Link} to={`/batches/${batchId}`} size="sm">
              {batch.name}
            </Anchor>
          ) : (
            'deleted batch'
          ),
        ],
        ['Operation', `#${seq}`],
      ]}
    />
  );
}

function EvidenceView({ evidence }: { evidence: Entity['evidence'] }) {
  if (!evidence) return <Text size="sm" c="dimmed">No evidence recorded.</Text>;
  const { httpStatus, finalUrl, excerpt, sha256, observedAt } = evidence;
  return (
    <Stack gap={6}>
      <Facts
        rows={[
          ['HTTP status', httpStatus === undefined ? '—' : String(httpStatus)],
          [
            'Final URL',
            finalUrl ? (
              <Anchor href={finalUrl} target="_blank" rel="noreferrer noopener" size="sm" style={{ wordBreak: 'break-all' }}>
                {finalUrl}
              </Anchor>
            ) : (
              '—'
            ),
          ],
          ['Observed', formatDateTime(observedAt)],
          [
            'SHA-256',
            sha256 ? (
              <Group gap={4} wrap="nowrap">
                <Code style={{ wordBreak: 'break-all' }}>{sha256}</Code>
                <CopyValue value={sha256} />
              </Group>
            ) : (
              '—'
            ),
          ],
        ]}
      />
      {excerpt && (
        <Code block style={{ whiteSpace: 'pre-wrap', wordBreak: 'break-word', maxHeight: 220, overflow: 'auto' }} aria-label="Response excerpt">
          {excerpt}
        </Code>
      )}
    </Stack>
  );
}

function LinkDetails({ id, onFocus }: { id: string; onFocus(id: string): void }) {
  const q = useCall('graph.link', { id });
  if (q.isPending) return <Loading label="Loading link…" />;
  if (q.isError) return <ErrorState error={q.error} onRetry={() => void q.refetch()} />;
  const { link, source, target } = q.data;
  const end = (n: GraphNode) => (
    <Group gap={6} wrap="nowrap">
      <TypeBadge type={n.type} />
      <Anchor component="button" size="sm" onClick={() => onFocus(n.id)} style={{ wordBreak: 'break-all', textAlign: 'left' }}>
        {nodeCaption(n)}
      </Anchor>
    </Group>
  );
  return (
    <>
      <Title order={4}>{link.type.replace(/_/g, ' ')}</Title>
      <Facts
        rows={[
          ['From', end(source)],
          ['To', end(target)],
          ['Created', formatDateTime(link.createdAt)],
        ]}
      />
      {Object.keys(link.properties).length > 0 && (
        <Section title="Properties">
          <Facts rows={Object.entries(link.properties).map(([k, v]) => [k, typeof v === 'string' ? v : JSON.stringify(v)])} />
        </Section>
      )}
      <Section title="Provenance">
        <Provenance runId={link.sourceRunId} />
      </Section>
    </>
  );
}

function Section({ title, children }: { title: string; children: ReactNode }) {
  return (
    <Stack gap={6}>
      <Divider label={title} labelPosition="left" />
      {children}
    </Stack>
  );
}

function Facts({ rows }: { rows: Array<[string, ReactNode]> }) {
  return (
    <Table withRowBorders={false} verticalSpacing={3} horizontalSpacing={4} layout="fixed">
      <Table.Tbody>
        {rows.map(([k, v]) => (
          <Table.Tr key={k}>
            <Table.Th w={96} fw={500} c="dimmed" fz="xs" style={{ verticalAlign: 'top' }}>
              {k}
            </Table.Th>
            <Table.Td fz="sm" style={{ wordBreak: 'break-word' }}>
              {v}
            </Table.Td>
          </Table.Tr>
        ))}
      </Table.Tbody>
    </Table>
  );
}

function CopyValue({ value }: { value: string }) {
  return (
    <CopyButton value={value}>
      {({ copied, copy }) => (
        <Tooltip label={copied ? 'Copied' : 'Copy'} withArrow>
          <Button variant="subtle" size="compact-xs" onClick={copy} aria-label="Copy value">
            {copied ? <IconCheck size={14} /> : <IconCopy size={14} />}
          </Button>
        </Tooltip>
      )}
    </CopyButton>
  );
}

/** The verdict on this find (given here or remembered for its site and username) and the control to change it. */
function EntityVerdict({ entityId, investigationId, label }: { entityId: string; investigationId: string; label: string }) {
  const verdicts = useVerdicts(investigationId);
  return (
    <Group gap="xs">
      <Text size="sm" c="dimmed">Verdict</Text>
      <VerdictControl entityId={entityId} label={label} verdict={verdicts.get(entityId)} />
    </Group>
  );
}
