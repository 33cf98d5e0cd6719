import { Code, CopyButton, Divider, Group, Paper, SimpleGrid, Stack, Text, Title, Tooltip, ActionIcon } from '@mantine/core';
import { IconCheck, IconCopy } from '@tabler/icons-react';
import { Fragment, type ReactNode } from 'react';
import type { SettingEntry } from '../../../../preload/contract/settings.ts';
import { useCall } from '../../api/hooks.ts';
import { ErrorState, Loading } from '../../components/States.tsx';
import { SettingField } from './SettingField.tsx';
import { splitKey } from './setting-kind.ts';
import { EgressPanel } from './EgressPanel.tsx';
import { TeamPanel } from './TeamPanel.tsx';

/** Readable titles for the key prefixes we know; others are capitalized as they are. */
const GROUP_TITLES: Record<string, string> = {
  ui: 'Interface',
  serve: 'Browser mode',
  relay: 'Webhook relay',
  executor: 'Batch executor',
  webhooks: 'Outbound webhooks',
  tools: 'Tools',
  sync: 'Team',
  egress: 'Egress',
};

const MODE_LABELS = { electron: 'Desktop app', browser: 'Browser mode', cli: 'Command line', test: 'Test' } as const;

export function SettingsPage() {
  const info = useCall('app.info', {});
  const list = useCall('settings.list', {});

  const groups = new Map<string, SettingEntry[]>();
  for (const e of list.data ?? []) {
    const g = splitKey(e.key).group;
    groups.set(g, [...(groups.get(g) ?? []), e]);
  }

  return (
    <Stack gap="lg" maw={1080}>
      <div>
        <Title order={2}>Settings</Title>
        <Text size="sm" c="dimmed">
          Stored in this installation’s database; the <Code>dossier config</Code> command changes the same values.
        </Text>
      </div>

      <Paper withBorder radius="md" p="lg" aria-label="About this installation" component="section">
        <Title order={4} mb="sm">
          About this installation
        </Title>
        {info.isPending ? (
          <Loading />
        ) : info.isError ? (
          <ErrorState error={info.error} onRetry={() => void info.refetch()} />
        ) : (
          <SimpleGrid cols={{ base: 1, sm: 3 }} spacing="lg">
            <Field label="Version">
              <Text size="sm" ff="monospace" data-testid="app-version">
                {info.data.version}
              </Text>
            </Field>
            <Field label="Running as">
              <Text size="sm" data-testid="app-mode">{MODE_LABELS[info.data.mode] ?? info.data.mode}</Text>
            </Field>
            <Field label="Data directory">
              <Group gap={4} wrap="nowrap">
                <Code fz="sm" data-testid="app-data-dir" style={{ overflowWrap: 'anywhere' }}>
                  {info.data.dataDir}
                </Code>
                <CopyButton value={info.data.dataDir}>
                  {({ copied, copy }) => (
                    <Tooltip label={copied ? 'Copied' : 'Copy path'}>
                      <ActionIcon variant="subtle" color={copied ? 'teal' : 'gray'} onClick={copy} aria-label="Copy data directory path">
                        {copied ? <IconCheck size={14} /> : <IconCopy size={14} />}
                      </ActionIcon>
                    </Tooltip>
                  )}
                </CopyButton>
              </Group>
            </Field>
          </SimpleGrid>
        )}
      </Paper>

      {list.isPending ? (
        <Loading label="Loading settings…" />
      ) : list.isError ? (
        <ErrorState error={list.error} onRetry={() => void list.refetch()} />
      ) : (
        [...groups].map(([group, entries]) => (
          <Paper key={group} withBorder radius="md" px="lg" py="sm" component="section" aria-label={GROUP_TITLES[group] ?? group}>
            <Title order={4} mt="xs">
              {GROUP_TITLES[group] ?? group.charAt(0).toUpperCase() + group.slice(1)}
            </Title>
            {group === 'egress' && <EgressPanel />}
            {group === 'sync' && <TeamPanel />}
            {entries.map((e, i) => (
              <Fragment key={e.key}>
                {i > 0 && <Divider />}
                <SettingField entry={e} />
              </Fragment>
            ))}
          </Paper>
        ))
      )}
    </Stack>
  );
}

function Field({ label, children }: { label: string; children: ReactNode }) {
  return (
    <Stack gap={2}>
      <Text size="xs" c="dimmed" tt="uppercase" fw={600}>
        {label}
      </Text>
      {children}
    </Stack>
  );
}
