import { sql, type Kysely } from 'kysely';

const HOUR = 3_600_000;
const DAY = 86_400_000;

/** Insert/delete triggers keep entity_stats_hour: `sign` is +1 for the new row, -1 for the old one. */
function entityRollup(ref: 'new' | 'old', sign: 1 | -1): string {
  return ['investigation_id', `'*'`]
    .map(
      (inv) => `insert into entity_stats_hour (investigation_id, bucket, type, count)
        values (${inv === 'investigation_id' ? `${ref}.investigation_id` : inv}, ${ref}.first_seen / ${HOUR} * ${HOUR}, ${ref}.type, ${sign})
        on conflict (investigation_id, bucket, type) do update set count = count + excluded.count;`,
    )
    .join('\n');
}

/**
 * Analytics rollups for long windows (#11, P5): a daily grain beside the
 * hourly op rollups of 009, so a 30-day read touches about 30 rows per key
 * instead of 720 (the edge hours of a window that does not start at midnight
 * still come from the hourly tables; the sums are identical). The executor's
 * group commit (analytics/recorder.ts) upserts both grains in the same
 * transaction. Entities first seen per hour and type are kept by triggers on
 * entities (any writer, same transaction; deletes and cascades subtract).
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`create table op_stats_day (
    investigation_id text not null, bucket integer not null, tool text not null, outcome text not null, code text not null,
    count integer not null, duration_sum real not null,
    primary key (investigation_id, bucket, tool, outcome, code)
  ) without rowid`.execute(db);
  await sql`create table op_latency_day (
    investigation_id text not null, bucket integer not null, tool text not null, bin integer not null, count integer not null,
    primary key (investigation_id, bucket, tool, bin)
  ) without rowid`.execute(db);
  await sql`insert into op_stats_day (investigation_id, bucket, tool, outcome, code, count, duration_sum)
    select investigation_id, bucket / ${sql.raw(String(DAY))} * ${sql.raw(String(DAY))}, tool, outcome, code, sum(count), sum(duration_sum)
    from op_stats_hour group by 1, 2, 3, 4, 5`.execute(db);
  await sql`insert into op_latency_day (investigation_id, bucket, tool, bin, count)
    select investigation_id, bucket / ${sql.raw(String(DAY))} * ${sql.raw(String(DAY))}, tool, bin, sum(count)
    from op_latency_hour group by 1, 2, 3, 4`.execute(db);

  await sql`create table entity_stats_hour (
    investigation_id text not null, bucket integer not null, type text not null, count integer not null,
    primary key (investigation_id, bucket, type)
  ) without rowid`.execute(db);
  for (const inv of ['investigation_id', `'*'`]) {
    await sql`insert into entity_stats_hour (investigation_id, bucket, type, count)
      select ${sql.raw(inv)}, first_seen / ${sql.raw(String(HOUR))} * ${sql.raw(String(HOUR))}, type, count(*) from entities group by 1, 2, 3`.execute(db);
  }
  await sql`create trigger entities_stats_insert after insert on entities begin ${sql.raw(entityRollup('new', 1))} end`.execute(db);
  await sql`create trigger entities_stats_delete after delete on entities begin ${sql.raw(entityRollup('old', -1))} end`.execute(db);
  await sql`create trigger entities_stats_update after update of first_seen, type, investigation_id on entities begin
    ${sql.raw(entityRollup('old', -1))}
    ${sql.raw(entityRollup('new', 1))}
  end`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const t of ['entities_stats_insert', 'entities_stats_delete', 'entities_stats_update']) await sql`drop trigger if exists ${sql.raw(t)}`.execute(db);
  for (const t of ['entity_stats_hour', 'op_latency_day', 'op_stats_day']) await db.schema.dropTable(t).ifExists().execute();
}
