import { useState } from 'react';
import { Alert, Code, FileInput, List, Modal, Radio, Stack, Text } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useQueryClient } from '@tanstack/react-query';
import type { CommandStep } from '../../../../preload/contract/templates.ts';
import { DossierError } from '../../../../preload/contract/errors.ts';
import { call } from '../../api/hooks.ts';
import { FormDialogFooter } from '../../components/FormDialogFooter.tsx';

type OnConflict = 'error' | 'replace' | 'skip';

/** What the core said about the last attempt that needs the user. */
type Pending = { kind: 'exists'; message: string } | { kind: 'commands'; steps: CommandStep[] };

/**
 * Import template documents (a file `dossier template export` or a colleague wrote). A replace that would make a
 * template run local commands is shown step by step and needs its own confirmation: relay rules and colleagues'
 * batches run whatever the template holds once it is replaced.
 */
export function ImportTemplatesDialog({ onClose }: { onClose: () => void }) {
  const qc = useQueryClient();
  const [file, setFile] = useState<File | null>(null);
  const [onConflict, setOnConflict] = useState<OnConflict>('error');
  const [pending, setPending] = useState<Pending | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  async function submit() {
    if (!file) return;
    setBusy(true);
    setError(null);
    try {
      let document: unknown;
      try {
        document = JSON.parse(await file.text());
      } catch {
        throw new DossierError('invalid_input', `${file.name} is not JSON: choose a file written by “Export” or \`dossier template export\``);
      }
      const confirmCommandSteps = pending?.kind === 'commands';
      const res = await call('templates.import', { document: document as never, onConflict, confirmCommandSteps });
      void qc.invalidateQueries({ queryKey: ['templates.list'] });
      const parts = [
        res.created.length && `${res.created.length} created`,
        res.replaced.length && `${res.replaced.length} replaced`,
        res.skipped.length && `${res.skipped.length} skipped`,
      ].filter(Boolean);
      notifications.show({ color: 'green', message: `Templates imported: ${parts.join(', ')}` });
      onClose();
    } catch (e) {
      const details = DossierError.is(e) ? (e.details as { reason?: string; commandSteps?: CommandStep[] } | undefined) : undefined;
      if (details?.reason === 'command_steps' && details.commandSteps) setPending({ kind: 'commands', steps: details.commandSteps });
      else if (DossierError.is(e) && e.code === 'conflict' && onConflict === 'error') setPending({ kind: 'exists', message: e.message });
      else setError((e as Error).message);
    } finally {
      setBusy(false);
    }
  }

  const submitLabel = pending?.kind === 'commands' ? 'Replace and allow these commands' : 'Import';
  return (
    <Modal opened onClose={onClose} title="Import templates" size="lg">
      <Stack>
        <FileInput
          label="Template file"
          description="JSON: one template document or a list of them"
          accept="application/json,.json"
          value={file}
          onChange={(f) => {
            setFile(f);
            setPending(null);
            setError(null);
          }}
          clearable
        />
        <Radio.Group
          label="When a template of the same name exists"
          value={onConflict}
          onChange={(v) => {
            setOnConflict(v as OnConflict);
            setPending(null);
          }}
        >
          <Stack gap={4} mt={4}>
            <Radio value="error" label="Stop and tell me" />
            <Radio value="replace" label="Replace it (a new version)" />
            <Radio value="skip" label="Keep mine, skip it" />
          </Stack>
        </Radio.Group>
        {pending?.kind === 'exists' && (
          <Alert color="yellow" title="Already here">
            {pending.message}. Choose “Replace it” or “Keep mine”, then Import again.
          </Alert>
        )}
        {pending?.kind === 'commands' && (
          <Alert color="red" title="These templates would run programs on this computer">
            <Text size="sm" mb="xs">
              Replacing them changes what runs whenever they are started, by you, by a colleague or by a relay rule:
            </Text>
            <List size="sm" spacing={4}>
              {pending.steps.map((c, i) => (
                <List.Item key={i}>
                  <Text span fw={600}>
                    {c.template}
                  </Text>
                  , {c.where}: <Code>{`${c.command} ${c.args}`.trim()}</Code>
                </List.Item>
              ))}
            </List>
          </Alert>
        )}
        <FormDialogFooter error={error} errorTitle="Not imported" onCancel={onClose} onSubmit={() => void submit()} busy={busy} disabled={!file} submitLabel={submitLabel} />
      </Stack>
    </Modal>
  );
}
