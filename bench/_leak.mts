import { createClient } from '@libsql/client';
import { rmSync } from 'node:fs';
const path = '/tmp/bq/exp/leak.db'; for (const s of ['', '-wal', '-shm']) rmSync(path + s, { force: true });
const c = createClient({ url: 'file:' + path });
await c.execute('PRAGMA journal_mode=WAL');
await c.execute('create table t (id integer primary key, a text, b integer, c text)');
const per = Number(process.env.PER ?? 8000); // rows per statement (4 vars each)
const mode = process.env.MODE ?? 'batch';
let id = 0;
for (let round = 0; round < 60; round++) {
  const stmts = [];
  for (let k = 0; k < 10; k++) {
    const args: any[] = [];
    for (let i = 0; i < per; i++) args.push(++id, 'name ' + id, id * 3, 'x'.repeat(20));
    stmts.push({ sql: 'insert into t values ' + Array(per).fill('(?,?,?,?)').join(','), args });
  }
  if (mode === 'batch') await c.batch(stmts, 'write'); else for (const s of stmts) await c.execute(s);
  (globalThis as any).gc?.();
  if (round % 10 === 9) console.log(mode, per, round + 1, 'rss MB', (process.memoryUsage.rss() / 2 ** 20).toFixed(0), 'heap', (process.memoryUsage().heapUsed / 2 ** 20).toFixed(0));
}
