import { createClient } from '@libsql/client';
import { rmSync } from 'node:fs';
const path = `/tmp/dbt/mem3.db`; for (const s of ['', '-wal', '-shm']) rmSync(path + s, { force: true });
const c = createClient({ url: 'file:' + path });
await c.execute('create table t (a integer, b text, c integer, d integer, e text, f integer, g integer, h integer)');
const mode = process.argv[2]; const per = Number(process.argv[3]);
const total = 20000;
for (let round = 1; round <= 30; round++) {
  const stmts = [];
  for (let k = 0; k < total; k += per) {
    if (mode === 'bind') { const args = []; for (let i = 0; i < per; i++) args.push(i, 'hello' + i, i, i, 'x', 1, 2, 3); stmts.push({ sql: 'insert into t values ' + Array.from({ length: per }, () => '(?,?,?,?,?,?,?,?)').join(','), args }); }
    if (mode === 'literal') stmts.push({ sql: 'insert into t values ' + Array.from({ length: per }, (_, i) => `(${i},'hello${i}',${i},${i},'x',1,2,3)`).join(','), args: [] });
    if (mode === 'json') { const rows = []; for (let i = 0; i < per; i++) rows.push([i, 'hello' + i, i, i, 'x', 1, 2, 3]); stmts.push({ sql: 'insert into t select value->>0,value->>1,value->>2,value->>3,value->>4,value->>5,value->>6,value->>7 from json_each(?)', args: [JSON.stringify(rows)] }); }
  }
  await c.batch(stmts, 'write');
  if (round % 10 === 0) { (globalThis as any).gc?.(); const m = process.memoryUsage(); console.log(mode, per, round, 'rss', Math.round(m.rss / 2 ** 20)); }
}
