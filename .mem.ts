import { openDatabase } from './db/client';
import { migrateDatabase } from './db/migrate';
import { seedDatabase } from './db/seed/index';
import { rmSync } from 'node:fs';
const path = `/tmp/dbt/mem.db`; for (const s of ['', '-wal', '-shm']) rmSync(path + s, { force: true });
const { client } = await openDatabase('file:' + path);
await migrateDatabase(client);
let last = 0;
await seedDatabase(client, { clients: Number(process.argv[2]), seed: 42, today: '2026-11-15', demoUsers: false, onProgress: (d) => {
  if (d - last >= 10000) { last = d; const m = process.memoryUsage(); console.log(d, 'rss', Math.round(m.rss/2**20), 'heap', Math.round(m.heapUsed/2**20), 'ext', Math.round(m.external/2**20), 'ab', Math.round(m.arrayBuffers/2**20)); (globalThis as any).gc?.(); }
}});
client.close();
