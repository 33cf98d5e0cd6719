import { Alert, Anchor, Badge, Breadcrumbs, Button, Group, NumberInput, Paper, Stack, Switch, Text, TextInput, Textarea, Title } from '@mantine/core';
import { IconDeviceFloppy, IconDownload, IconPlayerPlay, IconPlus, IconTrash } from '@tabler/icons-react';
import { useEffect, useState } from 'react';
import { Link, useNavigate, useParams } from 'react-router';
import type { Template } from '../../../../preload/contract/templates.ts';
import { DossierError } from '../../../../preload/contract/errors.ts';
import { call, useAction, useCall } from '../../api/hooks.ts';
import { ConfirmButton } from '../../components/ConfirmButton.tsx';
import { ErrorState, Loading } from '../../components/States.tsx';
import { issuesByPath, issuesUnder } from '../../lib/field-errors.ts';
import { lengthError, lengthHint } from '../../lib/limits.ts';
import { downloadDataUrl } from '../graph/export-png.ts';
import { NewBatchDialog } from '../batches/NewBatchDialog.tsx';
import {
  draftPlaceholders,
  emptyDraft,
  fromTemplate,
  inputForTool,
  isDirty,
  moveStep,
  newRule,
  newStep,
  patchRule,
  patchStep,
  toBody,
  validate,
  DESCRIPTION_MAX,
  NAME_MAX,
  type Draft,
  type RuleDraft,
  type StepDraft,
} from './draft.ts';
import { FollowUpRuleCard } from './FollowUpRuleCard.tsx';
import { StepCard } from './StepCard.tsx';

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
  const [draft, setDraft] = useState<Draft>(() => (template ? fromTemplate(template) : emptyDraft()));
  const [running, setRunning] = useState(false);
  const [conflict, setConflict] = useState<number | null>(null);
  const create = useAction('templates.create', { invalidates: ['templates.list'], success: (t) => `Template “${t.name}” created`, formErrors: true });
  const update = useAction('templates.update', {
    invalidates: ['templates.list', 'templates.get'],
    success: (t) => `Saved as version ${t.version}`,
    formErrors: true,
  });
  const share = useAction('templates.share', {
    invalidates: ['templates.list', 'templates.get', 'sync.status', 'sync.templates'],
    success: 'Shared with the team; pushed by the next sync',
  });
  const unshare = useAction('templates.unshare', {
    invalidates: ['templates.list', 'templates.get', 'sync.status', 'sync.templates'],
    success: 'No longer shared; kept here as a local template',
  });
  const remove = useAction('templates.delete', { invalidates: ['templates.list'], success: 'Template deleted' });
  const saving = create.isPending || update.isPending;
  const error = create.error ?? update.error;
  // Each refusal under the field it concerns; only what names no field (or a field not on screen) goes in the alert.
  const issues = issuesByPath(error);
  const placed = [...issues.keys()].filter((k) => /^(name|description)$|^(steps|followUps)\.\d+\./.test(k));
  const unplaced = error && (placed.length === 0 || placed.length < issues.size) && !(DossierError.is(error) && error.code === 'conflict' && conflict !== null);
  const dirty = isDirty(draft, template);

  useEffect(() => setConflict(null), [template?.version]);
  // A refusal is about the draft that was saved: once it is edited, the marks would point at fixed fields.
  const { reset: resetCreate } = create;
  const { reset: resetUpdate } = update;
  useEffect(() => {
    resetCreate();
    resetUpdate();
  }, [draft, resetCreate, resetUpdate]);

  const toolMap = new Map((tools.data ?? []).map((t) => [t.name, t]));
  const toolOptions = (tools.data ?? []).map((t) => ({ value: t.name, label: `${t.title} (${t.name})` }));
  const placeholders = draftPlaceholders(draft);
  const problems = validate(draft);

  const save = async () => {
    const body = toBody(draft);
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

  const setStep = (key: number, patch: Partial<StepDraft>) => setDraft((d) => patchStep(d, key, patch));
  const setRule = (key: number, patch: Partial<RuleDraft>) => setDraft((d) => patchRule(d, key, patch));
  const move = (i: number, by: number) => setDraft((d) => moveStep(d, i, by));

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
          {template && (
            <Text size="sm" c="dimmed">
              used {template.usageCount.toLocaleString()}×
            </Text>
          )}
          {template && (
            <Switch
              label="Shared with team"
              checked={template.shared}
              disabled={share.isPending || unshare.isPending}
              onChange={(e) => (e.currentTarget.checked ? share : unshare).mutate({ id: template.id })}
            />
          )}
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
          <Button
            leftSection={<IconDeviceFloppy size={16} />}
            onClick={() => void save()}
            loading={saving}
            disabled={problems.length > 0 || (!dirty && Boolean(template))}
          >
            {template ? 'Save' : 'Create template'}
          </Button>
        </Group>
      </Group>

      {conflict !== null && (
        <Alert color="orange" title="Changed elsewhere">
          This template is now at version {conflict}; your edits are based on version {template?.version}. Reload to see the newer version (your edits here will
          be lost), or copy what you need first.
          <Group mt="xs">
            <Button size="xs" variant="light" color="orange" onClick={() => window.location.reload()}>
              Reload
            </Button>
          </Group>
        </Alert>
      )}

      <Paper withBorder radius="md" p="md">
        <Stack gap="sm">
          <TextInput
            label="Name"
            required
            value={draft.name}
            onChange={(e) => setDraft({ ...draft, name: e.currentTarget.value })}
            description={lengthHint(draft.name, NAME_MAX)}
            error={issues.get('name') ?? lengthError(draft.name, NAME_MAX)}
          />
          <Textarea
            label="Description"
            autosize
            minRows={2}
            value={draft.description}
            onChange={(e) => setDraft({ ...draft, description: e.currentTarget.value })}
            description={lengthHint(draft.description, DESCRIPTION_MAX)}
            error={issues.get('description') ?? lengthError(draft.description, DESCRIPTION_MAX)}
          />
        </Stack>
      </Paper>

      <Stack gap="xs">
        <Group justify="space-between">
          <Title order={4}>Steps</Title>
          <Text size="sm" c="dimmed">
            Inputs when run: {placeholders.length ? placeholders.map((p) => <Badge key={p} variant="light" tt="none" mr={4}>{`{{${p}}}`}</Badge>) : 'none yet'}
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
            errors={issuesUnder(issues, `steps.${i}`)}
            // A new tool brings its own input type: a bare type placeholder follows it.
            onChange={(p) => setStep(s.key, p.tool && p.tool !== s.tool ? { ...p, input: inputForTool(s.input, toolMap.get(p.tool)?.accepts) } : p)}
            onMove={(by) => move(i, by)}
            onRemove={() => setDraft((d) => ({ ...d, steps: d.steps.filter((x) => x.key !== s.key) }))}
          />
        ))}
        <Button
          variant="default"
          leftSection={<IconPlus size={16} />}
          w="fit-content"
          onClick={() => setDraft((d) => ({ ...d, steps: [...d.steps, newStep()] }))}
          disabled={draft.steps.length >= 50}
        >
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
        {draft.followUps.length === 0 && (
          <Text size="sm" c="dimmed">
            No follow-up rules.
          </Text>
        )}
        {draft.followUps.map((r, i) => (
          <FollowUpRuleCard
            key={r.key}
            index={i}
            rule={r}
            toolMap={toolMap}
            toolOptions={toolOptions}
            errors={issuesUnder(issues, `followUps.${i}`)}
            onChange={(p) => setRule(r.key, p)}
            onRemove={() => setDraft((d) => ({ ...d, followUps: d.followUps.filter((x) => x.key !== r.key) }))}
          />
        ))}
        <Button
          variant="default"
          leftSection={<IconPlus size={16} />}
          w="fit-content"
          onClick={() => setDraft((d) => ({ ...d, followUps: [...d.followUps, newRule()] }))}
        >
          Add follow-up rule
        </Button>
      </Stack>

      {problems.length > 0 && (
        <Alert color="yellow" title="Before saving">
          <Stack gap={2}>
            {problems.map((p) => (
              <Text key={p} size="sm">
                {p}
              </Text>
            ))}
          </Stack>
        </Alert>
      )}
      {problems.length === 0 && placed.length > 0 && (
        <Alert color="red" title="Could not save" role="alert">
          {placed.length === 1 ? 'One field needs a change; it is marked above.' : `${placed.length} fields need a change; they are marked above.`}
        </Alert>
      )}
      {problems.length === 0 && unplaced && (
        <Alert color="red" title="Could not save" role="alert">
          {error.message}
        </Alert>
      )}
      {running && template && <NewBatchDialog template={template.id} onClose={() => setRunning(false)} />}
    </Stack>
  );
}
