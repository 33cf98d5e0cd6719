import type { CoreContext } from '../context.ts';
import type { SyncLinkTable } from './tables.ts';
import type { TemplatesTable } from '../templates/tables.ts';
import { DossierError } from '../../../preload/contract/errors.ts';
import type { SharedTemplate, SyncResult, SyncStatus } from '../../../preload/contract/sync.ts';
import { releaseSyncLease, takeSyncLease } from './lease.ts';
import { publishEvents } from './publish.ts';
import { connectLink, disconnectLink, linkClient, linkStatus, pendingCount, readLink } from './link.ts';
import { shareTemplate, sharedTemplates } from './sharing.ts';
import { dismissConflict, resolveConflict } from './conflicts.ts';
import { pullChanges, pushChanges } from './round.ts';

/**
 * The desktop side of team sync (SPEC §3.9): the link (link.ts), sharing (sharing.ts), conflicts
 * (conflicts.ts) and one round of push, pull and event publishing (round.ts, publish.ts), run one at a time
 * under the sync lease so two processes on one data directory never sync at once.
 */
export class SyncEngine {
  private running: Promise<SyncResult> | null = null;
  constructor(
    private readonly ctx: CoreContext,
    private readonly fetchImpl?: typeof fetch,
  ) {}

  link(): Promise<SyncLinkTable | undefined> {
    return readLink(this.ctx.db);
  }

  connect(given: string | undefined, token: string): Promise<SyncStatus> {
    return connectLink(this.ctx, given, token, this.fetchImpl);
  }

  status(): Promise<SyncStatus> {
    return linkStatus(this.ctx);
  }

  disconnect(): Promise<{ disconnected: boolean; droppedChanges: number }> {
    return disconnectLink(this.ctx);
  }

  share(idOrName: string, shared: boolean): Promise<TemplatesTable> {
    return shareTemplate(this.ctx, idOrName, shared);
  }

  sharedTemplates(): Promise<SharedTemplate[]> {
    return sharedTemplates(this.ctx);
  }

  dismiss(id: string): Promise<void> {
    return dismissConflict(this.ctx, id);
  }

  resolve(id: string, keep: 'mine' | 'theirs' | 'both'): Promise<void> {
    return resolveConflict(this.ctx, id, keep);
  }

  pendingCount(): Promise<number> {
    return pendingCount(this.ctx.db);
  }

  /** One sync at a time per process; another process holding the lease answers `busy`. */
  syncNow(): Promise<SyncResult> {
    this.running ??= this.run().finally(() => (this.running = null));
    return this.running;
  }

  private async run(): Promise<SyncResult> {
    const link = await readLink(this.ctx.db);
    if (!link) throw new DossierError('invalid_input', 'not connected to a team server (dossier sync connect --server URL --token TOKEN)');
    if (!(await takeSyncLease(this.ctx.db, this.ctx.clock.now())))
      throw new DossierError('busy', 'another Dossier process is syncing this data directory; try again in a moment');
    const client = linkClient(this.ctx, link, this.fetchImpl);
    const result: SyncResult = { pushed: 0, pulled: 0, published: 0, conflicts: [] };
    try {
      await pushChanges(this.ctx, client, result);
      await pullChanges(this.ctx, client, result);
      await publishEvents(this.ctx.db, client, (await this.ctx.settings.get('sync.publishEvents')) as string[], result);
      await this.ctx.db
        .updateTable('sync_link')
        .set({ last_sync_at: this.ctx.clock.now(), last_attempt_at: this.ctx.clock.now(), last_error: null })
        .where('id', '=', 1)
        .execute();
      this.ctx.bus.emit('sync.changed', { kind: 'synced' });
      return result;
    } catch (e) {
      const message = (e as Error).message;
      await this.ctx.db.updateTable('sync_link').set({ last_attempt_at: this.ctx.clock.now(), last_error: message }).where('id', '=', 1).execute();
      this.ctx.bus.emit('sync.changed', { kind: 'failed', error: message });
      throw e;
    } finally {
      // Conflicts found before a failure are kept and still told.
      if (result.conflicts.length) this.ctx.bus.emit('sync.conflict', { conflicts: result.conflicts });
      await releaseSyncLease(this.ctx.db);
    }
  }
}
