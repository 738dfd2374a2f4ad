import { createClient } from '@libsql/client';
import { rmSync } from 'node:fs';
import { migrateDatabase } from '../db/migrate';
import { seedDatabase } from '../db/seed/index';
const N = Number(process.env.N ?? 50000);
for (const pre of (process.env.PRES ?? '|PRAGMA cache_size=-262144').split('|')) {
  const path = '/tmp/bq/exp/seed.db'; for (const s of ['', '-wal', '-shm']) rmSync(path + s, { force: true });
  const c = createClient({ url: 'file:' + path });
  await c.execute('PRAGMA journal_mode=WAL');
  await migrateDatabase(c);
  if (pre) await c.execute(pre);
  const real = c.batch.bind(c); let b = 0;
  (c as any).batch = async (...a: any[]) => { const t = performance.now(); try { return await real(...a); } finally { b += performance.now() - t; } };
  const t = performance.now();
  const s = await seedDatabase(c, { clients: N, seed: 42, today: '2026-11-15' });
  console.log(JSON.stringify(pre), N, ((performance.now() - t) / 1000).toFixed(1), 's; in batch', (b / 1000).toFixed(1), 's', JSON.stringify(s.counts), 'maxRSS MB', (process.resourceUsage().maxRSS / 1024).toFixed(0));
  c.close();
}
