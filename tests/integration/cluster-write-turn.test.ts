// The cluster's write turn (server/cluster-write-turn.ts, decision 121) with real processes: this
// test's process plays the primary, and forked children play web workers, each writing the same
// libSQL file through the app's write queue (tests/support/write-turn-child.ts) with SQLite's busy
// timeout cut to 100 ms, so two writers that overlapped would fail instead of waiting. Asserted:
// holders never overlap (the enter/leave marks alternate), the turn goes first asked first served,
// a transaction that throws rolls back and gives the turn on, writes queued in the holder meanwhile
// run in the same grant (the lease, FILE_TURN_LEASE_MS), and a worker killed while holding it frees it. In-process: a primary that does not answer refuses the write with the 503 error, and
// nothing is written.
import { fork, type ChildProcess } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { shareFileWriteTurn, writeTransaction } from '../../app/platform/write-queue';
import { isStoreUnavailable } from '../../app/web/store-unavailable.server';
import type { PrimaryChannel } from '../../server/cluster-stores';
import { connectToPrimaryWriteTurn, createPrimaryWriteTurn, WriteTurnUnavailable, type TurnHolder } from '../../server/cluster-write-turn';
import { createTestDb, type TestDb } from '../support/db';
import { waitUntil } from '../support/processes';

const root = fileURLToPath(new URL('../..', import.meta.url));

interface ChildReport {
  pid: number;
  ready?: boolean;
  entered?: string;
  done?: string;
  ok?: boolean;
  error?: string;
}

let t: TestDb;
let marksFile: string;
const primary = createPrimaryWriteTurn();
const children: ChildProcess[] = [];
const reports: ChildReport[] = [];

