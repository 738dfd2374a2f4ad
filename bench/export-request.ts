// "A request answers in under 100 ms whatever the size" (issue 12): the export request's own work —
// requestExport, what the /reports/exports action calls after its gate: validation, the per-user cap's
// INSERT … SELECT, the job and the activity row in one transaction — timed on the bench's database and,
// as its baseline, on a database of 1,000 clients. Nothing is read from the clients table: the rows are
// read by the service when the job runs. Each queued export is then marked cancelled (directly in SQL)
// so the per-user cap of live exports does not refuse the next request.
import { benchContext } from './bench-context';
import { eq, sql } from 'drizzle-orm';
import { loadAccess } from '../app/core/access/access.server';
import { staffAccess } from '../app/core/access/staff-access.server';
import { requestExport } from '../app/core/exports/request-export.server';
import { openDatabase } from '../db/client';
import { users } from '../db/schema';
import { summarize, type Summary } from './stats';

export async function timeExportRequests(opts: { databaseUrl: string; today: string; runs: number }): Promise<Summary> {
  const { client, db } = await openDatabase(opts.databaseUrl);
  try {
    const ctx = benchContext(db, opts.today, 'bench-request');
    const [admin] = await db.select({ id: users.id }).from(users).where(eq(users.email, 'admin@demo.test'));
    const access = staffAccess(await loadAccess(ctx, admin.id), async () => [1, 2]);
    const kinds = [
      { type: 'clients', format: 'xlsx' },
      { type: 'client_status', format: 'xlsx', company: 'fcash', period: opts.today.slice(0, 7) },
    ];
    const samples: number[] = [];
    for (let i = 0; i < opts.runs + 2; i++) {
      const started = performance.now();
      const asked = await requestExport(ctx, { userId: admin.id, access }, kinds[i % kinds.length]);
      const ms = performance.now() - started;
      if (!asked.ok) throw new Error(JSON.stringify(asked));
      if (i >= 2) samples.push(ms); // the first two warm the statement cache
      await db.run(sql`update export_jobs set status = 'cancelled' where id = ${asked.exportId}`);
    }
    return summarize(samples);
  } finally {
    client.close();
  }
}
