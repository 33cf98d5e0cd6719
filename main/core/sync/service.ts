import type { CoreContext } from '../context.ts';
import type { HandlersOf } from '../../../preload/contract/define.ts';
import { syncMethods } from '../../../preload/contract/sync.ts';
import { toTemplate } from '../templates/rows.ts';
import type { SyncEngine } from './engine.ts';

export function createSyncHandlers(_ctx: CoreContext, engine: SyncEngine): HandlersOf<typeof syncMethods> {
  return {
    'sync.connect': ({ server, token }) => engine.connect(server, token),
    'sync.status': () => engine.status(),
    'sync.now': () => engine.syncNow(),
    'sync.disconnect': () => engine.disconnect(),
    'sync.templates': () => engine.sharedTemplates(),
    async 'sync.conflicts.dismiss'({ id }) {
      await engine.dismiss(id);
      return { id, dismissed: true as const };
    },
    async 'sync.conflicts.resolve'({ id, keep }) {
      await engine.resolve(id, keep);
      return { id, kept: keep };
    },
    'templates.share': async ({ id }) => toTemplate(await engine.share(id, true)),
    'templates.unshare': async ({ id }) => toTemplate(await engine.share(id, false)),
  };
}
