import { createClient } from '@libsql/client';
const c = createClient({ url: 'file:/tmp/bq/exp/seeded.db' });
for (const q of process.argv.slice(2)) { console.log('--', q.slice(0, 200)); for (const r of (await c.execute('EXPLAIN QUERY PLAN ' + q)).rows) console.log('  ', r.detail); }
