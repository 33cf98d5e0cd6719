import { Anchor, Badge, Button, Group, Stack, Table, Text, TextInput, Title, Tooltip } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { IconFileImport, IconPlayerPlay, IconPlus, IconSearch } from '@tabler/icons-react';
import { useState } from 'react';
import { Link, useNavigate } from 'react-router';
import { useCall, useInvalidateOn } from '../../api/hooks.ts';
import { Empty, ErrorState, Loading } from '../../components/States.tsx';
import { formatDateTime, formatRelative } from '../../lib/time.ts';
import { NewBatchDialog } from '../batches/NewBatchDialog.tsx';
import { ImportTemplatesDialog } from './ImportTemplatesDialog.tsx';
import { Truncated } from '../../components/Truncated.tsx';

export function TemplateList() {
  const navigate = useNavigate();
  const [search, setSearch] = useState('');
  const [debounced] = useDebouncedValue(search.trim(), 250);
  const [running, setRunning] = useState<string | null>(null);
  const [importing, setImporting] = useState(false);
  const q = useCall('templates.list', { search: debounced || undefined, limit: 500 });
  useInvalidateOn(['templates.changed'], ['templates.list']);

  return (
    <Stack>
      <Group justify="space-between">
        <Title order={2}>Templates</Title>
        <Group gap="xs">
          <Button variant="default" leftSection={<IconFileImport size={16} />} onClick={() => setImporting(true)}>
            Import…
          </Button>
          <Button leftSection={<IconPlus size={16} />} onClick={() => void navigate('/templates/new')}>
            New template
          </Button>
        </Group>
      </Group>
      <TextInput aria-label="Search templates" placeholder="Search templates" leftSection={<IconSearch size={14} />} value={search} onChange={(e) => setSearch(e.currentTarget.value)} w={320} />
      {q.isPending ? (
        <Loading label="Loading templates…" />
      ) : q.isError ? (
        <ErrorState error={q.error} onRetry={() => void q.refetch()} />
      ) : q.data.items.length === 0 ? (
        <Empty title={debounced ? `No template matches “${debounced}”` : 'No templates yet'}>
          A template is a reusable recipe: steps such as “username.sites on {'{{username}}'}” and follow-up rules such as “when an email is found,
          run email.inspect on it”.
        </Empty>
      ) : (
        <Table highlightOnHover verticalSpacing="sm" aria-label="Templates">
          <Table.Thead>
            <Table.Tr>
              <Table.Th>Name</Table.Th>
              <Table.Th>Version</Table.Th>
              <Table.Th>Steps</Table.Th>
              <Table.Th>Follow-ups</Table.Th>
              <Table.Th>Inputs</Table.Th>
              <Table.Th>Used</Table.Th>
              <Table.Th>Updated</Table.Th>
              <Table.Th />
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {q.data.items.map((t) => (
              <Table.Tr key={t.id}>
                <Table.Td>
                  <Truncated text={t.name} maw={360}>
                    <Anchor component={Link} to={`/templates/${t.id}`} fw={600}>
                      {t.name}
                    </Anchor>
                  </Truncated>
                  {t.description && (
                    <Text size="xs" c="dimmed" component="div">
                      <Truncated text={t.description} maw={360} />
                    </Text>
                  )}
                </Table.Td>
                <Table.Td>
                  <Badge variant="default" size="sm">
                    v{t.version}
                  </Badge>
                </Table.Td>
                <Table.Td>
                  <Text size="sm" ff="monospace">
                    {t.steps.map((s) => s.tool).join(' → ')}
                  </Text>
                </Table.Td>
                <Table.Td>
                  <Text size="sm">{t.followUps.length ? `${t.followUps.length} (depth ${t.maxDepth})` : '—'}</Text>
                </Table.Td>
                <Table.Td>
                  <Group gap={4}>
                    {t.placeholders.map((p) => (
                      <Badge key={p} variant="light" size="sm" tt="none">{`{{${p}}}`}</Badge>
                    ))}
                  </Group>
                </Table.Td>
                <Table.Td>
                  <Text size="sm">{t.usageCount.toLocaleString()}×</Text>
                </Table.Td>
                <Table.Td>
                  <Tooltip label={formatDateTime(t.updatedAt)}>
                    <Text size="sm" c="dimmed">
                      {formatRelative(t.updatedAt)}
                    </Text>
                  </Tooltip>
                </Table.Td>
                <Table.Td>
                  <Button size="xs" variant="light" leftSection={<IconPlayerPlay size={14} />} onClick={() => setRunning(t.id)} aria-label={`Run ${t.name}`}>
                    Run
                  </Button>
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      )}
      {running && <NewBatchDialog template={running} onClose={() => setRunning(null)} />}
      {importing && <ImportTemplatesDialog onClose={() => setImporting(false)} />}
    </Stack>
  );
}
