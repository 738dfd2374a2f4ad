import { cpSync, existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { getTableConfig, type SQLiteTable } from 'drizzle-orm/sqlite-core';
import { afterAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../../db/client';
import { appliedMigrationId, latestMigrationTag, MIGRATIONS_FOLDER, migrateDatabase } from '../../db/migrate';
import * as schema from '../../db/schema/index';
import journal from '../../db/migrations/meta/_journal.json';
import { fileUrl, newTestDir } from '../support/db-base';

const dir = newTestDir('migrate');
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const schemaTables = (Object.values(schema) as unknown[])
  .filter((v): v is SQLiteTable => typeof v === 'object' && v !== null && Symbol.for('drizzle:IsDrizzleTable') in v)
  .map((t) => getTableConfig(t).name)
  .sort();

describe('migrations', () => {
  it('apply on a fresh file (parent directory created) and create every schema table', async () => {
    const path = join(dir, 'nested', 'deeper', 'app.db');
    const { client } = await openDatabase(fileUrl(path));
    try {
      expect(existsSync(path)).toBe(true);
      expect(await appliedMigrationId(client)).toBeNull();
      await migrateDatabase(client);
      const rows = (
        await client.execute(
          // Virtual tables and their shadow tables (the FTS5 search index, decision 099) are not Drizzle tables.
          "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name NOT LIKE '\\_\\_%' ESCAPE '\\' AND name NOT IN (SELECT name FROM pragma_table_list WHERE type IN ('virtual', 'shadow')) ORDER BY name",
        )
      ).rows.map((r) => String(r.name));
      expect(rows).toEqual(schemaTables);
      const virtual = (await client.execute("SELECT name FROM pragma_table_list WHERE type = 'virtual'")).rows.map((r) => String(r.name));
      expect(virtual).toEqual(['clients_search']);
      expect(schemaTables).toEqual(
        expect.arrayContaining([
          'users',
          'user_permissions',
          'user_sessions',
          'clients',
          'client_period_status',
          'status_events',
          'role_templates',
          'role_template_grants',
          'tele_statuses',
          'update_statuses',
          'client_tele_history',
          'scheduled_job_runs',
          'service_heartbeats',
          'job_queue',
          'performance_snapshots',
        ]),
      );
      expect(await appliedMigrationId(client)).toBe(latestMigrationTag);
      expect(latestMigrationTag).toMatch(/^\d{4}_/);
    } finally {
      client.close();
    }
  });

  it('are idempotent: a second run applies nothing', async () => {
    const { client } = await openDatabase(fileUrl(join(dir, 'twice.db')));
    try {
      await migrateDatabase(client);
      await migrateDatabase(client);
      const n = (await client.execute('SELECT count(*) AS n FROM __drizzle_migrations')).rows[0].n;
      expect(Number(n)).toBe(journal.entries.length); // one row per migration, none twice
    } finally {
      client.close();
    }
  });

  it('leave a file database in WAL mode with foreign keys enforced', async () => {
    const { client } = await openDatabase(fileUrl(join(dir, 'pragmas.db')));
    try {
      await migrateDatabase(client);
      expect((await client.execute('PRAGMA journal_mode')).rows[0].journal_mode).toBe('wal');
      expect(Number((await client.execute('PRAGMA foreign_keys')).rows[0].foreign_keys)).toBe(1);
      await expect(client.execute("INSERT INTO branches (company_id, code, name) VALUES (999, 'X01', 'nowhere')")).rejects.toThrow(/FOREIGN KEY/);
    } finally {
      client.close();
    }
  });

  it('analyze an analyzed database again once a migration changed its schema; leave one never analyzed as it was', async () => {
    // The migrations up to the one before the latest, in a folder of their own (the journal cut to match).
    const older = join(dir, 'older-migrations');
    cpSync(MIGRATIONS_FOLDER, older, { recursive: true });
    const journalFile = join(older, 'meta', '_journal.json');
    const cut = JSON.parse(readFileSync(journalFile, 'utf8')) as typeof journal;
    const latest = cut.entries.pop()!;
    writeFileSync(journalFile, JSON.stringify(cut));
    rmSync(join(older, `${latest.tag}.sql`));
    const statOf = async (client: Awaited<ReturnType<typeof openDatabase>>['client']) => {
      const table = await client.execute("SELECT count(*) AS n FROM sqlite_master WHERE name = 'sqlite_stat1'");
      if (Number(table.rows[0].n) === 0) return null;
      return String((await client.execute("SELECT stat FROM sqlite_stat1 WHERE idx = 'companies_code_uq'")).rows[0]?.stat ?? '');
    };
    const analyzed = await openDatabase(fileUrl(join(dir, 'analyzed.db')));
    const never = await openDatabase(fileUrl(join(dir, 'never-analyzed.db')));
    try {
      for (const { client } of [analyzed, never]) {
        await migrateDatabase(client, older);
        await client.execute("INSERT INTO companies (code, name) VALUES ('FCASH', 'FCASH')");
      }
      await analyzed.client.execute('ANALYZE');
      expect(await statOf(analyzed.client)).toBe('1 1'); // one company
      for (const { client } of [analyzed, never]) await client.execute("INSERT INTO companies (code, name) VALUES ('PCNI', 'PCNI')");
      expect(await statOf(analyzed.client)).toBe('1 1'); // statistics stay as ANALYZE left them

      for (const { client } of [analyzed, never]) await migrateDatabase(client);
      expect(await appliedMigrationId(analyzed.client)).toBe(await appliedMigrationId(never.client));
      expect(await statOf(analyzed.client)).toBe('2 1'); // analyzed again after the latest migration
      expect(await statOf(never.client)).toBeNull(); // a database never analyzed is left to its seed

      await migrateDatabase(analyzed.client); // nothing new to apply: no ANALYZE
      await analyzed.client.execute("INSERT INTO companies (code, name) VALUES ('THIRD', 'Third')");
      await migrateDatabase(analyzed.client);
      expect(await statOf(analyzed.client)).toBe('2 1');
    } finally {
      analyzed.client.close();
      never.client.close();
    }
  });

  it('enforce the key constraints the app relies on', async () => {
    const { client } = await openDatabase(fileUrl(join(dir, 'constraints.db')));
    try {
      await migrateDatabase(client);
      await client.execute("INSERT INTO companies (code, name) VALUES ('FCASH', 'FCASH')");
      await client.execute("INSERT INTO config_settings (key, value, value_type) VALUES ('k', '1', 'number')");
      // NULL company_id must still be unique per key (partial index).
      await expect(client.execute("INSERT INTO config_settings (key, value, value_type) VALUES ('k', '2', 'number')")).rejects.toThrow(/UNIQUE/);
      await expect(client.execute("INSERT INTO config_settings (key, value, value_type) VALUES ('j', '2', 'float')")).rejects.toThrow(/CHECK/);
      await expect(client.execute("INSERT INTO job_queue (queue, payload, status, scheduled_at) VALUES ('sync', '{}', 'bogus', 0)")).rejects.toThrow(/CHECK/);
    } finally {
      client.close();
    }
  });
});
