import { ActionIcon, Alert, Anchor, Badge, Breadcrumbs, Button, Collapse, Group, NumberInput, Paper, Select, Stack, Text, TextInput, Textarea, Title, Tooltip } from '@mantine/core';
import { IconArrowDown, IconArrowUp, IconDeviceFloppy, IconDownload, IconPlayerPlay, IconPlus, IconTrash, IconX } from '@tabler/icons-react';
import { useEffect, useState } from 'react';
import { Link, useNavigate, useParams } from 'react-router';
import { ENTITY_TYPES, type EntityType } from '../../../../preload/contract/entities.ts';
import { placeholdersOf, type Template } from '../../../../preload/contract/templates.ts';
import type { ToolInfo } from '../../../../preload/contract/tools.ts';
import { DossierError } from '../../../../preload/contract/errors.ts';
import { call, useAction, useCall } from '../../api/hooks.ts';
import { ConfirmButton } from '../../components/ConfirmButton.tsx';
import { ErrorState, Loading } from '../../components/States.tsx';
import { fieldErrors } from '../../lib/field-errors.ts';
import { downloadDataUrl } from '../graph/export-png.ts';
import { NewBatchDialog } from '../batches/NewBatchDialog.tsx';
import { ToolParamsFields } from '../batches/ToolParamsFields.tsx';

interface StepDraft {
  key: number;
  tool: string | null;
  input: string;
  inputType: EntityType | null;
  params: Record<string, unknown>;
}
interface RuleDraft {
  key: number;
  whenType: EntityType | null;
  tool: string | null;
  params: Record<string, unknown>;
}
interface Draft {
  name: string;
  description: string;
  steps: StepDraft[];
  followUps: RuleDraft[];
  maxDepth: number;
}

let nextKey = 1;
const newStep = (): StepDraft => ({ key: nextKey++, tool: null, input: '{{username}}', inputType: null, params: {} });
const newRule = (): RuleDraft => ({ key: nextKey++, whenType: null, tool: null, params: {} });
const EMPTY_DRAFT = (): Draft => ({ name: '', description: '', steps: [newStep()], followUps: [], maxDepth: 1 });

function fromTemplate(t: Template): Draft {
  return {
    name: t.name,
    description: t.description,
    steps: t.steps.map((s) => ({ key: nextKey++, tool: s.tool, input: s.input, inputType: s.inputType ?? null, params: s.params })),
    followUps: t.followUps.map((r) => ({ key: nextKey++, whenType: r.whenType, tool: r.tool, params: r.params })),
    maxDepth: t.maxDepth,
  };
}

/** Create (`/templates/new`) or edit (`/templates/:id`) a template. */
export function TemplateEditor() {
  const { id } = useParams();
  const isNew = !id || id === 'new';
  const q = useCall('templates.get', { id: id ?? '' }, { enabled: !isNew });
  if (!isNew && q.isPending) return <Loading label="Loading template…" />;
  if (!isNew && q.isError) return <ErrorState error={q.error} onRetry={() => void q.refetch()} />;
  return <Editor key={q.data ? `${q.data.id}:${q.data.version}` : 'new'} template={isNew ? null : (q.data ?? null)} />;
}

