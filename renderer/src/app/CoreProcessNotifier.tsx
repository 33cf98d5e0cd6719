import { notifications } from '@mantine/notifications';
import { useQueryClient } from '@tanstack/react-query';
import { useCoreEvent } from '../api/hooks.ts';

/**
 * Desktop: the core runs in a process of its own. When it crashes the user is told (what was in
 * flight may not have been done) and, once it is back, every screen re-reads what it shows.
 */
export function CoreProcessNotifier() {
  const qc = useQueryClient();
  useCoreEvent('core.crashed', (e) => {
    notifications.show({
      id: 'core-process',
      color: 'red',
      title: e.restarting ? 'Dossier’s core stopped and is restarting' : 'Dossier’s core keeps stopping',
      message: e.restarting
        ? 'Actions that were running may not have finished; check them once it is back.'
        : 'It stopped several times in a minute, so Dossier no longer restarts it. Quit and start Dossier again.',
      autoClose: e.restarting ? 10_000 : false,
    });
  });
  useCoreEvent('core.ready', () => {
    notifications.show({
      id: 'core-process',
      color: 'green',
      title: 'Dossier’s core is back',
      message: 'The screens show the current data again.',
      autoClose: 5_000,
    });
    void qc.invalidateQueries();
  });
  return null;
}
