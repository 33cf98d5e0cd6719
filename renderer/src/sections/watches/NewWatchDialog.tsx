import { Button, Group, Modal, SegmentedControl, Select, Stack, Textarea, TextInput } from '@mantine/core';
import { useState } from 'react';
import { useNavigate } from 'react-router';
import { useAction, useCall } from '../../api/hooks.ts';

/** Create a watch: a tool (or template) over inputs in an investigation, every N or on a cron schedule. */
export function NewWatchDialog({ onClose, investigationId }: { onClose: () => void; investigationId?: string }) {
  const navigate = useNavigate();
  const invs = useCall('investigations.list', { limit: 500 });
  const tools = useCall('tools.list', {});
  const templates = useCall('templates.list', { limit: 500 });
  const [inv, setInv] = useState<string | null>(investigationId ?? null);
  const [kind, setKind] = useState<'tool' | 'template'>('tool');
  const [tool, setTool] = useState<string | null>('username.sites');
  const [template, setTemplate] = useState<string | null>(null);
  const [inputs, setInputs] = useState('');
  const [name, setName] = useState('');
  const [mode, setMode] = useState<'every' | 'cron'>('every');
  const [every, setEvery] = useState('6h');
  const [cron, setCron] = useState('0 9 * * *');
  const [timezone, setTimezone] = useState(Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC');
  const create = useAction('watches.create', { invalidates: ['watches.list'], success: (w) => `Watch “${w.name}” created; next run ${w.nextRunAt ?? 'when resumed'}` });
  const values = inputs.split(/\r?\n|,/).map((s) => s.trim()).filter(Boolean);

  return (
    <Modal opened onClose={onClose} title="New watch" size="lg" closeButtonProps={{ 'aria-label': 'Close' }}>
      <form
        onSubmit={(e) => {
          e.preventDefault();
          if (!inv) return;
          create.mutate(
            {
              investigationId: inv,
              name: name.trim() || undefined,
              ...(kind === 'tool' ? { tool: tool ?? undefined } : { template: template ?? undefined }),
              inputs: values,
              schedule: mode === 'every' ? { every, timezone } : { cron, timezone },
            },
            { onSuccess: (w) => { onClose(); void navigate(`/watches/${w.id}`); } },
          );
        }}
      >
        <Stack>
          <Select label="Investigation" required searchable data={(invs.data?.items ?? []).map((i) => ({ value: i.id, label: i.name }))} value={inv} onChange={setInv} />
          <TextInput label="Name" placeholder="e.g. alice on social sites" value={name} onChange={(e) => setName(e.currentTarget.value)} />
          <SegmentedControl aria-label="Run a tool or a template" value={kind} onChange={(v) => setKind(v as 'tool' | 'template')} data={[{ value: 'tool', label: 'Tool' }, { value: 'template', label: 'Template' }]} />
          {kind === 'tool' ? (
            <Select label="Tool" required data={(tools.data ?? []).map((t) => ({ value: t.name, label: `${t.name} — ${t.title}` }))} value={tool} onChange={setTool} />
          ) : (
            <Select label="Template" required data={(templates.data?.items ?? []).map((t) => ({ value: t.name, label: t.name }))} value={template} onChange={setTemplate} />
          )}
          <Textarea label="Inputs" description="One a line (or comma-separated)" required autosize minRows={2} value={inputs} onChange={(e) => setInputs(e.currentTarget.value)} />
          <SegmentedControl aria-label="Schedule kind" value={mode} onChange={(v) => setMode(v as 'every' | 'cron')} data={[{ value: 'every', label: 'Every' }, { value: 'cron', label: 'Cron' }]} />
          <Group grow>
            {mode === 'every' ? (
              <TextInput label="Interval" description="e.g. 30m, 6h, 1d" value={every} onChange={(e) => setEvery(e.currentTarget.value)} />
            ) : (
              <TextInput label="Cron expression" description="minute hour day month weekday" value={cron} onChange={(e) => setCron(e.currentTarget.value)} />
            )}
            <TextInput label="Time zone" description="IANA name, e.g. Europe/Berlin" value={timezone} onChange={(e) => setTimezone(e.currentTarget.value)} />
          </Group>
          <Group justify="flex-end">
            <Button variant="default" onClick={onClose}>Cancel</Button>
            <Button type="submit" loading={create.isPending} disabled={!inv || values.length === 0}>Create watch</Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