function Editor({ template }: { template: Template | null }) {
  const navigate = useNavigate();
  const tools = useCall('tools.list', {});
  const [draft, setDraft] = useState<Draft>(() => (template ? fromTemplate(template) : EMPTY_DRAFT()));
  const [running, setRunning] = useState(false);
  const [conflict, setConflict] = useState<number | null>(null);
  const create = useAction('templates.create', { invalidates: ['templates.list'], success: (t) => `Template “${t.name}” created` });
  const update = useAction('templates.update', { invalidates: ['templates.list', 'templates.get'], success: (t) => `Saved as version ${t.version}` });
  const remove = useAction('templates.delete', { invalidates: ['templates.list'], success: 'Template deleted' });
  const saving = create.isPending || update.isPending;
  const error = create.error ?? update.error;
  const errors = fieldErrors(error);
  const dirty = JSON.stringify(strip(draft)) !== JSON.stringify(strip(template ? fromTemplate(template) : EMPTY_DRAFT()));

  useEffect(() => setConflict(null), [template?.version]);

  const toolMap = new Map((tools.data ?? []).map((t) => [t.name, t]));
  const toolOptions = (tools.data ?? []).map((t) => ({ value: t.name, label: `${t.title} (${t.name})` }));
  const placeholders = [...new Set(draft.steps.flatMap((s) => placeholdersOf(s.input)))];
  const problems = validate(draft);

  const save = async () => {
    const body = {
      name: draft.name.trim(),
      description: draft.description,
      steps: draft.steps.map((s) => ({ tool: s.tool!, input: s.input.trim(), inputType: s.inputType ?? undefined, params: s.params })),
      followUps: draft.followUps.map((r) => ({ whenType: r.whenType!, tool: r.tool!, params: r.params })),
      maxDepth: draft.maxDepth,
    };
    try {
      if (!template) {
        const t = await create.mutateAsync(body);
        void navigate(`/templates/${t.id}`, { replace: true });
      } else {
        await update.mutateAsync({ id: template.id, expectedVersion: template.version, ...body });
      }
    } catch (e) {
      if (DossierError.is(e) && e.code === 'conflict') {
        const current = (e.details as { currentVersion?: number } | undefined)?.currentVersion;
        if (current) setConflict(current);
      }
    }
  };

  const exportJson = async () => {
    if (!template) return;
    const doc = await call('templates.export', { id: template.id });
    const url = `data:application/json;charset=utf-8,${encodeURIComponent(JSON.stringify(doc, null, 2))}`;
    downloadDataUrl(url, `${template.name.replace(/[^\w.-]+/g, '-')}.dossier-template.json`);
  };

  const setStep = (key: number, patch: Partial<StepDraft>) => setDraft((d) => ({ ...d, steps: d.steps.map((s) => (s.key === key ? { ...s, ...patch } : s)) }));
  const setRule = (key: number, patch: Partial<RuleDraft>) => setDraft((d) => ({ ...d, followUps: d.followUps.map((r) => (r.key === key ? { ...r, ...patch } : r)) }));
  const move = (i: number, by: number) =>
    setDraft((d) => {
      const steps = [...d.steps];
      const [s] = steps.splice(i, 1);
      steps.splice(i + by, 0, s!);
      return { ...d, steps };
    });

  return (
    <Stack gap="md" maw={1100}>
      <Breadcrumbs>
        <Anchor component={Link} to="/templates" size="sm">
          Templates
        </Anchor>
        <Text size="sm">{template ? template.name : 'New template'}</Text>
      </Breadcrumbs>
      <Group justify="space-between" align="center">
        <Group gap="sm">
          <Title order={2}>{template ? template.name : 'New template'}</Title>
          {template && (
            <Badge variant="default" size="lg" data-testid="template-version">
              version {template.version}
            </Badge>
          )}
          {template && <Text size="sm" c="dimmed">used {template.usageCount.toLocaleString()}×</Text>}
        </Group>
        <Group gap="xs">
          {template && (
            <>
              <Button variant="light" leftSection={<IconPlayerPlay size={16} />} onClick={() => setRunning(true)} disabled={dirty}>
                Run…
              </Button>
              <Button variant="default" leftSection={<IconDownload size={16} />} onClick={() => void exportJson()}>
                Export
              </Button>
              <ConfirmButton
                leftSection={<IconTrash size={16} />}
                title={`Delete “${template.name}”?`}
                message="The template is deleted. Batches already run from it are kept."
                confirmLabel="Delete template"
                onConfirm={() =>
                  remove
                    .mutateAsync({ id: template.id, expectedVersion: template.version })
                    .then(() => navigate('/templates', { replace: true }))
                    .catch(() => undefined)
                }
              >
                Delete
              </ConfirmButton>
            </>
          )}
          <Button leftSection={<IconDeviceFloppy size={16} />} onClick={() => void save()} loading={saving} disabled={problems.length > 0 || (!dirty && Boolean(template))}>
            {template ? 'Save' : 'Create template'}
          </Button>
        </Group>
      </Group>

      {conflict !== null && (
        <Alert color="orange" title="Changed elsewhere">
          This template is now at version {conflict}; your edits are based on version {template?.version}. Reload to see the newer version (your edits here
          will be lost), or copy what you need first.
          <Group mt="xs">
            <Button size="xs" variant="light" color="orange" onClick={() => window.location.reload()}>
              Reload
            </Button>
          </Group>
        </Alert>
      )}

      <Paper withBorder radius="md" p="md">
        <Stack gap="sm">
          <TextInput label="Name" required value={draft.name} onChange={(e) => setDraft({ ...draft, name: e.currentTarget.value })} error={errors.name} />
          <Textarea label="Description" autosize minRows={2} value={draft.description} onChange={(e) => setDraft({ ...draft, description: e.currentTarget.value })} />
        </Stack>
      </Paper>

      <Stack gap="xs">
        <Group justify="space-between">
          <Title order={4}>Steps</Title>
          <Text size="sm" c="dimmed">
            Inputs when run:{' '}
            {placeholders.length ? placeholders.map((p) => <Badge key={p} variant="light" tt="none" mr={4}>{`{{${p}}}`}</Badge>) : 'none yet'}
          </Text>
        </Group>
        {draft.steps.map((s, i) => (
          <StepCard
            key={s.key}
            index={i}
            step={s}
            count={draft.steps.length}
            tool={s.tool ? toolMap.get(s.tool) : undefined}
            toolOptions={toolOptions}
            onChange={(p) => setStep(s.key, p)}
            onMove={(by) => move(i, by)}
            onRemove={() => setDraft((d) => ({ ...d, steps: d.steps.filter((x) => x.key !== s.key) }))}
          />
        ))}
        <Button variant="default" leftSection={<IconPlus size={16} />} w="fit-content" onClick={() => setDraft((d) => ({ ...d, steps: [...d.steps, newStep()] }))} disabled={draft.steps.length >= 50}>
          Add step
        </Button>
      </Stack>

      <Stack gap="xs">
        <Group justify="space-between" align="flex-end">
          <div>
            <Title order={4}>Follow-up rules</Title>
            <Text size="sm" c="dimmed">
              When a step discovers an entity of a type, run a tool on it. Each (tool, input) runs once per batch.
            </Text>
          </div>
          <NumberInput
            label="Max depth"
            description="Generations of follow-ups"
            min={0}
            max={10}
            w={160}
            value={draft.maxDepth}
            onChange={(v) => typeof v === 'number' && setDraft({ ...draft, maxDepth: Math.max(0, Math.min(10, Math.round(v))) })}
          />
        </Group>
        {draft.followUps.length === 0 && <Text size="sm" c="dimmed">No follow-up rules.</Text>}
        {draft.followUps.map((r, i) => {
          const info = r.tool ? toolMap.get(r.tool) : undefined;
          return (
            <Paper withBorder radius="md" p="sm" key={r.key} role="group" aria-label={`Follow-up rule ${i + 1}`}>
              <Group align="flex-end" gap="xs" wrap="nowrap">
                <Text size="sm" pb={8}>
                  When a step discovers
                </Text>
                <Select aria-label="Entity type" placeholder="type" data={[...ENTITY_TYPES]} value={r.whenType} onChange={(v) => setRule(r.key, { whenType: v as EntityType | null })} w={160} searchable />
                <Text size="sm" pb={8}>
                  run
                </Text>
                <Select
                  aria-label="Follow-up tool"
                  placeholder="tool"
                  data={toolOptions.filter((o) => !r.whenType || toolMap.get(o.value)?.accepts.includes(r.whenType))}
                  value={r.tool}
                  onChange={(v) => setRule(r.key, { tool: v, params: {} })}
                  style={{ flex: 1 }}
                  searchable
                  nothingFoundMessage={r.whenType ? `No tool takes ${r.whenType}` : 'No tool'}
                />
                <Tooltip label="Remove rule">
                  <ActionIcon variant="subtle" color="gray" aria-label="Remove rule" mb={4} onClick={() => setDraft((d) => ({ ...d, followUps: d.followUps.filter((x) => x.key !== r.key) }))}>
                    <IconX size={16} />
                  </ActionIcon>
                </Tooltip>
              </Group>
              {info && (
                <Paper withBorder={false} pt="xs">
                  <ParamsDisclosure schema={info.paramsSchema} value={r.params} onChange={(params) => setRule(r.key, { params })} />
                </Paper>
              )}
            </Paper>
          );
        })}
        <Button variant="default" leftSection={<IconPlus size={16} />} w="fit-content" onClick={() => setDraft((d) => ({ ...d, followUps: [...d.followUps, newRule()] }))}>
          Add follow-up rule
        </Button>
      </Stack>

      {(problems.length > 0 || errors._form || errors.steps || errors.followUps) && (
        <Alert color={problems.length ? 'yellow' : 'red'} title={problems.length ? 'Before saving' : 'Could not save'}>
          <Stack gap={2}>
            {problems.map((p) => (
              <Text key={p} size="sm">
                {p}
              </Text>
            ))}
            {!problems.length && <Text size="sm">{error?.message}</Text>}
          </Stack>
        </Alert>
      )}
      {running && template && <NewBatchDialog template={template.id} onClose={() => setRunning(false)} />}
    </Stack>
  );
}

