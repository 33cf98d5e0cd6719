import { z } from 'zod';
import { method } from './define.ts';
import { Id } from './common.ts';
import type { Template } from './templates.ts';

/**
 * The desktop side of the team sync server (SPEC §3.9): connect with a token,
 * push the outbox of shared-template changes, pull the team's changes after the
 * cursor. A conflict keeps both copies: the server's becomes the template, the
 * local edit is kept as `<name> (conflict <date>)`.
 */

export interface SyncConflict {
  id: string;
  templateId: string;
  templateName: string;
  /** The local edit kept as its own template; null when the local change was a delete. */
  copyId: string | null;
  copyName: string | null;
  serverVersion: number;
  /** The server had deleted the template. */
  serverDeleted: boolean;
  at: string;
}

export interface SyncStatus {
  connected: boolean;
  server: string | null;
  team: { id: string; name: string } | null;
  member: { id: string; name: string; role: string } | null;
  cursor: string | null;
  lastSyncAt: string | null;
  lastAttemptAt: string | null;
  /** The last sync's error, cleared by the next good one. */
  lastError: string | null;
  /** Local changes waiting in the outbox. */
  pending: number;
  sharedTemplates: number;
  conflicts: SyncConflict[];
}

/** A template shared with the team, as the Team section lists it. */
export interface SharedTemplate {
  id: string;
  name: string;
  /** The server's version this copy is in step with; null until the first push. */
  version: number | null;
  /** The member who made that version (null before the first push). */
  updatedBy: string | null;
  updatedAt: string | null;
  /** A local change waits in the outbox. */
  pending: boolean;
}

export interface SyncResult {
  pushed: number;
  pulled: number;
  /** Events published to the team server (setting sync.publishEvents). */
  published: number;
  conflicts: SyncConflict[];
}

export const syncMethods = {
  /**
   * Checks the token against `/api/v1/me`, then stores it sealed. Without `server`, the `sync.server` setting
   * names the server; a successful connect writes the server it used there, so the setting is the URL last connected to.
   */
  'sync.connect': method(
    z.object({
      server: z
        .url({ protocol: /^https?$/ })
        .max(2000)
        .optional(),
      token: z.string().regex(/^dst_[A-Za-z0-9_-]{43}$/, 'a team token looks like dst_ followed by 43 characters'),
    }),
    { slow: true },
  ).returns<SyncStatus>(),
  'sync.status': method(z.object({}).default({})).returns<SyncStatus>(),
  /** Push then pull. Fails with `unavailable` when the server does not answer; nothing queued is lost. */
  'sync.now': method(z.object({}).default({}), { slow: true }).returns<SyncResult>(),
  /** Forgets the link; shared templates stay as local ones and queued changes are dropped. */
  'sync.disconnect': method(z.object({}).default({})).returns<{ disconnected: boolean; droppedChanges: number }>(),
  'sync.templates': method(z.object({}).default({})).returns<SharedTemplate[]>(),
  'sync.conflicts.dismiss': method(z.object({ id: Id })).returns<{ id: string; dismissed: true }>(),
  /**
   * Settle a conflict. `both` keeps the team's template and the local copy (= dismiss); `theirs` deletes the local
   * copy; `mine` makes the local copy's content the shared template again (queued, pushed over the team's version
   * by the next sync) and deletes the copy. The conflict leaves the list in every case.
   */
  'sync.conflicts.resolve': method(z.object({ id: Id, keep: z.enum(['mine', 'theirs', 'both']) })).returns<{ id: string; kept: 'mine' | 'theirs' | 'both' }>(),
  /** Share a template with the team (queued; pushed by the next sync). */
  'templates.share': method(z.object({ id: z.string().min(1).max(200) })).returns<Template>(),
  /** Stop sharing: the template stays here as a local one and is removed from the team. */
  'templates.unshare': method(z.object({ id: z.string().min(1).max(200) })).returns<Template>(),
};
