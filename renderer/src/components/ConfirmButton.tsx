import { Button, Group, Modal, Text, type ButtonProps } from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import type { ReactNode } from 'react';

/** A destructive action behind an accessible confirmation dialog. */
export function ConfirmButton(
  props: ButtonProps & { title: string; message: ReactNode; confirmLabel?: string; onConfirm: () => void | Promise<unknown>; children: ReactNode },
) {
  const { title, message, confirmLabel = 'Delete', onConfirm, children, ...button } = props;
  const [opened, { open, close }] = useDisclosure(false);
  return (
    <>
      <Button color="red" variant="light" {...button} onClick={open}>
        {children}
      </Button>
      <Modal opened={opened} onClose={close} title={title} centered closeButtonProps={{ 'aria-label': 'Close' }}>
        <Text size="sm" mb="lg">{message}</Text>
        <Group justify="flex-end">
          <Button variant="default" onClick={close} data-autofocus>
            Cancel
          </Button>
          <Button
            color="red"
            onClick={async () => {
              close();
              await onConfirm();
            }}
          >
            {confirmLabel}
          </Button>
        </Group>
      </Modal>
    </>
  );
}
