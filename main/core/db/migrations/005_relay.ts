import { sql, type Kysely } from 'kysely';

/**
 * The local webhook relay: endpoints, rules, the request log (byte-exact
 * bodies as BLOBs), the durable action queue, and rollups kept as requests
 * are logged so the analytics never scan the log (SPEC §6 P5).
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('relay_endpoints')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('slug', 'text', (c) => c.notNull().unique())
    .addColumn('provider', 'text', (c) => c.notNull())
    .addColumn('secret_sealed', 'text')
    .addColumn('options', 'text', (c) => c.notNull().defaultTo('{}'))
    .addColumn('forward_to', 'text')
    .addColumn('active', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('body_limit', 'integer', (c) => c.notNull())
    .addColumn('tolerance_s', 'integer', (c) => c.notNull())
    .addColumn('created_at', 'integer', (c) => c.notNull())
    .addColumn('updated_at', 'integer', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('relay_rules')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('endpoint_id', 'text', (c) => c.notNull().references('relay_endpoints.id').onDelete('cascade'))
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('event_type', 'text')
    .addColumn('match_path', 'text')
    .addColumn('match_value', 'text')
    .addColumn('template', 'text', (c) => c.notNull())
    .addColumn('investigation_id', 'text', (c) => c.notNull())
    .addColumn('inputs', 'text', (c) => c.notNull().defaultTo('{}'))
    .addColumn('active', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('created_at', 'integer', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('relay_rules_endpoint').on('relay_rules').columns(['endpoint_id']).execute();

  // No foreign key to relay_endpoints: the log outlives deleted endpoints and records unknown slugs.
  await sql`create table relay_requests (
    id integer primary key autoincrement,
    endpoint_id text,
    slug text,
    received_at integer not null,
    method text not null,
    path text not null,
    query text not null default '',
    headers text not null,
    sealed_headers text,
    body blob,
    source_ip text,
    user_agent text,
    content_type text,
    size integer not null,
    status integer not null,
    latency_ms real not null,
    latency_bin integer not null,
    verification text not null,
    error text,
    delivery_id text,
    event_type text,
    duplicate_of integer,
    replay_of integer,
    forward_state text
  )`.execute(db);
  await sql`create index relay_requests_slug on relay_requests(slug, id)`.execute(db);
  await sql`create index relay_requests_endpoint on relay_requests(endpoint_id, id)`.execute(db);
  await sql`create index relay_requests_delivery on relay_requests(endpoint_id, delivery_id) where delivery_id is not null and duplicate_of is null`.execute(db);

  await sql`create table relay_jobs (
    id integer primary key autoincrement,
    request_id integer not null references relay_requests(id) on delete cascade,
    kind text not null check (kind in ('forward','rules')),
    status text not null check (status in ('pending','done','failed')),
    attempts integer not null default 0,
    next_at integer not null,
    last_error text,
    created_at integer not null,
    updated_at integer not null
  )`.execute(db);
  await sql`create index relay_jobs_due on relay_jobs(next_at) where status = 'pending'`.execute(db);
  await sql`create index relay_jobs_request on relay_jobs(request_id)`.execute(db);

  await sql`create table relay_forwards (
    id text primary key,
    request_id integer not null references relay_requests(id) on delete cascade,
    attempt integer not null,
    url text not null,
    status integer,
    duration_ms real not null,
    response_excerpt text,
    error text,
    created_at integer not null
  )`.execute(db);
  await sql`create index relay_forwards_request on relay_forwards(request_id)`.execute(db);

  await sql`create table relay_rule_matches (
    id text primary key,
    request_id integer not null references relay_requests(id) on delete cascade,
    rule_id text not null,
    rule_name text not null,
    outcome text not null,
    batch_id text,
    inputs text not null,
    error text,
    created_at integer not null
  )`.execute(db);
  await sql`create index relay_rule_matches_request on relay_rule_matches(request_id)`.execute(db);

  // Keys lead with (bucket, status) and (bucket, bin): the analytics group by them in key order, without sorting.
  for (const t of ['relay_stats_minute', 'relay_stats_hour']) {
    await sql`create table ${sql.raw(t)} (
      bucket integer not null, status integer not null, error text not null, endpoint_id text not null,
      count integer not null, latency_sum real not null,
      primary key (bucket, status, error, endpoint_id)
    ) without rowid`.execute(db);
  }
  for (const t of ['relay_latency_minute', 'relay_latency_hour']) {
    await sql`create table ${sql.raw(t)} (
      bucket integer not null, bin integer not null, endpoint_id text not null, count integer not null,
      primary key (bucket, bin, endpoint_id)
    ) without rowid`.execute(db);
  }

  // Rollups are written by the relay's log writer in the transaction that logs the requests (relay/rollups.ts).
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const t of [
    'relay_latency_hour',
    'relay_latency_minute',
    'relay_stats_hour',
    'relay_stats_minute',
    'relay_rule_matches',
    'relay_forwards',
    'relay_jobs',
    'relay_requests',
    'relay_rules',
    'relay_endpoints',
  ]) {
    await db.schema.dropTable(t).ifExists().execute();
  }
}
