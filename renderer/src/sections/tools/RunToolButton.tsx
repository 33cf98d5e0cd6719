import { useState } from 'react';
import { Button } from '@mantine/core';
import { IconPlayerPlay } from '@tabler/icons-react';
import { RunToolDialog } from './RunToolDialog.tsx';

/** "Run tool" for a page header: opens the dialog where the user types the input. */
export function RunToolButton({ investigationId }: { investigationId: string }) {
  const [open, setOpen] = useState(false);
  return (
    <>
      <Button variant="default" leftSection={<IconPlayerPlay size={16} />} onClick={() => setOpen(true)}>
        Run tool
      </Button>
      {open && <RunToolDialog opened onClose={() => setOpen(false)} investigationId={investigationId} />}
    </>
  );
}
