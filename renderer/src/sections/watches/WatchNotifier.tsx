import { Anchor, Text } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useCoreEvent } from '../../api/hooks.ts';

/**
 * A watch run with changes shows a toast in the window (with a link to the
 * run's diff) and, where the user allowed it, a system notification (browser
 * mode; the desktop shell raises its own native one from the core event).
 */
export function WatchNotifier() {
  useCoreEvent('watch.changed', (e) => {
    const text = `${e.counts.new} new, ${e.counts.vanished} vanished, ${e.counts.changed} changed`;
    // The app routes by hash (HashRouter), so a plain hash link opens the diff from anywhere.
    const href = `#/watches/${encodeURIComponent(e.watchId)}/runs/${encodeURIComponent(e.runId)}`;
    notifications.show({
      color: 'blue',
      title: `Watch “${e.watchName}” changed`,
      message: (
        <>
          <Text size="sm" span>
            {text}
          </Text>{' '}
          <Anchor href={href} size="sm">
            Show the diff
          </Anchor>
        </>
      ),
      autoClose: 10_000,
    });
    if (typeof Notification !== 'undefined' && Notification.permission === 'granted' && !('dossier' in window)) {
      const n = new Notification(`Dossier: ${e.watchName}`, { body: text, tag: e.runId });
      n.onclick = () => {
        window.focus();
        window.location.hash = href;
      };
    }
  });
  return null;
}
