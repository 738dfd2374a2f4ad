import { createClient } from '@libsql/client';
import { rmSync } from 'node:fs';
const path = `/tmp/dbt/mem2.db`; for (const s of ['', '-wal', '-shm']) rmSync(path + s, { force: true });
const c = createClient({ url: 'file:' + path });
await c.execute('create table t (a integer, b text, c integer, d integer, e text, f integer, g integer, h integer)');
const mode = process.argv[2];
const per = 4000;
const sql = 'insert into t values ' + Array.from({ length: per }, () => '(?,?,?,?,?,?,?,?)').join(',');
for (let round = 1; round <= 60; round++) {
  const stmts = [];
  for (let k = 0; k < 5; k++) { const args = []; for (let i = 0; i < per; i++) args.push(i, 'hello' + i, i, i, 'x', 1, 2, 3); stmts.push({ sql, args }); }
  if (mode === 'batch') await c.batch(stmts, 'write');
  else if (mode === 'tx') { const tx = await c.transaction('write'); for (const s of stmts) await tx.execute(s); await tx.commit(); }
  else for (const s of stmts) await c.execute(s);
  if (round % 10 === 0) { (globalThis as any).gc?.(); const m = process.memoryUsage(); console.log(mode, round, 'rss', Math.round(m.rss / 2 ** 20), 'heap', Math.round(m.heapUsed / 2 ** 20)); }
}
