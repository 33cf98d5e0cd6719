import { Alert, Button, FileInput, Group, Modal, SegmentedControl, Select, Stack, Table, Tabs, Text, TextInput, Textarea } from '@mantine/core';
import { IconClipboardText, IconFileSpreadsheet } from '@tabler/icons-react';
import { useEffect, useRef, useState } from 'react';
import { useNavigate } from 'react-router';
import { ENTITY_TYPES, type EntityType } from '../../../../preload/contract/entities.ts';
import type { BatchSource, FilePreview, UploadedFile } from '../../../../preload/contract/batches.ts';
import { useAction, useCall } from '../../api/hooks.ts';
import { call } from '../../api/hooks.ts';
import { fieldErrors } from '../../lib/field-errors.ts';
import { BatchOptionsFields, DEFAULT_BATCH_OPTIONS, toBatchOptions } from './BatchOptionsFields.tsx';
import { ToolParamsFields } from './ToolParamsFields.tsx';
import { uploadBatchFile } from './upload.ts';
import { egressLabel, type Egress } from '../../../../preload/contract/egress.ts';
import { EgressFields, INHERIT_DRAFT, draftIncomplete, egressOf } from '../settings/EgressFields.tsx';
import { describeProblem } from './paste-list.ts';
import { usePastedList } from './use-pasted-list.ts';

