import type { Kysely } from 'kysely';
import type { Database } from '../db/database.ts';
import type { SyncResult } from '../../../preload/contract/sync.ts';
import type { SyncClient } from './client.ts';
import type { PublishEventBody } from './wire.ts';

const PAGE = 200;

/**
 * Publish the outbox events whose types the user chose (setting
 * sync.publishEvents) to the team server, oldest first, and move the link's
 * cursor past each page. Events of other types are passed over. A failure
 * stops here with the cursor at the last event the server took, so the next
 * sync (after being offline) resumes; the server deduplicates by event id, so
 * an event sent twice (a crash before the cursor moved) is delivered once.
 */
export async function publishEvents(db: Kysely<Database>, client: SyncClient, types: readonly string[], result: SyncResult): Promise<void> {
  const wanted = new Set(types);
  for (;;) {
    const link = await db.selectFrom('sync_link').select('events_cursor').where('id', '=', 1).executeTakeFirst();
    if (!link) return;
    const page = await db
      .selectFrom('outbox')
      .select(['seq', 'id', 'type', 'payload', 'created_at'])
      .where('seq', '>', link.events_cursor)
      .orderBy('seq')
      .limit(PAGE)
      .execute();
    if (page.length === 0) return;
    let through = link.events_cursor;
    try {
      for (const ev of page) {
        if (wanted.has(ev.type)) {
          const r = await client.publishEvent({
            id: ev.id,
            event: ev.type as PublishEventBody['event'],
            timestamp: new Date(ev.created_at).toISOString(),
            data: JSON.parse(ev.payload) as PublishEventBody['data'],
          });
          if (!r.duplicate) result.published++;
        }
        through = ev.seq!;
      }
    } finally {
      // Conditional, so a reconnect that reset the cursor in the meantime is not overwritten.
      if (through > link.events_cursor)
        await db.updateTable('sync_link').set({ events_cursor: through }).where('id', '=', 1).where('events_cursor', '=', link.events_cursor).execute();
    }
    if (page.length < PAGE) return;
  }
}
