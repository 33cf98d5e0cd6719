import { useState } from 'react';
import { Alert, Anchor, Badge, Button, FileButton, Group, List, Pagination, Paper, Select, Stack, Switch, Table, Text, TextInput } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { IconFileImport, IconSearch } from '@tabler/icons-react';
import { keepPreviousData, useMutation, useQueryClient } from '@tanstack/react-query';
import type { Contract } from '../../../../preload/contract/index.ts';
import type { InputOf } from '../../../../preload/contract/define.ts';
import { SITE_FORMATS, type SiteFormat, type SiteImportReport } from '../../../../preload/contract/tools.ts';
import { call, useAction, useCall, useInvalidateOn } from '../../api/hooks.ts';
import { ConfirmButton } from '../../components/ConfirmButton.tsx';
import { CheckSitesBar, SiteHealthCell, useSiteHealth } from './SiteHealth.tsx';
import { Empty, ErrorState, Loading } from '../../components/States.tsx';

const FORMAT_LABELS: Record<SiteFormat, string> = { dossier: 'Dossier', sherlock: 'Sherlock data.json', maigret: 'Maigret data.json', whatsmyname: 'WhatsMyName wmn-data.json' };

const PAGE = 50;

/** The active site manifest: where it comes from, its sites, and importing Sherlock/Maigret/Dossier files. */
export function SiteManifestView() {
  const [search, setSearch] = useState('');
  const [debounced] = useDebouncedValue(search, 200);
  const [page, setPage] = useState(1);
  const q = useCall('sites.list', { search: debounced || undefined, limit: PAGE, offset: (page - 1) * PAGE }, { placeholderData: keepPreviousData });
  useInvalidateOn(['tools.config.changed'], ['sites.list', 'tools.list']);
  const health = useSiteHealth();
  // username.sites checks only enabled sites: turning one off here is what `disabled` in a manifest file does.
  const setEnabled = useAction('sites.setEnabled', {
    invalidates: ['sites.list', 'tools.list'],
    success: (r) => `${r.enabled.toLocaleString()} sites enabled`,
  });
  const [format, setFormat] = useState<SiteFormat | null>(null);
  const [merge, setMerge] = useState(false);
  const [report, setReport] = useState<SiteImportReport | null>(null);
  const [fileError, setFileError] = useState<string | null>(null);
  const qc = useQueryClient();
  // Errors show inline with the file's problems, not as a toast.
  const importer = useMutation<SiteImportReport, Error, InputOf<Contract['sites.import']>>({
    mutationFn: (input) => call('sites.import', input),
    onSuccess: () => {
      for (const m of ['sites.list', 'tools.list']) void qc.invalidateQueries({ queryKey: [m] });
    },
  });
  const reset = useAction('sites.reset', { invalidates: ['sites.list', 'tools.list'], success: (r) => `Using the bundled manifest (${r.sites} sites)` });

  async function onFile(file: File | null) {
    if (!file) return;
    setReport(null);
    setFileError(null);
    let content: string;
    try {
      content = await file.text();
    } catch (e) {
      setFileError(`Could not read ${file.name}: ${(e as Error).message}`);
      return;
    }
    importer.mutate({ content, format: format ?? undefined, mode: merge ? 'merge' : 'replace' }, { onSuccess: setReport, onError: (e) => setFileError(e.message) });
  }

  return (
    <Stack gap="md">
      <Paper withBorder p="md">
        <Stack gap="sm">
          {q.data && (
            <Group gap="xs" aria-label="Manifest summary">
              <Text fw={600}>{q.data.total === 0 && !debounced ? 'No sites' : `${debounced ? q.data.total + ' matching of ' : ''}${q.data.enabled} enabled sites`}</Text>
              <Badge variant="light" color={q.data.source === 'bundled' ? 'blue' : 'teal'}>
                {q.data.source === 'bundled' ? 'bundled manifest' : 'imported manifest'}
              </Badge>
              <Text size="sm" c="dimmed">
                written {q.data.written}
              </Text>
            </Group>
          )}
          <Group align="flex-end">
            <Select
              label="Format"
              placeholder="Detect"
              data={SITE_FORMATS.map((f) => ({ value: f, label: FORMAT_LABELS[f] }))}
              value={format}
              onChange={(v) => setFormat(v as SiteFormat | null)}
              clearable
              w={220}
            />
            <Switch label="Merge into the current manifest" checked={merge} onChange={(e) => setMerge(e.currentTarget.checked)} mb={8} />
            <FileButton onChange={(f) => void onFile(f)} accept="application/json,.json">
              {(props) => (
                <Button {...props} leftSection={<IconFileImport size={16} />} loading={importer.isPending}>
                  Import file…
                </Button>
              )}
            </FileButton>
            {q.data?.source === 'data' && (
              <ConfirmButton title="Use the bundled manifest?" message="The imported manifest is removed and username.sites uses the bundled sites again." confirmLabel="Use bundled" onConfirm={() => reset.mutateAsync({})} variant="default" color="gray">
                Use bundled manifest
              </ConfirmButton>
            )}
          </Group>
          {fileError && (
            <Alert color="red" role="alert" title="Import refused">
              {fileError}
            </Alert>
          )}
          {report && (
            <Alert color={report.unsupported.length ? 'yellow' : 'green'} title={`Imported ${report.imported} of ${report.total} ${report.format} entries`}>
              <Text size="sm">The active manifest now has {report.sites} sites.</Text>
              {report.unsupported.length > 0 && (
                <>
                  <Text size="sm" mt="xs">
                    {report.unsupported.length} entries could not be used:
                  </Text>
                  <List size="xs" mah={160} style={{ overflow: 'auto' }}>
                    {report.unsupported.slice(0, 200).map((u) => (
                      <List.Item key={u.name}>
                        <b>{u.name}</b>: {u.reason}
                      </List.Item>
                    ))}
                  </List>
                </>
              )}
            </Alert>
          )}
        </Stack>
      </Paper>
      <CheckSitesBar />
      <TextInput
        aria-label="Search sites"
        placeholder="Search by name or tag"
        leftSection={<IconSearch size={16} />}
        value={search}
        onChange={(e) => {
          setSearch(e.currentTarget.value);
          setPage(1);
        }}
        maw={360}
      />
      {q.isPending ? (
        <Loading />
      ) : q.error ? (
        <ErrorState error={q.error} onRetry={() => void q.refetch()} />
      ) : q.data.items.length === 0 ? (
        <Empty title="No site matches" />
      ) : (
        <>
          <Table striped withTableBorder aria-label="Sites">
            <Table.Thead>
              <Table.Tr>
                <Table.Th w={80}>Enabled</Table.Th>
                <Table.Th>Site</Table.Th>
                <Table.Th>Detection</Table.Th>
                <Table.Th>Tags</Table.Th>
                <Table.Th>Known claimed / free</Table.Th>
                <Table.Th>Health</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {q.data.items.map((s) => (
                <Table.Tr key={s.name}>
                  <Table.Td>
                    <Switch
                      aria-label={`Check ${s.name}`}
                      checked={!s.disabled}
                      disabled={setEnabled.isPending}
                      onChange={(e) => setEnabled.mutate({ names: [s.name], enabled: e.currentTarget.checked })}
                    />
                  </Table.Td>
                  <Table.Td style={s.disabled ? { opacity: 0.5 } : undefined}>
                    <Text size="sm" fw={500}>
                      {s.urlMain ? (
                        <Anchor href={s.urlMain} target="_blank" rel="noreferrer noopener">
                          {s.name}
                        </Anchor>
                      ) : (
                        s.name
                      )}{' '}
                      {s.disabled && <Badge size="xs" color="gray">disabled</Badge>}
                    </Text>
                    <Text size="xs" c="dimmed" ff="monospace">
                      {s.url}
                    </Text>
                  </Table.Td>
                  <Table.Td>
                    <Group gap={4}>
                      {s.kinds.map((k) => (
                        <Badge key={k} variant="outline" size="sm" miw="max-content">
                          {k.replace('_', ' ')}
                        </Badge>
                      ))}
                    </Group>
                  </Table.Td>
                  <Table.Td>
                    <Text size="xs">{s.tags.join(', ')}</Text>
                  </Table.Td>
                  <Table.Td>
                    <Text size="xs" ff="monospace">
                      {s.claimed} / {s.unclaimed}
                    </Text>
                  </Table.Td>
                  <Table.Td>
                    <SiteHealthCell site={s.name} health={health.get(s.name)} />
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
          {q.data.total > PAGE && <Pagination total={Math.ceil(q.data.total / PAGE)} value={page} onChange={setPage} aria-label="Site pages" />}
        </>
      )}
    </Stack>
  );
}
