import { createClient } from '@libsql/client';
import { rmSync } from 'node:fs';
import { migrateDatabase } from '../db/migrate';
import { seedReferenceData } from '../db/seed/index';
import { seedDemoOrg } from '../db/seed/demo-org';
const src = createClient({ url: 'file:/tmp/bq/exp/seeded.db' });
const info = await src.execute('PRAGMA table_info(clients)');
const cols = info.rows.map((r) => String(r.name)).filter((c) => !['created_at', 'updated_at', 'deleted_at'].includes(c));
const rows = (await src.execute(`select ${cols.join(',')} from clients order by id`)).rows.map((r) => cols.map((_, i) => r[i]));
const tuple = `(${cols.map(() => '?').join(',')})`;
const per = 1230;
for (const pre of (process.env.PRES ?? '|PRAGMA cache_size=-262144').split('|')) {
  const path = '/tmp/bq/exp/raw.db'; for (const s of ['', '-wal', '-shm']) rmSync(path + s, { force: true });
  const c = createClient({ url: 'file:' + path });
  await c.execute('PRAGMA journal_mode=WAL');
  await migrateDatabase(c); await seedReferenceData(c); await seedDemoOrg(c);
  if (pre) await c.execute(pre);
  const stmts = [];
  for (let i = 0; i < rows.length; i += per) { const s = rows.slice(i, i + per); stmts.push({ sql: `INSERT INTO clients (${cols.join(',')}) VALUES ${s.map(() => tuple).join(',')}`, args: s.flat() as any }); }
  const t = performance.now();
  await c.batch(stmts, 'write');
  console.log(JSON.stringify(pre), rows.length, ((performance.now() - t) / 1000).toFixed(1), 's', (await c.execute('pragma cache_size')).rows[0]);
  c.close();
}
