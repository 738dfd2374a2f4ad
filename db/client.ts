// Node only: open a libSQL database (local file or remote sqld/Turso) and wrap it in Drizzle.
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type Client, createClient } from '@libsql/client';
import { takingWriteTurn } from '../app/platform/write-turn-client';
import { type AppDatabase, createDrizzle } from './database';

export const DEFAULT_DATABASE_URL = 'file:data/app.db';

/** Busy timeout for local files: writers wait for the lock instead of failing with SQLITE_BUSY. */
const BUSY_TIMEOUT_MS = Number(process.env.DATABASE_BUSY_TIMEOUT_MS ?? 5000);

export function isFileUrl(url: string): boolean {
  return url.startsWith('file:');
}

/** Filesystem path of a file: URL ('file:data/app.db' is relative to the cwd). */
export function filePathOf(url: string): string {
  if (url.startsWith('file://')) return fileURLToPath(url.split('?')[0]);
  return url.slice('file:'.length).split('?')[0];
}

/**
 * A plain libSQL client with this app's connection settings: WAL and the busy timeout on a local file,
 * foreign keys everywhere. No write turn: openDatabase wraps it; a worker thread that writes while its
 * parent holds the turn for it (service/snowflake/batch-writer.ts) uses it as it is.
 */
export async function openClient(url: string, authToken?: string): Promise<Client> {
  const file = isFileUrl(url);
  if (file) mkdirSync(dirname(filePathOf(url)), { recursive: true });
  const opened = createClient(file ? { url, timeout: BUSY_TIMEOUT_MS } : { url, authToken });
  if (file) {
    // WAL is stored in the file, so setting it once covers every pooled connection.
    // foreign_keys: libsql turns it on for each new connection; stating it keeps the intent visible.
    await opened.execute('PRAGMA journal_mode=WAL');
    await opened.execute(`PRAGMA busy_timeout=${BUSY_TIMEOUT_MS}`);
  }
  await opened.execute('PRAGMA foreign_keys=ON');
  return opened;
}

/** The file: URL each client of openDatabase on a local file was opened on (another connection to it needs it). */
const fileUrls = new WeakMap<Client, string>();

/** The URL another connection can open to reach the same local file as `client`; null for HTTP or in-memory. */
export function localFileUrlOf(client: Client): string | null {
  return fileUrls.get(client) ?? null;
}

/**
 * The client and its Drizzle database. On a local file both take this process's write turn for every
 * write outside a transaction (decision 124: app/platform/write-turn-client.ts); over HTTP the server
 * orders the writes and the client is libSQL's own.
 */
export async function openDatabase(
  url: string = process.env.DATABASE_URL ?? DEFAULT_DATABASE_URL,
  authToken: string | undefined = process.env.DATABASE_AUTH_TOKEN || undefined,
  options: { transactionWaitLimitMs?: number } = {},
): Promise<{ client: Client; db: AppDatabase }> {
  const file = isFileUrl(url);
  const opened = await openClient(url, authToken);
  const client = file ? takingWriteTurn(opened, options) : opened;
  if (file && !/:memory:|mode=memory/.test(url)) fileUrls.set(client, url);
  return { client, db: createDrizzle(client) };
}
