import { Menu } from '@mantine/core';
import { IconBolt, IconFocus2, IconStack2 } from '@tabler/icons-react';

/**
 * The right-click menu of a node, opened where the pointer is: a Mantine Menu
 * whose invisible target is a 1×1 box at the click position.
 */
export function NodeMenu(props: {
  at: { x: number; y: number } | null;
  selectedCount: number;
  onClose(): void;
  onRunTool(): void;
  onBatch(): void;
  onCentre(): void;
}) {
  const { at } = props;
  return (
    <Menu opened={at !== null} onChange={(o) => !o && props.onClose()} position="bottom-start" offset={2} withinPortal shadow="md" width={240}>
      <Menu.Target>
        <span aria-hidden style={{ position: 'fixed', left: at?.x ?? -10, top: at?.y ?? -10, width: 1, height: 1, pointerEvents: 'none' }} />
      </Menu.Target>
      <Menu.Dropdown aria-label="Node actions">
        <Menu.Item leftSection={<IconBolt size={16} />} onClick={props.onRunTool}>
          Run tool…
        </Menu.Item>
        <Menu.Item leftSection={<IconStack2 size={16} />} onClick={props.onBatch}>
          Run batch over selection…{props.selectedCount > 1 ? ` (${props.selectedCount})` : ''}
        </Menu.Item>
        <Menu.Divider />
        <Menu.Item leftSection={<IconFocus2 size={16} />} onClick={props.onCentre}>
          Centre on node
        </Menu.Item>
      </Menu.Dropdown>
    </Menu>
  );
}
