import { Alert, Button, Group, Modal, SegmentedControl, Select, Stack, Text, Textarea, TextInput } from '@mantine/core';
import { useState, type FormEvent } from 'react';
import { useNavigate } from 'react-router';
import { DossierError } from '../../../../preload/contract/errors.ts';
import { EVERY_RE, type Watch } from '../../../../preload/contract/watches.ts';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { notifications } from '@mantine/notifications';
import type { InputOf } from '../../../../preload/contract/define.ts';
import type { Contract } from '../../../../preload/contract/index.ts';
import { call, useCall } from '../../api/hooks.ts';

type Field = 'investigationId' | 'tool' | 'template' | 'inputs' | 'name' | 'every' | 'cron' | 'timezone' | '_form';

/**
 * The core's refusal next to the field it concerns: zod issues by their last
 * path element (schedule.every → every), the core's own checks (croner, the
 * tool's params) by what they name, the rest above the buttons.
 */
function watchErrors(e: unknown): Partial<Record<Field, string>> {
  const msg = e instanceof Error ? e.message : String(e);
  if (!DossierError.is(e) || e.code !== 'invalid_input') return { _form: msg };
  const issues = (e.details as { issues?: { path: (string | number)[]; message: string }[] } | undefined)?.issues;
  if (!Array.isArray(issues) || !issues.length) {
    if (/^cron /.test(msg)) return { cron: msg };
    if (/^"[^"]*" is not an interval|at most once a minute/.test(msg)) return { every: msg };
    return { _form: msg };
  }
  const out: Partial<Record<Field, string>> = {};
  for (const i of issues) {
    const last = String(i.path[i.path.length - 1] ?? '_form');
    const key: Field =
      (['investigationId', 'tool', 'template', 'inputs', 'name', 'every', 'cron', 'timezone'] as const).find((f) => f === last || i.path.includes(f)) ??
      '_form';
    out[key] ??= i.message;
  }
  return out;
}

const splitInputs = (text: string) =>
  text
    .split(/\r?\n|,/)
    .map((s) => s.trim())
    .filter(Boolean);