function StepCard(props: {
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
          <Select label="Tool" placeholder="Pick a tool" data={props.toolOptions} value={s.tool} onChange={(v) => props.onChange({ tool: v, params: {}, inputType: null })} searchable required />
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

/** Tool parameters folded away until wanted: most steps run with the defaults. */
function ParamsDisclosure(props: { schema: ToolInfo['paramsSchema']; value: Record<string, unknown>; onChange(v: Record<string, unknown>): void }) {
  const set = Object.keys(props.value).length;
  const [open, setOpen] = useState(set > 0);
  if (Object.keys(props.schema.properties ?? {}).length === 0) return null;
  return (
    <Stack gap="xs">
      <Anchor component="button" type="button" size="sm" onClick={() => setOpen((o) => !o)} aria-expanded={open} w="fit-content">
        {open ? 'Hide parameters' : set ? `Parameters (${set} set)` : 'Parameters (defaults)'}
      </Anchor>
      <Collapse expanded={open}>
        <ToolParamsFields schema={props.schema} value={props.value} onChange={props.onChange} columns={3} />
      </Collapse>
    </Stack>
  );
}

function validate(d: Draft): string[] {
  const out: string[] = [];
  if (!d.name.trim()) out.push('Give the template a name.');
  d.steps.forEach((s, i) => {
    if (!s.tool) out.push(`Step ${i + 1}: pick a tool.`);
    if (placeholdersOf(s.input).length === 0) out.push(`Step ${i + 1}: the input needs a {{placeholder}}.`);
  });
  d.followUps.forEach((r, i) => {
    if (!r.whenType || !r.tool) out.push(`Follow-up rule ${i + 1}: pick a type and a tool.`);
  });
  return out;
}

/** The draft without editor-only keys, to tell whether anything changed. */
function strip(d: Draft) {
  return {
    ...d,
    steps: d.steps.map(({ key: _k, ...s }) => s),
    followUps: d.followUps.map(({ key: _k, ...r }) => r),
  };
}
