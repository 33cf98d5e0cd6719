import { sql, type Kysely } from 'kysely';

/** Log-scale latency bin in SQL; the twin of relay/latency.ts latencyBin() (15 % per bin). */
export const LATENCY_BIN_SQL = (ms: string) => `(case when ${ms} > 0.01 then min(400, cast(ceil(ln(${ms} * 100) / ln(1.15)) as integer)) else 0 end)`;

/**
 * Analytics (SPEC §3.5, P5). Operation runs are recorded by the executor's
 * group commit (batch/commit.ts) with their hourly log-scale rollups; webhook
 * attempts roll up by trigger in the transaction that records them; the relay
 * gains a verification-outcome rollup beside its status rollups.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  // One row per attempt that finished (retries and circuit refusals included): the exact source for windows up to 24 h.
  await sql`create table op_runs (
    id integer primary key,
    finished_at integer not null,
    investigation_id text not null,
    batch_id text not null,
    tool text not null,
    outcome text not null check (outcome in ('completed','failed','retry','refused')),
    code text not null default '',
    duration_ms real not null
  )`.execute(db);
  // Covering indexes: a window's runs are read from the index alone, already in time order.
  await sql`create index op_runs_time on op_runs(finished_at, tool, outcome, code, duration_ms)`.execute(db);
  await sql`create index op_runs_inv_time on op_runs(investigation_id, finished_at, tool, outcome, code, duration_ms)`.execute(db);
  await sql`create index op_runs_batch on op_runs(batch_id, finished_at)`.execute(db);

  // Hourly rollups; investigation_id '*' holds the sum over all investigations, so "all" reads as few rows as one.
  await sql`create table op_stats_hour (
    investigation_id text not null, bucket integer not null, tool text not null, outcome text not null, code text not null,
    count integer not null, duration_sum real not null,
    primary key (investigation_id, bucket, tool, outcome, code)
  ) without rowid`.execute(db);
  await sql`create table op_latency_hour (
    investigation_id text not null, bucket integer not null, tool text not null, bin integer not null, count integer not null,
    primary key (investigation_id, bucket, tool, bin)
  ) without rowid`.execute(db);

  // Queue depth as the executor saw it at each commit (last sample per batch and minute).
  await sql`create table queue_samples (
    batch_id text not null, bucket integer not null, investigation_id text not null, at integer not null,
    pending integer not null, running integer not null,
    primary key (batch_id, bucket)
  ) without rowid`.execute(db);
  await sql`create index queue_samples_time on queue_samples(bucket)`.execute(db);
  await sql`create index queue_samples_inv_time on queue_samples(investigation_id, bucket)`.execute(db);

  await sql`create table breaker_trips (
    id integer primary key, at integer not null, host text not null, tool text not null, investigation_id text not null
  )`.execute(db);
  await sql`create index breaker_trips_time on breaker_trips(at)`.execute(db);

  // Webhook delivery attempts: exact reads over the time index, hourly rollups kept by a trigger (same transaction, any writer).
  await sql`create index delivery_attempts_time on delivery_attempts(started_at, webhook_id, duration_ms, status_code, error_code)`.execute(db);
  await sql`create index deliveries_dead on deliveries(updated_at) where status = 'dead'`.execute(db);
  await sql`create table webhook_stats_hour (
    bucket integer not null, webhook_id text not null, ok integer not null, code text not null,
    count integer not null, duration_sum real not null,
    primary key (bucket, webhook_id, ok, code)
  ) without rowid`.execute(db);
  await sql`create table webhook_latency_hour (
    bucket integer not null, webhook_id text not null, bin integer not null, count integer not null,
    primary key (bucket, webhook_id, bin)
  ) without rowid`.execute(db);
  const ok = `(new.status_code between 200 and 299 and new.error_code is null)`;
  const code = `coalesce(new.error_code, case when new.status_code is not null and not (new.status_code between 200 and 299) then 'http_' || new.status_code end, '')`;
  await sql`create trigger delivery_attempts_rollup after insert on delivery_attempts begin
    insert into webhook_stats_hour (bucket, webhook_id, ok, code, count, duration_sum)
      values (new.started_at / 3600000 * 3600000, new.webhook_id, ${sql.raw(ok)}, ${sql.raw(code)}, 1, new.duration_ms)
      on conflict (bucket, webhook_id, ok, code) do update set count = count + 1, duration_sum = duration_sum + excluded.duration_sum;
    insert into webhook_latency_hour (bucket, webhook_id, bin, count)
      values (new.started_at / 3600000 * 3600000, new.webhook_id, ${sql.raw(LATENCY_BIN_SQL('new.duration_ms'))}, 1)
      on conflict (bucket, webhook_id, bin) do update set count = count + 1;
  end`.execute(db);

  // Relay verification outcomes, kept by the log writer beside its status rollups (relay/rollups.ts).
  for (const t of ['relay_verification_minute', 'relay_verification_hour']) {
    await sql`create table ${sql.raw(t)} (
      bucket integer not null, verification text not null, endpoint_id text not null, count integer not null,
      primary key (bucket, verification, endpoint_id)
    ) without rowid`.execute(db);
  }

  // Entities discovered over time: a window's discoveries by type from the index alone.
  await sql`create index entities_seen_type on entities(first_seen, type)`.execute(db);

  // History from before this migration, so existing data shows (error codes only as coarse as what was stored).
  await sql`insert into op_runs (finished_at, investigation_id, batch_id, tool, outcome, code, duration_ms)
    select a.finished_at, b.investigation_id, o.batch_id, o.tool,
      case when a.outcome = 'completed' then 'completed' when a.outcome = 'refused' then 'refused'
           when a.outcome = 'failed' and a.attempt = o.attempts and o.status = 'failed' then 'failed' else 'retry' end,
      case when a.outcome = 'completed' then '' when a.outcome = 'refused' then 'circuit_open'
           when a.error_kind = 'transient' then 'transient' else 'tool_error' end,
      a.duration_ms
    from operation_attempts a join operations o on o.id = a.operation_id join batches b on b.id = o.batch_id
    where a.outcome != 'aborted' order by a.finished_at`.execute(db);
  for (const inv of ['investigation_id', `'*'`]) {
    await sql`insert into op_stats_hour (investigation_id, bucket, tool, outcome, code, count, duration_sum)
      select ${sql.raw(inv)}, finished_at / 3600000 * 3600000, tool, outcome, code, count(*), sum(duration_ms) from op_runs group by 1, 2, 3, 4, 5`.execute(db);
    await sql`insert into op_latency_hour (investigation_id, bucket, tool, bin, count)
      select ${sql.raw(inv)}, finished_at / 3600000 * 3600000, tool, ${sql.raw(LATENCY_BIN_SQL('duration_ms'))}, count(*) from op_runs
      where outcome != 'refused' group by 1, 2, 3, 4`.execute(db);
  }
  await sql`insert into webhook_stats_hour (bucket, webhook_id, ok, code, count, duration_sum)
    select started_at / 3600000 * 3600000, webhook_id, ${sql.raw(ok.replaceAll('new.', ''))}, ${sql.raw(code.replaceAll('new.', ''))}, count(*), sum(duration_ms)
    from delivery_attempts group by 1, 2, 3, 4`.execute(db);
  await sql`insert into webhook_latency_hour (bucket, webhook_id, bin, count)
    select started_at / 3600000 * 3600000, webhook_id, ${sql.raw(LATENCY_BIN_SQL('duration_ms'))}, count(*) from delivery_attempts group by 1, 2, 3`.execute(db);
  for (const [t, size] of [['relay_verification_minute', 60_000], ['relay_verification_hour', 3_600_000]] as const) {
    await sql`insert into ${sql.raw(t)} (bucket, verification, endpoint_id, count)
      select received_at / ${sql.raw(String(size))} * ${sql.raw(String(size))}, verification, coalesce(endpoint_id, ''), count(*) from relay_requests group by 1, 2, 3`.execute(db);
  }
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`drop trigger if exists delivery_attempts_rollup`.execute(db);
  await sql`drop index if exists delivery_attempts_time`.execute(db);
  await sql`drop index if exists deliveries_dead`.execute(db);
  await sql`drop index if exists entities_seen_type`.execute(db);
  for (const t of [
    'relay_verification_hour',
    'relay_verification_minute',
    'webhook_latency_hour',
    'webhook_stats_hour',
    'breaker_trips',
    'queue_samples',
    'op_latency_hour',
    'op_stats_hour',
    'op_runs',
  ]) {
    await db.schema.dropTable(t).ifExists().execute();
  }
}