/** Create a watch (a tool or template over inputs, in an investigation), or edit one (name, inputs, schedule). */
export function WatchDialog({ onClose, investigationId, watch }: { onClose: () => void; investigationId?: string; watch?: Watch }) {
  const editing = Boolean(watch);
  const navigate = useNavigate();
  const invs = useCall('investigations.list', { limit: 500 }, { enabled: !editing });
  const tools = useCall('tools.list', {}, { enabled: !editing });
  const templates = useCall('templates.list', { limit: 500 }, { enabled: !editing });
  const [inv, setInv] = useState<string | null>(watch?.investigationId ?? investigationId ?? null);
  const [kind, setKind] = useState<'tool' | 'template'>(watch?.kind ?? 'tool');
  const [tool, setTool] = useState<string | null>(watch?.tool ?? 'username.sites');
  const [template, setTemplate] = useState<string | null>(watch?.template ?? null);
  const [inputs, setInputs] = useState(watch?.inputs.join('\n') ?? '');
  const [name, setName] = useState(watch?.name ?? '');
  const [mode, setMode] = useState<'every' | 'cron'>(watch?.schedule.cron ? 'cron' : 'every');
  const [every, setEvery] = useState(watch?.schedule.every?.replace(/^every\s+/, '') ?? '6h');
  const [cron, setCron] = useState(watch?.schedule.cron ?? '0 9 * * *');
  const [timezone, setTimezone] = useState(watch?.schedule.timezone ?? (Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC'));
  const [errors, setErrors] = useState<Partial<Record<Field, string>>>({});
  const onError = (e: Error) => setErrors(watchErrors(e));
  // Refusals show in the form, next to their field (no toast): the dialog stays open with what was typed.
  const qc = useQueryClient();
  const refresh = () => {
    for (const m of ['watches.list', 'watches.get', 'watches.runs']) void qc.invalidateQueries({ queryKey: [m] });
  };
  const create = useMutation({
    mutationFn: (input: InputOf<Contract['watches.create']>) => call('watches.create', input),
    onSuccess: (w) => {
      refresh();
      notifications.show({ color: 'green', message: `Watch “${w.name}” created${w.nextRunAt ? '' : ' (paused)'}` });
    },
  });
  const update = useMutation({
    mutationFn: (input: InputOf<Contract['watches.update']>) => call('watches.update', input),
    onSuccess: () => {
      refresh();
      notifications.show({ color: 'green', message: 'Watch saved' });
    },
  });
  const values = splitInputs(inputs);
  const builtin = Boolean(watch?.builtin);
  const pending = create.isPending || update.isPending;

  function submit(e: FormEvent) {
    e.preventDefault();
    const local: Partial<Record<Field, string>> = {};
    if (!inv && !editing) local.investigationId = 'Choose an investigation';
    if (!editing && kind === 'tool' && !tool) local.tool = 'Choose a tool';
    if (!editing && kind === 'template' && !template) local.template = 'Choose a template';
    if (!builtin && values.length === 0) local.inputs = 'Give at least one input';
    if (mode === 'every' && !EVERY_RE.test(every.trim())) local.every = 'An interval like 30m, 6h or 1d';
    if (!timezone.trim()) local.timezone = 'A time zone, e.g. UTC or Europe/Berlin';
    setErrors(local);
    if (Object.keys(local).length) return;
    const schedule = mode === 'every' ? { every: every.trim(), timezone: timezone.trim() } : { cron: cron.trim(), timezone: timezone.trim() };
    if (watch) {
      const s = watch.schedule;
      const sameSchedule =
        mode === 'every'
          ? s.every === `every ${every.trim().replace(/^every\s+/i, '')}` && s.timezone === schedule.timezone
          : s.cron === cron.trim() && s.timezone === schedule.timezone;
      const sameInputs = values.join('\n') === watch.inputs.join('\n');
      update.mutate(
        { id: watch.id, name: name.trim() || undefined, inputs: builtin || sameInputs ? undefined : values, schedule: sameSchedule ? undefined : schedule },
        { onSuccess: onClose, onError },
      );
      return;
    }
    create.mutate(
      {
        investigationId: inv!,
        name: name.trim() || undefined,
        ...(kind === 'tool' ? { tool: tool ?? undefined } : { template: template ?? undefined }),
        inputs: values,
        schedule,
      },
      {
        onSuccess: (w) => {
          onClose();
          void navigate(`/watches/${w.id}`);
        },
        onError,
      },
    );
  }

  return (
    <Modal opened onClose={onClose} title={editing ? 'Edit watch' : 'New watch'} size="lg" closeButtonProps={{ 'aria-label': 'Close' }}>
      <form onSubmit={submit} noValidate>
        <Stack>
          {editing ? (
            <Text size="sm" c="dimmed">
              {watch!.tool ? `Tool ${watch!.tool}` : watch!.template ? `Template ${watch!.template}` : 'Built-in check'}; the target of a watch stays as it was
              created.
            </Text>
          ) : (
            <>
              <Select
                label="Investigation"
                required
                searchable
                allowDeselect={false}
                data={(invs.data?.items ?? []).map((i) => ({ value: i.id, label: i.name }))}
                value={inv}
                onChange={setInv}
                error={errors.investigationId}
              />
            </>
          )}
          <TextInput label="Name" placeholder="e.g. alice on social sites" value={name} onChange={(e) => setName(e.currentTarget.value)} error={errors.name} />
          {!editing && (
            <>
              <SegmentedControl
                aria-label="Run a tool or a template"
                value={kind}
                onChange={(v) => setKind(v as 'tool' | 'template')}
                data={[
                  { value: 'tool', label: 'Tool' },
                  { value: 'template', label: 'Template' },
                ]}
              />
              {kind === 'tool' ? (
                <Select
                  label="Tool"
                  required
                  allowDeselect={false}
                  searchable
                  data={(tools.data ?? []).map((t) => ({ value: t.name, label: `${t.name} — ${t.title}` }))}
                  value={tool}
                  onChange={setTool}
                  error={errors.tool}
                />
              ) : (
                <Select
                  label="Template"
                  required
                  allowDeselect={false}
                  description="A template with one placeholder, filled with each input"
                  data={(templates.data?.items ?? []).map((t) => ({ value: t.name, label: t.name }))}
                  value={template}
                  onChange={setTemplate}
                  error={errors.template}
                />
              )}
            </>
          )}
          {!builtin && (
            <Textarea
              label="Inputs"
              description={`One a line (or comma-separated)${values.length ? `: ${values.length} ${values.length === 1 ? 'input' : 'inputs'}` : ''}`}
              required
              autosize
              minRows={2}
              value={inputs}
              onChange={(e) => setInputs(e.currentTarget.value)}
              error={errors.inputs}
            />
          )}
          <SegmentedControl
            aria-label="Schedule kind"
            value={mode}
            onChange={(v) => setMode(v as 'every' | 'cron')}
            data={[
              { value: 'every', label: 'Every' },
              { value: 'cron', label: 'Cron' },
            ]}
          />
          <Group grow align="flex-start">
            {mode === 'every' ? (
              <TextInput label="Interval" description="e.g. 30m, 6h, 1d" value={every} onChange={(e) => setEvery(e.currentTarget.value)} error={errors.every} />
            ) : (
              <TextInput
                label="Cron expression"
                description="minute hour day month weekday"
                value={cron}
                onChange={(e) => setCron(e.currentTarget.value)}
                error={errors.cron}
              />
            )}
            <TextInput
              label="Time zone"
              description="IANA name, e.g. Europe/Berlin"
              value={timezone}
              onChange={(e) => setTimezone(e.currentTarget.value)}
              error={errors.timezone}
            />
          </Group>
          {errors._form && (
            <Alert color="red" variant="light" role="alert" title={editing ? 'Could not save' : 'Could not create'}>
              {errors._form}
            </Alert>
          )}
          <Group justify="flex-end">
            <Button variant="default" onClick={onClose}>
              Cancel
            </Button>
            <Button type="submit" loading={pending} disabled={!editing && !inv}>
              {editing ? 'Save' : 'Create watch'}
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
