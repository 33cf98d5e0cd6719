import type { ReactNode } from 'react';
import { Alert, Button, Group } from '@mantine/core';

/**
 * The end of a form dialog: the error of the last attempt (if any), then
 * Cancel and the submit button on the right. Cancel is off while the action
 * runs; the submit button shows it is running.
 */
export function FormDialogFooter({
  error,
  errorTitle,
  onCancel,
  onSubmit,
  busy,
  disabled = false,
  submitLabel,
}: {
  error: string | null;
  errorTitle: string;
  onCancel: () => void;
  onSubmit: () => void;
  busy: boolean;
  disabled?: boolean;
  submitLabel: ReactNode;
}) {
  return (
    <>
      {error && (
        <Alert color="red" title={errorTitle}>
          {error}
        </Alert>
      )}
      <Group justify="flex-end">
        <Button variant="default" onClick={onCancel} disabled={busy}>
          Cancel
        </Button>
        <Button onClick={onSubmit} loading={busy} disabled={disabled}>
          {submitLabel}
        </Button>
      </Group>
    </>
  );
}
