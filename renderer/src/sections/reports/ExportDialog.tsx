import { useEffect, useState } from 'react';
import { Checkbox, Modal, NumberInput, Progress, Radio, Stack, Text } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { EXPORT_FORMATS, type ExportFormat } from '../../../../preload/contract/reports.ts';
import type { CoreEvents } from '../../../../preload/contract/events.ts';
import { call, useCall } from '../../api/hooks.ts';
import { FormDialogFooter } from '../../components/FormDialogFooter.tsx';
import { transport } from '../../api/transport.ts';
import { saveExport } from './files.ts';

const FORMATS: Record<ExportFormat, { label: string; help: string }> = {
  json: { label: 'JSON', help: 'Everything, lossless: import it into another Dossier.' },
  csv: { label: 'CSV', help: 'entities.csv and links.csv for spreadsheets, Gephi and Maltego.' },
  graphml: { label: 'GraphML', help: 'For Cytoscape, yEd, Gephi and networkx.' },
  gexf: { label: 'GEXF', help: 'For Gephi, with the type colours.' },
  html: { label: 'HTML report', help: 'One self-contained page that loads nothing from anywhere.' },
  pdf: { label: 'PDF report', help: 'The HTML report, printed.' },
};

/** Export menu of the investigation page: pick a format (and its options), then save or download the files. */
export function ExportDialog({ investigationId, opened, onClose }: { investigationId: string; opened: boolean; onClose: () => void }) {
  const [format, setFormat] = useState<ExportFormat>('json');
  const [rows, setRows] = useState<number | string>(5000);
  const [busy, setBusy] = useState(false);
  const [progress, setProgress] = useState<{ done: number; total: number } | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [includeFalsePositives, setIncludeFalsePositives] = useState(false);
  const verdicts = useCall('verdicts.forInvestigation', { investigationId }, { enabled: opened });
  const falsePositives = verdicts.data?.filter((v) => v.verdict === 'false_positive').length ?? 0;

  useEffect(
    () =>
      transport.subscribe((e) => {
        if (e.name !== 'report.progress') return;
        const p = e.payload as CoreEvents['report.progress'];
        if (p.kind === 'export' && p.investigationId === investigationId) setProgress({ done: p.done, total: p.total });
      }),
    [investigationId],
  );

  const run = async () => {
    setBusy(true);
    setError(null);
    setProgress(null);
    try {
      const report = format === 'html' || format === 'pdf' ? { htmlRowsPerType: Number(rows) || 5000 } : {};
      const r = await call('reports.export', { investigationId, format, options: { ...report, includeFalsePositives } });
      const saved = await saveExport(r);
      const leftOut = r.falsePositivesLeftOut ? ` (${r.falsePositivesLeftOut.toLocaleString()} marked false positive left out)` : '';
      if (saved.length) notifications.show({ color: 'green', message: `Exported ${r.entities.toLocaleString()} entities and ${r.links.toLocaleString()} links as ${FORMATS[format].label}${leftOut}: ${saved.join(', ')}` });
      onClose();
    } catch (e) {
      setError((e as Error).message);
    } finally {
      setBusy(false);
    }
  };

  return (
    <Modal opened={opened} onClose={onClose} title="Export investigation" size="lg">
      <Stack gap="md">
        <Radio.Group label="Format" value={format} onChange={(v) => setFormat(v as ExportFormat)}>
          <Stack gap="xs" mt="xs">
            {EXPORT_FORMATS.map((f) => (
              <Radio key={f} value={f} label={FORMATS[f].label} description={FORMATS[f].help} />
            ))}
          </Stack>
        </Radio.Group>
        {(format === 'html' || format === 'pdf') && (
          <NumberInput label="Rows per entity type" description="Longer tables end with a count; JSON and CSV always hold everything." min={10} max={100000} value={rows} onChange={setRows} w={260} />
        )}
        <Checkbox
          label="Include entities marked false positive"
          description={
            falsePositives
              ? `${falsePositives.toLocaleString()} ${falsePositives === 1 ? 'entity is' : 'entities are'} marked false positive here; unless this is ticked, they and their links are left out of the export.`
              : 'None is marked false positive here. Those that are get left out, with their links, unless this is ticked.'
          }
          checked={includeFalsePositives}
          onChange={(e) => setIncludeFalsePositives(e.currentTarget.checked)}
        />
        {busy && progress && progress.total > 0 && (
          <Stack gap={4}>
            <Progress value={(100 * progress.done) / progress.total} aria-label="Export progress" />
            <Text size="xs" c="dimmed">
              {progress.done.toLocaleString()} of {progress.total.toLocaleString()} rows
            </Text>
          </Stack>
        )}
        <FormDialogFooter
          error={error}
          errorTitle="Export failed"
          onCancel={onClose}
          onSubmit={() => void run()}
          busy={busy}
          submitLabel={transport.kind === 'ipc' ? 'Export and save…' : 'Export and download'}
        />
      </Stack>
    </Modal>
  );
}
