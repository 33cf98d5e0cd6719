import type { Command } from 'commander';
import type { SyncConflict, SyncStatus } from '../../../preload/contract/sync.ts';
import { withCore } from '../core.ts';
import { globals } from '../globals.ts';
import { emit } from '../output.ts';
import { UsageError } from '../errors.ts';
import { readStdinSecret } from '../secret-input.ts';

const readStdin = async (): Promise<string> => (await readStdinSecret('Paste the team token, then press Enter and Ctrl-D:')).trim();

export function conflictLines(conflicts: SyncConflict[]): string[] {
  return conflicts.map((c) =>
    c.copyName
      ? `conflict: "${c.templateName}" changed on the server (version ${c.serverVersion}${c.serverDeleted ? ', deleted' : ''}); your edit is kept as "${c.copyName}"`
      : `conflict: "${c.templateName}" was deleted here but changed on the server; the server's version ${c.serverVersion} is back`,
  );
}

function statusText(s: SyncStatus): string {
  if (!s.connected) return 'not connected (dossier sync connect --server URL --token-stdin)';
  return [
    `server   ${s.server}`,
    `team     ${s.team!.name} (${s.team!.id})`,
    `member   ${s.member!.name} (${s.member!.role})`,
    `shared   ${s.sharedTemplates} template(s); ${s.pending} change(s) waiting to be pushed`,
    `synced   ${s.lastSyncAt ?? 'never'}`,
    ...(s.lastError ? [`error    ${s.lastError} (at ${s.lastAttemptAt})`] : []),
    ...conflictLines(s.conflicts),
  ].join('\n');
}

export function registerSync(program: Command): void {
  const sync = program.command('sync').description('team sync server: connect, status, sync now, disconnect');

  sync
    .command('connect')
    .description('connect this data directory to a team server (the token is checked, then stored sealed)')
    .option('--server <url>', 'the team server, e.g. https://dossier.example.org (default: the sync.server setting, the server last connected to)')
    .option('--token <token>', 'the member token (prefer --token-stdin: argv is visible to other users)')
    .option('--token-stdin', 'read the token from standard input')
    .action(async (o: { server?: string; token?: string; tokenStdin?: boolean }, cmd: Command) => {
      if (Boolean(o.token) === Boolean(o.tokenStdin)) throw new UsageError('give the token with --token-stdin (or --token)');
      const token = o.token ?? (await readStdin());
      const s = await withCore(cmd, (core) => core.call('sync.connect', { server: o.server, token }));
      emit(globals(cmd), s, () => `connected to ${s.server} as ${s.member!.name} in team ${s.team!.name}`);
    });

  sync
    .command('status')
    .description('the link, the last sync, queued changes and conflicts')
    .action(async (_o: unknown, cmd: Command) => {
      const s = await withCore(cmd, (core) => core.call('sync.status', {}));
      emit(globals(cmd), s, () => statusText(s));
    });

  sync
    .command('now')
    .description("push local changes of shared templates, then pull the team's")
    .action(async (_o: unknown, cmd: Command) => {
      const r = await withCore(cmd, (core) => core.call('sync.now', {}));
      emit(globals(cmd), r, () =>
        [`pushed ${r.pushed}, pulled ${r.pulled}, published ${r.published} event(s), ${r.conflicts.length} conflict(s)`, ...conflictLines(r.conflicts)].join(
          '\n',
        ),
      );
    });

  sync
    .command('disconnect')
    .description('forget the team server; shared templates stay here as local ones')
    .action(async (_o: unknown, cmd: Command) => {
      const r = await withCore(cmd, (core) => core.call('sync.disconnect', {}));
      emit(globals(cmd), r, () =>
        !r.disconnected ? 'was not connected' : `disconnected${r.droppedChanges ? `; ${r.droppedChanges} change(s) that were not pushed stay only here` : ''}`,
      );
    });
}
