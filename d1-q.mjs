import { createClient } from '@libsql/client';
const c = createClient({ url: 'file:' + process.argv[2] });
for (const s of process.argv.slice(3)) { const t = performance.now(); const r = await c.execute(s); console.log(JSON.stringify(r.rows.slice(0, 30)), (performance.now() - t).toFixed(1) + 'ms'); }
