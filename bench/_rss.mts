import { createClient } from '@libsql/client';
import { rmSync } from 'node:fs';
import { migrateDatabase } from '../db/migrate';
import { seedDatabase } from '../db/seed/index';
const N = Number(process.env.N ?? 40000);
const path = '/tmp/bq/exp/rss.db'; for (const s of ['', '-wal', '-shm']) rmSync(path + s, { force: true });
const c = createClient({ url: 'file:' + path });
await c.execute('PRAGMA journal_mode=WAL');
await migrateDatabase(c);
const mb = (n: number) => (n / 2 ** 20).toFixed(0);
await seedDatabase(c, { clients: N, seed: 42, today: '2026-11-15', onProgress: (d) => {
  if (process.env.GC) (globalThis as any).gc();
  const m = process.memoryUsage();
  console.log(d, 'rss', mb(m.rss), 'heap', mb(m.heapUsed), 'external', mb(m.external), 'arrayBuffers', mb(m.arrayBuffers));
} });
console.log('maxRSS', (process.resourceUsage().maxRSS / 1024).toFixed(0));
