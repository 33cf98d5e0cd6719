import { useState } from 'react';
import { Anchor, Badge, Breadcrumbs, Button, Group, Paper, Spoiler, Stack, Tabs, Text, Title, Tooltip } from '@mantine/core';
import { IconArchive, IconArchiveOff, IconDownload, IconPencil, IconTableImport, IconTrash } from '@tabler/icons-react';
import { Link, useNavigate, useParams } from 'react-router';
import { DossierError } from '../../../../preload/contract/errors.ts';
import { useCall, useInvalidateOn } from '../../api/hooks.ts';
import { ConfirmButton } from '../../components/ConfirmButton.tsx';
import { Empty, ErrorState, Loading } from '../../components/States.tsx';
import { formatDateTime, formatRelative } from '../../lib/time.ts';
import { InvestigationFormDialog } from './InvestigationFormDialog.tsx';
import { StatusBadge } from './StatusBadge.tsx';
import { TagList } from './TagList.tsx';
import { useInvestigationActions } from './actions.ts';
import { INVESTIGATION_TABS } from './tabs.tsx';
import { RunToolButton } from '../tools/RunToolButton.tsx';
import { ExportDialog } from '../reports/ExportDialog.tsx';
import { ImportEntitiesDialog } from '../reports/ImportEntitiesDialog.tsx';

/** `/investigations/:id/:tab?` — header with the record and its actions, then the tabs. */
export function InvestigationPage() {
  const { id = '', tab } = useParams();
  const navigate = useNavigate();
  const [editing, setEditing] = useState(false);
  const [exporting, setExporting] = useState(false);
  const [importing, setImporting] = useState(false);
  const actions = useInvestigationActions();

  useInvalidateOn(['investigation.changed', 'entities.changed'], ['investigations.get']);
  const q = useCall('investigations.get', { id }, { retry: (n, e) => !(DossierError.is(e) && e.code === 'not_found') && n < 1 });

  const crumbs = (
    <Breadcrumbs>
      <Anchor component={Link} to="/investigations" size="sm">
        Investigations
      </Anchor>
      <Text size="sm" c="dimmed" truncate maw={480}>
        {q.data?.name ?? '…'}
      </Text>
    </Breadcrumbs>
  );

  if (q.isPending) return <Loading label="Loading investigation…" />;
  if (q.isError) {
    return (
      <Stack gap="lg" maw={1280}>
        {crumbs}
        {DossierError.is(q.error) && q.error.code === 'not_found' ? (
          <Paper withBorder radius="md">
            <Empty title="This investigation does not exist">
              It may have been deleted. <Anchor component={Link} to="/investigations">Back to the list</Anchor>
            </Empty>
          </Paper>
        ) : (
          <ErrorState error={q.error} onRetry={() => void q.refetch()} />
        )}
      </Stack>
    );
  }

  const inv = q.data;
  const archived = inv.status === 'archived';
  const active = INVESTIGATION_TABS.some((t) => t.key === tab) ? tab! : INVESTIGATION_TABS[0]!.key;

  return (
    <Stack gap="lg" maw={1280}>
      {crumbs}
      <Paper withBorder radius="md" p="lg">
        <Group justify="space-between" align="flex-start" wrap="nowrap" gap="xl">
          <Stack gap={8} style={{ minWidth: 0, flex: 1 }}>
            <Group gap="sm" wrap="nowrap" align="center">
              <Title order={2} style={{ overflowWrap: 'anywhere', minWidth: 0 }}>
                {inv.name}
              </Title>
              <div style={{ flexShrink: 0 }}>
                <StatusBadge status={inv.status} size="md" />
              </div>
            </Group>
            <Group gap="lg" style={{ rowGap: 4 }}>
              <Badge variant="light" color="gray" size="lg" radius="sm" tt="none" fw={500}>
                {inv.entityCount.toLocaleString()} {inv.entityCount === 1 ? 'entity' : 'entities'}
              </Badge>
              <Tooltip label={formatDateTime(inv.createdAt)} openDelay={400}>
                <Text size="sm" c="dimmed">Created {formatRelative(inv.createdAt)}</Text>
              </Tooltip>
              <Tooltip label={formatDateTime(inv.updatedAt)} openDelay={400}>
                <Text size="sm" c="dimmed">Updated {formatRelative(inv.updatedAt)}</Text>
              </Tooltip>
            </Group>
            {inv.tags.length > 0 && <TagList tags={inv.tags} max={20} />}
            {inv.description ? (
              /* Three whole lines (line height fixed at 21px) before "Show more". */
              <Spoiler maxHeight={63} showLabel="Show more" hideLabel="Show less" styles={{ control: { fontSize: "var(--mantine-font-size-sm)" } }}>
                <Text size="sm" lh="21px" style={{ whiteSpace: 'pre-wrap' }}>
                  {inv.description}
                </Text>
              </Spoiler>
            ) : (
              <Text size="sm" c="dimmed" fs="italic">
                No description.
              </Text>
            )}
          </Stack>
          <Group gap="xs" wrap="nowrap">
            <RunToolButton investigationId={inv.id} />
            <Button variant="default" leftSection={<IconDownload size={16} />} onClick={() => setExporting(true)}>
              Export
            </Button>
            <Button variant="default" leftSection={<IconTableImport size={16} />} onClick={() => setImporting(true)}>
              Import CSV
            </Button>
            <Button variant="default" leftSection={<IconPencil size={16} />} onClick={() => setEditing(true)}>
              Edit
            </Button>
            <Button
              variant="default"
              leftSection={archived ? <IconArchiveOff size={16} /> : <IconArchive size={16} />}
              onClick={() => void actions.toggleArchive(inv)}
              loading={actions.busy}
            >
              {archived ? 'Unarchive' : 'Archive'}
            </Button>
            <ConfirmButton
              leftSection={<IconTrash size={16} />}
              title={`Delete “${inv.name}”?`}
              message={`This permanently deletes the investigation and its ${inv.entityCount.toLocaleString()} ${inv.entityCount === 1 ? 'entity' : 'entities'}, links and runs. This cannot be undone.`}
              confirmLabel="Delete investigation"
              onConfirm={async () => {
                if (await actions.remove(inv)) navigate('/investigations', { replace: true });
              }}
            >
              Delete
            </ConfirmButton>
          </Group>
        </Group>
      </Paper>

      <Tabs value={active} onChange={(v) => v && navigate(`/investigations/${inv.id}/${v}`)} keepMounted={false}>
        <Tabs.List>
          {INVESTIGATION_TABS.map((t) => (
            <Tabs.Tab key={t.key} value={t.key}>
              {t.label}
            </Tabs.Tab>
          ))}
        </Tabs.List>
        {INVESTIGATION_TABS.map((t) => (
          <Tabs.Panel key={t.key} value={t.key} pt="md">
            {t.key === active && t.render(inv.id)}
          </Tabs.Panel>
        ))}
      </Tabs>

      <InvestigationFormDialog opened={editing} onClose={() => setEditing(false)} investigation={inv} />
      <ExportDialog investigationId={inv.id} opened={exporting} onClose={() => setExporting(false)} />
      <ImportEntitiesDialog investigationId={inv.id} opened={importing} onClose={() => setImporting(false)} />
    </Stack>
  );
}
