// Integration tests get a private copy of a migrated, seeded database (never a mock).
import { copyFileSync, mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import type { Client } from '@libsql/client';
import { inject } from 'vitest';
import { openDatabase } from '../../db/client';
import type { AppDatabase } from '../../db/database';
import { buildBaseDatabase, fileUrl, newTestDir } from './db-base';
import './db-global-setup'; // for the ProvidedContext type only

export { TEST_DB_SEED } from './db-base';

export interface TestDb {
  url: string;
  path: string;
  client: Client;
  db: AppDatabase;
  close: () => Promise<void>;
}

export interface TestDbOptions {
  /** false: migrated but empty (no lookups, no demo data). Default true. */
  seeded?: boolean;
}

let workerDir: string | undefined;
const lazyBases = new Map<boolean, Promise<string>>();
let copies = 0;

function dir(): string {
  if (!workerDir) {
    const runDir = safeInject('testDbRunDir');
    workerDir = runDir ? join(runDir, `worker-${process.pid}`) : newTestDir('worker');
    mkdirSync(workerDir, { recursive: true });
  }
  return workerDir;
}

/** The globalSetup's base when configured; otherwise one built lazily in this worker. */
function basePath(seeded: boolean): Promise<string> {
  const provided = seeded ? safeInject('testDbBasePath') : undefined;
  if (provided) return Promise.resolve(provided);
  let base = lazyBases.get(seeded);
  if (!base) {
    base = buildBaseDatabase(join(dir(), seeded ? 'base-seeded.db' : 'base-empty.db'), { seeded });
    lazyBases.set(seeded, base);
  }
  return base;
}

/** inject() throws outside a vitest worker and returns undefined without the globalSetup. */
function safeInject(key: 'testDbBasePath' | 'testDbRunDir'): string | undefined {
  try {
    return inject(key);
  } catch {
    return undefined;
  }
}

export async function createTestDb(options: TestDbOptions = {}): Promise<TestDb> {
  const base = await basePath(options.seeded ?? true);
  // Unique across test files sharing this worker process (module state resets per file).
  const path = join(dir(), `test-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 8)}-${++copies}.db`);
  copyFileSync(base, path);
  const url = fileUrl(path);
  const { client, db } = await openDatabase(url);
  return {
    url,
    path,
    client,
    db,
    close: async () => {
      client.close();
      for (const suffix of ['', '-wal', '-shm']) rmSync(path + suffix, { force: true });
    },
  };
}
