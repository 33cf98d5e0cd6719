import { useState } from 'react';
import { Button, FileInput, Group, Modal, MultiSelect, Select, Stack, Table, Text, TextInput } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useQueryClient } from '@tanstack/react-query';
import type { FilePreview } from '../../../../preload/contract/batches.ts';
import { ENTITY_TYPES, type EntityType } from '../../../../preload/contract/entities.ts';
import { call } from '../../api/hooks.ts';
import { FormDialogFooter } from '../../components/FormDialogFooter.tsx';
import { canUpload, importSource } from './files.ts';

/**
 * Entities from a CSV with a column mapping: preview the first rows, pick the
 * value column, the entity type, an optional label column and the columns
 * kept as properties.
 */
export function ImportEntitiesDialog({ investigationId, opened, onClose }: { investigationId: string; opened: boolean; onClose: () => void }) {
  const [file, setFile] = useState<File | null>(null);
  const [path, setPath] = useState('');
  const [source, setSource] = useState<{ uploadId: string } | { path: string } | null>(null);
  const [preview, setPreview] = useState<FilePreview | null>(null);
  const [type, setType] = useState<EntityType>('username');
  const [value, setValue] = useState<string | null>(null);
  const [label, setLabel] = useState<string | null>(null);
  const [props, setProps] = useState<string[]>([]);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const qc = useQueryClient();

  const reset = () => {
    setSource(null);
    setPreview(null);
    setValue(null);
    setLabel(null);
    setProps([]);
    setError(null);
  };

  const load = async (f: File | null) => {
    setFile(f);
    reset();
    if (canUpload() && !f) return;
    setBusy(true);
    try {
      const src = await importSource(f, path);
      const pv = await call('batches.previewFile', src);
      if (pv.format !== 'csv') throw new Error('Choose a CSV file with a header row.');
      setSource(src);
      setPreview(pv);
      setValue(pv.columns[0] ?? null);
    } catch (e) {
      setError((e as Error).message);
    } finally {
      setBusy(false);
    }
  };

  const run = async () => {
    if (!source || !value) return;
    setBusy(true);
    setError(null);
    try {
      const r = await call('reports.importEntities', { investigationId, source, type, valueColumn: value, labelColumn: label ?? undefined, propertyColumns: props });
      notifications.show({ color: 'green', message: `${r.rows.toLocaleString()} rows: ${r.created.toLocaleString()} new ${r.type} entities, ${r.merged.toLocaleString()} merged` });
      for (const m of ['entities.list', 'investigations.get', 'graph.get', 'reports.timeline']) void qc.invalidateQueries({ queryKey: [m] });
      setFile(null);
      reset();
      onClose();
    } catch (e) {
      setError((e as Error).message);
    } finally {
      setBusy(false);
    }
  };

  const cols = preview?.columns ?? [];
  const role = (c: string) => (c === value ? 'value' : c === label ? 'label' : props.includes(c) ? 'property' : null);
  const tint = { value: 'var(--mantine-color-blue-light)', label: 'var(--mantine-color-teal-light)', property: 'var(--mantine-color-yellow-light)' } as const;

  return (
    <Modal opened={opened} onClose={onClose} title="Import entities from CSV" size="xl">
      <Stack gap="md">
        {canUpload() ? (
          <FileInput label="CSV file" description="With a header row" placeholder="Choose a .csv file" accept=".csv,.tsv,text/csv" value={file} onChange={(f) => void load(f)} clearable disabled={busy} />
        ) : (
          <Group align="flex-end">
            <TextInput label="Path of the CSV file" value={path} onChange={(e) => setPath(e.currentTarget.value)} style={{ flex: 1 }} />
            <Button variant="default" onClick={() => void load(null)} disabled={!path.trim()}>
              Preview
            </Button>
          </Group>
        )}
        {preview && (
          <>
            <Group grow align="flex-start">
              <Select label="Entity type" data={[...ENTITY_TYPES]} value={type} onChange={(v) => v && setType(v as EntityType)} allowDeselect={false} />
              <Select label="Value column" data={cols} value={value} onChange={setValue} allowDeselect={false} />
              <Select label="Label column" placeholder="none" data={cols.filter((c) => c !== value)} value={label} onChange={setLabel} clearable />
            </Group>
            <MultiSelect label="Property columns" placeholder="none" data={cols.filter((c) => c !== value && c !== label)} value={props} onChange={setProps} clearable />
            <Table withTableBorder fz="xs" aria-label="CSV preview">
              <Table.Thead>
                <Table.Tr>
                  {cols.map((c) => (
                    <Table.Th key={c} bg={role(c) ? tint[role(c)!] : undefined}>
                      {c}
                      {role(c) && (
                        <Text span size="xs" c="dimmed">
                          {' '}
                          ({role(c)})
                        </Text>
                      )}
                    </Table.Th>
                  ))}
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {preview.rows.slice(0, 5).map((r, i) => (
                  <Table.Tr key={i}>
                    {cols.map((c, j) => (
                      <Table.Td key={c} bg={role(c) ? tint[role(c)!] : undefined}>
                        {r[j] ?? ''}
                      </Table.Td>
                    ))}
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </>
        )}
        <FormDialogFooter error={error} errorTitle="Cannot import" onCancel={onClose} onSubmit={() => void run()} busy={busy} disabled={!source || !value} submitLabel="Import entities" />
      </Stack>
    </Modal>
  );
}
