import { useEffect, useState, type FormEvent } from 'react';
import { Anchor, Button, Code, Group, JsonInput, NumberInput, PasswordInput, SegmentedControl, Select, Stack, Switch, Text, TextInput } from '@mantine/core';
import { useMantineColorScheme, type MantineColorScheme } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import type { SettingEntry } from '../../../../preload/contract/settings.ts';
import { call } from '../../api/hooks.ts';
import { draftOf, groupsDigits, sameValue, settingKind, splitKey, valueOf } from './setting-kind.ts';

type Draft = string | number | boolean;

/** One setting: its input, a Save button of its own, the core's validation message inline. */
export function SettingField({ entry }: { entry: SettingEntry }) {
  const kind = settingKind(entry);
  const { label } = splitKey(entry.key);
  const [draft, setDraft] = useState<Draft>(() => draftOf(kind, entry.value));
  const [error, setError] = useState<string | null>(null);
  const qc = useQueryClient();
  const { setColorScheme } = useMantineColorScheme();
  const inputId = `setting-${entry.key.replace(/\W+/g, '-')}`;

  // A save (here or elsewhere) changes the stored value; show it. Keyed on the value, not the entry object.
  const stored = JSON.stringify(entry.value);
  useEffect(() => {
    setDraft(draftOf(kind, entry.value));
    setError(null);
  }, [stored]);

  const parsed = valueOf(kind, draft);
  const dirty = !parsed.ok || !sameValue(parsed.value, entry.value);
  const isDefault = sameValue(entry.value, entry.default);

  const save = useMutation<SettingEntry, Error, unknown>({
    mutationFn: (value) => call('settings.set', { key: entry.key, value }),
    onSuccess: (saved) => {
      setError(null);
      void qc.invalidateQueries({ queryKey: ['settings.list'] });
      void qc.invalidateQueries({ queryKey: ['settings.get'] });
      if (saved.key === 'ui.theme') setColorScheme(saved.value as MantineColorScheme);
      notifications.show({ color: 'green', message: `Saved ${saved.key}` });
    },
    // The core's message says what is wrong with the value; it belongs next to the input.
    onError: (e) => setError(e.message),
  });

  function submit(ev: FormEvent) {
    ev.preventDefault();
    if (!parsed.ok) {
      setError(parsed.error);
      return;
    }
    save.mutate(parsed.value);
  }

  const change = (v: Draft) => {
    setDraft(v);
    if (error) setError(null);
  };
  const common = { id: inputId, error: error ?? undefined, 'aria-describedby': `${inputId}-desc` };

  let input;
  switch (kind.kind) {
    case 'choice':
      input =
        kind.options.length <= 4 ? (
          <Stack gap={4}>
            <SegmentedControl id={inputId} aria-label={label} data={kind.options} value={String(draft)} onChange={change} w="fit-content" />
            {error && (
              <Text size="xs" c="red" role="alert">
                {error}
              </Text>
            )}
          </Stack>
        ) : (
          <Select {...common} aria-label={label} data={kind.options} value={String(draft)} onChange={(v) => v !== null && change(v)} allowDeselect={false} />
        );
      break;
    case 'boolean':
      input = <Switch {...common} aria-label={label} checked={Boolean(draft)} onChange={(e) => change(e.currentTarget.checked)} />;
      break;
    case 'number':
      input = <NumberInput {...common} aria-label={label} value={draft as number | string} onChange={(v) => change(typeof v === 'number' ? v : '')} thousandSeparator={groupsDigits(entry.key) ? ' ' : undefined} allowDecimal />;
      break;
    case 'json':
      input = <JsonInput {...common} aria-label={label} value={String(draft)} onChange={change} autosize minRows={2} maxRows={10} formatOnBlur validationError="Not valid JSON" />;
      break;
    case 'secret':
      input = <PasswordInput {...common} aria-label={label} value={String(draft)} onChange={(e) => change(e.currentTarget.value)} />;
      break;
    default:
      input = <TextInput {...common} aria-label={label} value={String(draft)} onChange={(e) => change(e.currentTarget.value)} />;
  }

  return (
    <form onSubmit={submit} noValidate aria-label={`Setting ${entry.key}`}>
      <Group align="flex-start" justify="space-between" wrap="nowrap" gap="xl" py="md">
        <Stack gap={2} style={{ flex: '1 1 45%', minWidth: 0 }}>
          <Text fw={600} size="sm" component="label" htmlFor={inputId}>
            {label}
          </Text>
          <Text size="xs" c="dimmed" id={`${inputId}-desc`}>
            {entry.description}
          </Text>
          <Group gap={6} mt={2}>
            <Code fz="xs">{entry.key}</Code>
            {!isDefault && (
              <Text size="xs" c="dimmed">
                default <Code fz="xs">{JSON.stringify(entry.default)}</Code>{' '}
                <Anchor
                  component="button"
                  type="button"
                  size="xs"
                  onClick={() => change(draftOf(kind, entry.default))}
                  aria-label={`Reset ${entry.key} to default`}
                >
                  reset
                </Anchor>
              </Text>
            )}
          </Group>
        </Stack>
        <Group align="flex-start" gap="xs" wrap="nowrap" style={{ flex: '1 1 55%' }}>
          <div style={{ flex: 1, minWidth: 0 }}>{input}</div>
          <Button type="submit" variant={dirty ? 'filled' : 'default'} disabled={!dirty} loading={save.isPending} aria-label={`Save ${entry.key}`}>
            Save
          </Button>
        </Group>
      </Group>
    </form>
  );
}
