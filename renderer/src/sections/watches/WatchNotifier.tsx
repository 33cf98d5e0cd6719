import { notifications } from '@mantine/notifications';
import { useCoreEvent } from '../../api/hooks.ts';

/**
 * A watch run with changes shows a toast in the window and, where the user
 * allowed it, a system notification (browser mode; the desktop shell raises
 * its own native one from the core event).
 */
export function WatchNotifier() {
  useCoreEvent('watch.changed', (e) => {
    const text = `${e.counts.new} new, ${e.counts.vanished} vanished, ${e.counts.changed} changed`;
    notifications.show({ color: 'blue', title: `Watch “${e.watchName}” changed`, message: text, autoClose: 10_000 });
    if (typeof Notification !== 'undefined' && Notification.permission === 'granted' && !('dossier' in window)) {
      new Notification(`Dossier: ${e.watchName}`, { body: text, tag: e.runId });
    }
  });
  return null;
}
