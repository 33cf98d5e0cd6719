import type SQLite from 'better-sqlite3';
import { LATENCY_BIN_SQL } from '../db/migrations/009_analytics.ts';
import { ALL, DAY, HOUR } from './recorder.ts';

/**
 * Add the hourly and daily rollups of op_runs rows with id >= fromId, computed in SQL:
 * the twin of what OpRecorder adds per commit, for data written around the
 * executor (benchmarks, seeded fixtures). A unit test checks the two agree.
 */
export function rebuildOpRollups(sqlite: SQLite.Database, fromId = 0): void {
  sqlite.transaction(() => {
    for (const [inv, grain, size] of [
      ['investigation_id', 'hour', HOUR],
      [`'${ALL}'`, 'hour', HOUR],
      ['investigation_id', 'day', DAY],
      [`'${ALL}'`, 'day', DAY],
    ] as const) {
      sqlite
        .prepare(
          `insert into op_stats_${grain} (investigation_id, bucket, tool, outcome, code, count, duration_sum)
           select ${inv}, finished_at / ${size} * ${size}, tool, outcome, code, count(*), sum(duration_ms) from op_runs where id >= ? group by 1, 2, 3, 4, 5
           on conflict (investigation_id, bucket, tool, outcome, code) do update set count = count + excluded.count, duration_sum = duration_sum + excluded.duration_sum`,
        )
        .run(fromId);
      sqlite
        .prepare(
          `insert into op_latency_${grain} (investigation_id, bucket, tool, bin, count)
           select ${inv}, finished_at / ${size} * ${size}, tool, ${LATENCY_BIN_SQL('duration_ms')}, count(*) from op_runs
           where id >= ? and outcome != 'refused' group by 1, 2, 3, 4
           on conflict (investigation_id, bucket, tool, bin) do update set count = count + excluded.count`,
        )
        .run(fromId);
    }
  })();
}
