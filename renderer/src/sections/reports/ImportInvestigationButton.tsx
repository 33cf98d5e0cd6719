import { useState } from 'react';
import { Button, FileInput, Modal, Stack, Text, TextInput } from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import { notifications } from '@mantine/notifications';
import { IconFileImport } from '@tabler/icons-react';
import { useNavigate } from 'react-router';
import { call } from '../../api/hooks.ts';
import { FormDialogFooter } from '../../components/FormDialogFooter.tsx';
import { canUpload, importSource } from './files.ts';

/** Import in the Investigations list: a Dossier JSON export becomes a new investigation. */
export function ImportInvestigationButton() {
  const [opened, dialog] = useDisclosure(false);
  const [file, setFile] = useState<File | null>(null);
  const [path, setPath] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const navigate = useNavigate();

  const run = async () => {
    setBusy(true);
    setError(null);
    try {
      const r = await call('reports.importInvestigation', { source: await importSource(file, path) });
      notifications.show({ color: 'green', message: `Imported “${r.name}”: ${r.entities.toLocaleString()} entities, ${r.links.toLocaleString()} links, ${r.runs.toLocaleString()} tool runs` });
      dialog.close();
      setFile(null);
      navigate(`/investigations/${r.investigationId}`);
    } catch (e) {
      setError((e as Error).message);
    } finally {
      setBusy(false);
    }
  };

  return (
    <>
      <Button variant="default" leftSection={<IconFileImport size={16} />} onClick={dialog.open}>
        Import
      </Button>
      <Modal opened={opened} onClose={dialog.close} title="Import an investigation">
        <Stack gap="md">
          <Text size="sm" c="dimmed">
            A JSON export of Dossier (from this machine or a colleague’s). It becomes a new investigation; nothing existing changes.
          </Text>
          {canUpload() ? (
            <FileInput label="Export file" placeholder="Choose a .json file" accept=".json,application/json" value={file} onChange={setFile} clearable />
          ) : (
            <TextInput label="Path of the export file" placeholder="/home/me/investigation.json" value={path} onChange={(e) => setPath(e.currentTarget.value)} />
          )}
          <FormDialogFooter
            error={error}
            errorTitle="This file cannot be imported"
            onCancel={dialog.close}
            onSubmit={() => void run()}
            busy={busy}
            disabled={canUpload() ? !file : !path.trim()}
            submitLabel="Import"
          />
        </Stack>
      </Modal>
    </>
  );
}
