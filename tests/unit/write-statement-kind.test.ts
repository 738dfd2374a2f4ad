// Which statements the database port sends through the write turn (decision 124): a write that
// skipped it would meet SQLite's lock in native code and stall a cluster worker; a read that took
// it would wait behind every write (reads are the hot path).
import { describe, expect, it } from 'vitest';
import { writesToDatabase } from '../../app/platform/write-turn-client';

describe('writesToDatabase', () => {
  it.each([
    'select "id" from "users" where "users"."id" = ?',
    '  SELECT count(*) FROM activity_logs',
    '-- the list\nselect 1',
    '/* page */ select 1',
    'with recent as (select id from status_events) select count(*) from recent',
    'with c as (select update_count, updated_at from client_period_status) select * from c',
    'explain query plan select * from clients',
    'values (1), (2)',
    'PRAGMA table_info(users)',
    'pragma foreign_keys',
  ])('a read: %s', (sql) => {
    expect(writesToDatabase(sql)).toBe(false);
  });

  it.each([
    'insert into "activity_logs" ("action") values (?)',
    'update "users" set "full_name" = ? where "users"."id" = ?',
    'DELETE FROM user_sessions WHERE ended_at < ?',
    'replace into settings (key, value) values (?, ?)',
    '  -- cleanup\n  delete from export_jobs',
    'with next as (select id from job_queue limit 1) update job_queue set status = ? where id in (select id from next)',
    'WITH x AS (SELECT 1) INSERT INTO t SELECT * FROM x',
    'PRAGMA journal_mode=WAL',
    'PRAGMA optimize',
    'pragma wal_checkpoint(TRUNCATE)',
    'create index if not exists i on t (a)',
    'drop table t',
    'VACUUM',
    '',
  ])('a write: %s', (sql) => {
    expect(writesToDatabase(sql)).toBe(true);
  });
});
