import { Anchor, Text } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useCoreEvent } from '../../api/hooks.ts';

/**
 * A sync that kept both copies of a template tells the user (SPEC §3.9: toast,
 * Team section, CLI summary). Mounted once for the whole window.
 */
export function SyncNotifier() {
  useCoreEvent('sync.conflict', (e) => {
    const names = e.conflicts.map((c) => `“${c.templateName}”`).join(', ');
    notifications.show({
      color: 'orange',
      title:
        e.conflicts.length === 1 ? 'A shared template changed on the team server too' : `${e.conflicts.length} shared templates changed on the team server too`,
      message: (
        <>
          <Text size="sm" span data-testid="sync-conflict-toast">
            {names}: the team’s version is now the template; your edit is kept as a copy.
          </Text>{' '}
          {/* The app routes by hash (HashRouter), so a plain hash link opens the Team section from anywhere. */}
          <Anchor href="#/team" size="sm">
            Show conflicts
          </Anchor>
        </>
      ),
      autoClose: 15_000,
    });
  });
  return null;
}
