import { ActionIcon, Menu } from '@mantine/core';
import { IconBolt, IconDots, IconId, IconLink, IconPencil } from '@tabler/icons-react';
import type { Entity } from '../../../../../preload/contract/entities.ts';

export type RowAction = 'details' | 'run' | 'edit' | 'link';

/** A row's actions in the entity table; the table owns the dialogs they open. */
export function EntityRowMenu({ entity: e, onAction }: { entity: Entity; onAction(a: RowAction): void }) {
  return (
    <Menu position="bottom-end" withinPortal shadow="md" width={200}>
      <Menu.Target>
        <ActionIcon variant="subtle" color="gray" aria-label={`Actions for ${e.type} ${e.value}`}>
          <IconDots size={16} />
        </ActionIcon>
      </Menu.Target>
      <Menu.Dropdown>
        <Menu.Item leftSection={<IconId size={16} />} onClick={() => onAction('details')}>
          Details
        </Menu.Item>
        <Menu.Item leftSection={<IconBolt size={16} />} onClick={() => onAction('run')}>
          Run tool…
        </Menu.Item>
        <Menu.Item leftSection={<IconPencil size={16} />} onClick={() => onAction('edit')}>
          Edit…
        </Menu.Item>
        <Menu.Item leftSection={<IconLink size={16} />} onClick={() => onAction('link')}>
          Link to…
        </Menu.Item>
      </Menu.Dropdown>
    </Menu>
  );
}
