// Builds the migrated + seeded base database that every integration test copies.
import { mkdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { openDatabase } from '../../db/client';
import { migrateDatabase } from '../../db/migrate';
import { seedDatabase } from '../../db/seed/index';

/** What the base holds: small, fixed and reproducible. */
export const TEST_DB_SEED = { clients: 2000, seed: 42, today: '2026-11-15' } as const;

export function fileUrl(path: string): string {
  return pathToFileURL(path).href;
}

export function newTestDir(label: string): string {
  const dir = join(tmpdir(), 'client-updater-tests', `${label}-${process.pid}-${Date.now()}-${Math.random().toString(36).slice(2, 8)}`);
  mkdirSync(dir, { recursive: true });
  return dir;
}

/** Migrates (and seeds unless `seeded` is false) a new file, then closes it as one self-contained file. */
export async function buildBaseDatabase(path: string, { seeded = true } = {}): Promise<string> {
  rmSync(path, { force: true });
  const { client } = await openDatabase(fileUrl(path));
  try {
    await migrateDatabase(client);
    if (seeded) {
      await seedDatabase(client, { ...TEST_DB_SEED, demoUsers: true });
      // Reversals and reinstatements wait for a checker by default (domain.md "Four eyes"); the suites
      // test the direct status paths, so the base turns that check off per company. The approval
      // tests (approvals-status.test.ts) delete these rows to get the default back.
      await client.execute(
        "INSERT INTO config_settings (key, company_id, value, value_type, description) SELECT 'checker_status_reversals', id, 'false', 'boolean', 'Off in tests: direct status paths' FROM companies",
      );
    }
    // Fold the WAL back in and leave WAL mode, so a plain file copy is the whole database.
    await client.execute('PRAGMA wal_checkpoint(TRUNCATE)');
    await client.execute('PRAGMA journal_mode=DELETE');
  } finally {
    client.close();
  }
  return path;
}
