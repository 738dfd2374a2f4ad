import { createClient } from '@libsql/client';
const c = createClient({ url: 'file:/tmp/dbt/mem4.db' });
await c.execute('create table if not exists t (a integer primary key, b text)');
for (let round = 1; round <= 5; round++) {
  for (let i = 0; i < 40000; i++) await c.execute({ sql: 'select a, b from t where a = ? and b <> ? limit 1', args: [i, 'x' + i] });
  (globalThis as any).gc?.(); const m = process.memoryUsage(); console.log(round * 40000, 'rss', Math.round(m.rss / 2 ** 20));
}