/** A stand-in web worker, served by this process's primary turn as server/cluster.ts serves a cluster worker. */
function startWorker(): ChildProcess {
  const child = fork(path.join(root, 'tests/support/write-turn-child.ts'), [], {
    execArgv: ['--import', 'tsx'],
    cwd: root,
    env: { ...process.env, DATABASE_URL: t.url, MARKS_FILE: marksFile, DATABASE_BUSY_TIMEOUT_MS: '100' },
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  children.push(child);
  child.on('message', (m: unknown) => {
    if ((m as { test?: unknown }).test === true) reports.push(m as ChildReport);
  });
  const holder: TurnHolder = {
    on: ((event: string, listener: (...args: unknown[]) => void) => child.on(event, listener)) as never,
    send: ((message: unknown, callback: (error: Error | null) => void) => child.send(message as object, callback)) as never,
    isConnected: () => child.connected,
  };
  primary.serve(holder);
  return child;
}

const reported = (predicate: (r: ChildReport) => boolean) => waitUntil('a child’s report', async () => reports.some(predicate), { timeoutMs: 20_000 });
/** Writes `tags` (one transaction each, all started in one tick of the child), each holding its transaction `holdMs`. */
const write = (child: ChildProcess, tags: string | string[], holdMs: number, fail = false) =>
  child.send({ test: 'write', tags: typeof tags === 'string' ? [tags] : tags, holdMs, fail });
const doneOf = (tag: string) => reports.find((r) => r.done === tag);
const marks = () => readFileSync(marksFile, 'utf8').trim().split('\n').filter(Boolean);
const rowsWritten = async () => (await t.db.all<{ tag: string }>(sql`select tag from write_turn_marks order by rowid`)).map((r) => r.tag);

beforeAll(async () => {
  t = await createTestDb({ seeded: false });
  await t.client.execute('create table write_turn_marks (tag text not null, pid integer not null)');
  marksFile = `${t.path}.marks`;
  writeFileSync(marksFile, '');
  startWorker();
  startWorker();
  startWorker();
  await waitUntil('three workers ready', async () => reports.filter((r) => r.ready).length === 3, { timeoutMs: 60_000 });
}, 90_000);
afterAll(async () => {
  for (const child of children) if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
  await t?.close();
});

describe('the write turn across worker processes', () => {
  it('one holder at a time, first asked first served, and a transaction that throws gives the turn on', async () => {
    const [a, b, c] = children;
    write(a, 'a1', 400);
    await reported((r) => r.entered === 'a1');
    write(b, 'b1', 50, true); // throws in its transaction
    await waitUntil('b1 waiting', async () => primary.state().waiting === 1, { timeoutMs: 10_000 });
    write(c, 'c1', 50);
    await waitUntil('c1 waiting', async () => primary.state().waiting === 2, { timeoutMs: 10_000 });
    write(a, 'a2', 50); // behind a1 in its own process, then behind b1 and c1 in the cluster's turn
    await reported((r) => r.done === 'a2');

    expect(marks()).toEqual(['enter a1', 'leave a1', 'enter b1', 'leave b1', 'enter c1', 'leave c1', 'enter a2', 'leave a2']);
    expect(doneOf('a1')?.ok).toBe(true);
    expect(doneOf('b1')).toMatchObject({ ok: false, error: 'b1 failed on purpose' });
    expect(doneOf('c1')?.ok).toBe(true);
    expect(await rowsWritten()).toEqual(['a1', 'c1', 'a2']); // b1 rolled back
    expect(primary.state()).toEqual({ held: false, waiting: 0 });
  });

  it('writes queued in one worker while it holds the turn run in the same grant (the lease), in order', async () => {
    const c = children[2];
    writeFileSync(marksFile, '');
    const grantedBefore = primary.granted();
    write(c, ['c2', 'c3', 'c4'], 0);
    await reported((r) => r.done === 'c4');
    expect(marks()).toEqual(['enter c2', 'leave c2', 'enter c3', 'leave c3', 'enter c4', 'leave c4']);
    expect(primary.granted() - grantedBefore).toBe(1);
    expect(primary.state()).toEqual({ held: false, waiting: 0 });
  });

  it('a worker killed while holding the turn frees it: the next one writes', async () => {
    const [a, b] = children;
    writeFileSync(marksFile, '');
    write(a, 'a3', 20_000);
    await reported((r) => r.entered === 'a3');
    write(b, 'b2', 20);
    await waitUntil('b2 waiting', async () => primary.state().waiting === 1, { timeoutMs: 10_000 });
    a.kill('SIGKILL');
    await reported((r) => r.done === 'b2');

    expect(doneOf('b2')?.ok).toBe(true);
    expect(marks()).toEqual(['enter a3', 'enter b2', 'leave b2']); // a3 never left: it died inside
    expect(await rowsWritten()).toEqual(['a1', 'c1', 'a2', 'c2', 'c3', 'c4', 'b2']); // a3 died uncommitted
    expect(primary.state()).toEqual({ held: false, waiting: 0 });
  });
});

describe('a primary that does not answer', () => {
  it('refuses the write with the 503 error, nothing written, and the next write of the process is not held up', async () => {
    const silent: PrimaryChannel = { send: (_message, callback) => callback(null), onMessage: () => undefined };
    shareFileWriteTurn(connectToPrimaryWriteTurn({ channel: silent, timeoutMs: 200 }));
    try {
      const refused = writeTransaction(t.db, (tx) => tx.run(sql`insert into write_turn_marks (tag, pid) values ('silent', 0)`));
      await expect(refused).rejects.toBeInstanceOf(WriteTurnUnavailable);
      expect(isStoreUnavailable(await refused.catch((e: unknown) => e))).toBe(true);
    } finally {
      shareFileWriteTurn(null);
    }
    await writeTransaction(t.db, (tx) => tx.run(sql`insert into write_turn_marks (tag, pid) values ('alone', 0)`));
    expect(await rowsWritten()).toEqual(['a1', 'c1', 'a2', 'c2', 'c3', 'c4', 'b2', 'alone']);
  });
});