/** `values` (and their `inputType` when they share one) prefill the pasted list: the entity table's "Add to batch". */
export function NewBatchDialog(props: { onClose(): void; investigationId?: string; template?: string; values?: string[]; inputType?: EntityType }) {
  const navigate = useNavigate();
  const investigations = useCall('investigations.list', { status: 'active', limit: 1000 });
  const tools = useCall('tools.list', {});
  const templates = useCall('templates.list', { limit: 500 });

  const [investigationId, setInvestigationId] = useState<string | null>(props.investigationId ?? null);
  const [mode, setMode] = useState<'tool' | 'template'>(props.template ? 'template' : 'tool');
  const [tool, setTool] = useState<string | null>(null);
  const [inputType, setInputType] = useState<EntityType | null>(props.inputType ?? null);
  const [params, setParams] = useState<Record<string, unknown>>({});
  const [template, setTemplate] = useState<string | null>(props.template ?? null);
  const [placeholder, setPlaceholder] = useState<string | null>(null);
  const [inputKind, setInputKind] = useState<'list' | 'file'>('list');
  const [listText, setListText] = useState(() => props.values?.join('\n') ?? '');
  const [file, setFile] = useState<File | null>(null);
  const [upload, setUpload] = useState<UploadedFile | null>(null);
  const [preview, setPreview] = useState<FilePreview | null>(null);
  const [column, setColumn] = useState<string | null>(null);
  const [fileError, setFileError] = useState<string | null>(null);
  const [uploading, setUploading] = useState(false);
  const [name, setName] = useState('');
  const [options, setOptions] = useState(DEFAULT_BATCH_OPTIONS);
  const [egress, setEgress] = useState(INHERIT_DRAFT);
  const egressDefault = useCall('settings.get', { key: 'egress.default' });
  const egressTools = useCall('settings.get', { key: 'egress.tools' });
  const create = useAction('batches.create', {
    invalidates: ['batches.list'],
    success: (b) => `Batch “${b.name}” started with ${b.counts.total.toLocaleString()} operations`,
  });

  const toolInfo = tools.data?.find((t) => t.name === tool);
  const templateInfo = templates.data?.items.find((t) => t.id === template || t.name === template);
  // Every way of starting a template starts it the same way: its follow-up depth is the template's, whether it was
  // picked here or the dialog opened on it (Templates → Run). Applied once per template, so the user's change stays.
  const depthFor = useRef<string | null>(null);
  useEffect(() => {
    if (!templateInfo || depthFor.current === templateInfo.id) return;
    depthFor.current = templateInfo.id;
    setOptions((o) => ({ ...o, followUpDepth: templateInfo.maxDepth }));
  }, [templateInfo]);
  const pasted = usePastedList(listText);
  const values = pasted.values;
  const errors = fieldErrors(create.error);
  const invId = investigationId ?? (investigations.data?.items.length === 1 ? investigations.data.items[0]!.id : null);

  const pickFile = async (f: File | null) => {
    setFile(f);
    setUpload(null);
    setPreview(null);
    setColumn(null);
    setFileError(null);
    if (!f) return;
    setUploading(true);
    try {
      const up = await uploadBatchFile(f);
      const pv = await call('batches.previewFile', { uploadId: up.uploadId });
      setUpload(up);
      setPreview(pv);
      setColumn(pv.columns[0] ?? null);
    } catch (e) {
      setFileError((e as Error).message);
    } finally {
      setUploading(false);
    }
  };

  const source: BatchSource | null =
    inputKind === 'list'
      ? values.length && !pasted.problem && !pasted.parsing
        ? { kind: 'list', values }
        : null
      : upload
        ? { kind: 'upload', uploadId: upload.uploadId, column: column ?? undefined }
        : null;
  const ready = Boolean(invId && source && (mode === 'tool' ? toolInfo : templateInfo)) && !draftIncomplete(egress);
  // What "Settings" means for this batch now: the tool's own setting, else the default (a template's steps may differ by tool).
  const perTool = mode === 'tool' && tool ? (egressTools.data?.value as Record<string, Egress> | undefined)?.[tool] : undefined;
  const inherited = perTool ?? (egressDefault.data?.value as Egress | undefined);
  const batchEgress = egressOf(egress);

  const submit = async () => {
    if (!invId || !source) return;
    const b = await create.mutateAsync({
      investigationId: invId,
      name: name.trim() || undefined,
      ...(mode === 'tool' ? { tool: tool!, params, inputType: inputType ?? undefined } : { template: templateInfo!.id, placeholder: placeholder ?? undefined }),
      source,
      options: { ...toBatchOptions(options), ...(batchEgress ? { egress: batchEgress } : {}) },
    });
    props.onClose();
    void navigate(`/batches/${b.id}`);
  };

  return (
    <Modal
      opened
      onClose={props.onClose}
      title={props.template ? `Run template${templateInfo ? ` “${templateInfo.name}”` : ''}` : 'New batch'}
      size="xl"
      centered
    >
      <Stack>
        <Select
          label="Investigation"
          placeholder={investigations.isPending ? 'Loading…' : 'Pick an investigation'}
          data={(investigations.data?.items ?? []).map((i) => ({ value: i.id, label: i.name }))}
          value={invId}
          onChange={setInvestigationId}
          searchable
          required
          error={errors.investigationId}
          nothingFoundMessage="No active investigation; create one first"
        />
        <SegmentedControl
          aria-label="Run a tool or a template"
          value={mode}
          onChange={(v) => setMode(v as 'tool' | 'template')}
          data={[
            { value: 'tool', label: 'One tool' },
            { value: 'template', label: 'A template' },
          ]}
          w="fit-content"
        />
        {mode === 'tool' ? (
          <>
            <Group grow align="flex-start">
              <Select
                label="Tool"
                placeholder={tools.isPending ? 'Loading…' : 'Pick a tool'}
                data={(tools.data ?? []).map((t) => ({ value: t.name, label: `${t.title} (${t.name})` }))}
                value={tool}
                onChange={(v) => {
                  setTool(v);
                  setParams({});
                  // Prefilled values keep their type when the tool takes it.
                  const accepts = tools.data?.find((t) => t.name === v)?.accepts ?? [];
                  setInputType(props.inputType && accepts.includes(props.inputType) ? props.inputType : null);
                }}
                searchable
                required
                error={errors.tool}
              />
              <Select
                label="Inputs are"
                description={toolInfo ? `${toolInfo.name} takes ${toolInfo.accepts.join(', ')}` : undefined}
                data={(toolInfo?.accepts ?? ENTITY_TYPES).map((t) => ({ value: t, label: t }))}
                value={inputType ?? toolInfo?.accepts[0] ?? null}
                onChange={(v) => setInputType(v as EntityType | null)}
                disabled={!toolInfo}
              />
            </Group>
            {toolInfo && (
              <Text size="sm" c="dimmed">
                {toolInfo.description}
              </Text>
            )}
            {toolInfo && <ToolParamsFields schema={toolInfo.paramsSchema} value={params} onChange={setParams} columns={2} />}
          </>
        ) : (
          <Group grow align="flex-start">
            <Select
              label="Template"
              placeholder={templates.isPending ? 'Loading…' : 'Pick a template'}
              data={(templates.data?.items ?? []).map((t) => ({ value: t.id, label: `${t.name} (v${t.version})` }))}
              value={templateInfo?.id ?? null}
              onChange={(v) => {
                setTemplate(v);
                const t = templates.data?.items.find((x) => x.id === v);
                setPlaceholder(t?.placeholders[0] ?? null);
              }}
              searchable
              required
              error={errors.template}
              nothingFoundMessage="No templates yet"
            />
            <Select
              label="Inputs fill"
              description="The placeholder each input value stands for"
              data={(templateInfo?.placeholders ?? []).map((p) => ({ value: p, label: `{{${p}}}` }))}
              value={placeholder ?? templateInfo?.placeholders[0] ?? null}
              onChange={setPlaceholder}
              disabled={!templateInfo}
            />
          </Group>
        )}

        <Tabs value={inputKind} onChange={(v) => setInputKind((v as 'list' | 'file') ?? 'list')} variant="outline">
          <Tabs.List>
            <Tabs.Tab value="list" leftSection={<IconClipboardText size={14} />}>
              Paste a list
            </Tabs.Tab>
            <Tabs.Tab value="file" leftSection={<IconFileSpreadsheet size={14} />}>
              TXT / CSV file
            </Tabs.Tab>
          </Tabs.List>
          <Tabs.Panel value="list" pt="xs">
            <Textarea
              label="Inputs"
              description={
                pasted.parsing
                  ? 'One per line. Counting…'
                  : `One per line. ${values.length.toLocaleString()} distinct ${values.length === 1 ? 'value' : 'values'}.`
              }
              placeholder={'alice\nbob\ncarol'}
              // A fixed height: autosize measures the whole text on every change, which stalls on tens of thousands of lines.
              rows={8}
              resize="vertical"
              value={listText}
              onChange={(e) => setListText(e.currentTarget.value)}
              error={pasted.problem ? describeProblem(pasted.problem) : errors.source}
              styles={{ input: { fontFamily: 'var(--mantine-font-family-monospace)' } }}
            />
          </Tabs.Panel>
          <Tabs.Panel value="file" pt="xs">
            <Stack gap="xs">
              <FileInput
                label="File"
                description="A TXT file (one value per line) or a CSV file with a header row"
                placeholder="Choose a file"
                accept=".txt,.csv,text/plain,text/csv"
                value={file}
                onChange={(f) => void pickFile(f)}
                error={fileError ?? errors.source}
                clearable
                disabled={uploading}
              />
              {uploading && (
                <Text size="sm" c="dimmed">
                  Uploading and reading the file…
                </Text>
              )}
              {preview && (
                <>
                  {preview.columns.length > 0 && (
                    <Select label="Column" data={preview.columns} value={column} onChange={setColumn} w={260} allowDeselect={false} />
                  )}
                  <Table withTableBorder fz="xs" aria-label="File preview">
                    {preview.columns.length > 0 && (
                      <Table.Thead>
                        <Table.Tr>
                          {preview.columns.map((c) => (
                            <Table.Th key={c} bg={c === column ? 'var(--mantine-primary-color-light)' : undefined}>
                              {c}
                            </Table.Th>
                          ))}
                        </Table.Tr>
                      </Table.Thead>
                    )}
                    <Table.Tbody>
                      {preview.rows.slice(0, 5).map((r, i) => (
                        <Table.Tr key={i}>
                          {r.map((cell, j) => (
                            <Table.Td key={j} bg={preview.columns[j] === column ? 'var(--mantine-primary-color-light)' : undefined}>
                              {cell}
                            </Table.Td>
                          ))}
                        </Table.Tr>
                      ))}
                    </Table.Tbody>
                  </Table>
                </>
              )}
            </Stack>
          </Tabs.Panel>
        </Tabs>

        <TextInput
          label="Name"
          placeholder="Optional; made up from the tool and the date"
          value={name}
          onChange={(e) => setName(e.currentTarget.value)}
          error={errors.name}
        />
        <BatchOptionsFields value={options} onChange={setOptions} showFollowUps={mode === 'template'} errors={errors} />
        <Stack gap={4} role="group" aria-label="Batch egress">
          <Text size="sm" fw={500}>
            Egress
          </Text>
          <Text size="xs" c="dimmed">
            How this batch’s lookups leave this machine; a template step with its own egress keeps it.
          </Text>
          <EgressFields value={egress} onChange={setEgress} inherit inheritedLabel={inherited ? egressLabel(inherited) : undefined} label="Batch egress mode" />
        </Stack>
        {(errors._form || errors.params || errors.options) && <Alert color="red">{errors._form ?? errors.params ?? errors.options}</Alert>}
        <Group justify="flex-end">
          <Button variant="default" onClick={props.onClose}>
            Cancel
          </Button>
          <Button onClick={() => void submit().catch(() => undefined)} loading={create.isPending} disabled={!ready}>
            Start batch
          </Button>
        </Group>
      </Stack>
    </Modal>
  );
}
