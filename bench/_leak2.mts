import { createClient } from '@libsql/client';
import Database from 'libsql';
import { rmSync } from 'node:fs';
const path = '/tmp/bq/exp/leak2.db'; for (const s of ['', '-wal', '-shm']) rmSync(path + s, { force: true });
const kind = process.env.KIND ?? 'ints';
const per = 8000;
let id = 0;
const report = (r: number) => console.log(kind, r, 'rss MB', (process.memoryUsage.rss() / 2 ** 20).toFixed(0));
if (kind === 'native') {
  const db = new Database(path);
  db.exec('create table t (id integer primary key, a text, b integer, c text)');
  for (let round = 0; round < 40; round++) {
    for (let k = 0; k < 10; k++) {
      const args: any[] = [];
      for (let i = 0; i < per; i++) args.push(++id, 'name ' + id, id * 3, 'x'.repeat(20));
      db.prepare('insert into t values ' + Array(per).fill('(?,?,?,?)').join(',')).run(args);
    }
    (globalThis as any).gc?.(); if (round % 10 === 9) report(round + 1);
  }
} else {
  const c = createClient({ url: 'file:' + path });
  await c.execute('create table t (id integer primary key, a text, b integer, c text)');
  for (let round = 0; round < 40; round++) {
    for (let k = 0; k < 10; k++) {
      if (kind === 'literal') { const v = []; for (let i = 0; i < per; i++) { ++id; v.push(`(${id},'name ${id}',${id * 3},'xxxxxxxxxxxxxxxxxxxx')`); } await c.execute('insert into t values ' + v.join(',')); }
      else { const args: any[] = []; for (let i = 0; i < per; i++) args.push(++id, id, id * 3, id); await c.execute({ sql: 'insert into t values ' + Array(per).fill('(?,?,?,?)').join(','), args }); }
    }
    (globalThis as any).gc?.(); if (round % 10 === 9) report(round + 1);
  }
}
