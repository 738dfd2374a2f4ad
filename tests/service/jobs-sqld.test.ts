// The same claim statement over libSQL HTTP against the real sqld: several workers with their own
// connections race for the jobs; each job is claimed once, and leases and completion hold.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Client } from '@libsql/client';
import { openDatabase } from '../../db/client';
import type { AppDatabase } from '../../db/database';
import { migrateDatabase } from '../../db/migrate';
import { jobQueue, type Job } from '../../db/schema';
import { QUEUE_POLICIES } from '../../app/core/jobs/queues';
import { claimNextJob, completeJob } from '../../service/jobs/job-store';
import { startSqld, type StartedSqld } from '../support/sqld';
import { enqueue, jobRow, movableClock, runRow, runRowFor, testWorker } from './fixtures/job-fixtures';

let sqld: StartedSqld;
const clients: Client[] = [];
async function connect(): Promise<AppDatabase> {
  const { client, db } = await openDatabase(sqld.url);
  clients.push(client);
  return db;
}

beforeAll(async () => {
  sqld = await startSqld();
  const { client } = await openDatabase(sqld.url);
  await migrateDatabase(client);
  client.close();
});
afterAll(async () => {
  for (const c of clients) c.close();
  await sqld?.stop();
});

describe('job claims over libSQL HTTP (sqld)', () => {
  it('three workers racing on their own connections claim each of 60 jobs exactly once', async () => {
    const clock = movableClock();
    const db = await connect();
    const ids: number[] = [];
    for (let i = 0; i < 60; i++) ids.push(await enqueue(db, clock, { queue: 'nextbank', payload: { i }, priority: i % 3 }));

    const claims = new Map<number, string[]>();
    const race = async (name: string) => {
      const mine = await connect();
      for (let n = 0; ; n++) {
        const job: Job | null = await claimNextJob(mine, { queues: ['nextbank'], owner: `${name}#${n}`, now: clock.now(), policies: QUEUE_POLICIES });
        if (!job) return;
        claims.set(job.id, [...(claims.get(job.id) ?? []), job.leaseOwner!]);
        expect(await completeJob(mine, job, job.leaseOwner!, clock.now())).toBe(true);
      }
    };
    await Promise.all([race('a'), race('b'), race('c')]);

    expect([...claims.keys()].sort((x, y) => x - y)).toEqual(ids);
    expect([...claims.values()].every((owners) => owners.length === 1)).toBe(true);
    // Work was really shared (each worker got some), and every row is done with one attempt.
    const byWorker = new Set([...claims.values()].map(([owner]) => owner[0]));
    expect(byWorker.size).toBeGreaterThan(1);
    const rows = await db.select().from(jobQueue);
    expect(rows.every((r) => r.status === 'done' && r.attempts === 1)).toBe(true);
  });

  it('runs a job through the worker over HTTP, with lease expiry and the run row kept in step', async () => {
    const clock = movableClock();
    const db = await connect();
    const id = await enqueue(db, clock, { queue: 'cleanup', payload: {} });
    const runId = await runRowFor(db, id, 'schedule');
    const policies = { ...QUEUE_POLICIES, cleanup: { ...QUEUE_POLICIES.cleanup, leaseMs: 1_000 } };
    const lost = await claimNextJob(db, { queues: ['cleanup'], owner: 'vanished#1', now: clock.now(), policies });
    expect(lost?.id).toBe(id);
    expect(await runRow(db, runId)).toMatchObject({ status: 'running' });

    clock.advance(1_001);
    const worker = testWorker(await connect(), clock, { cleanup: async () => 'cleaned' });
    expect((await worker.runOnce())?.outcome).toBe('done');
    expect(await jobRow(db, id)).toMatchObject({ status: 'done', attempts: 2, progress: { message: 'cleaned' } });
    expect(await runRow(db, runId)).toMatchObject({ status: 'done', error: null });
    expect(await completeJob(db, lost!, 'vanished#1', clock.now())).toBe(false);
  });
});
