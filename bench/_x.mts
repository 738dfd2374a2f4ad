import { createClient } from '@libsql/client';
const c = createClient({ url: 'file:' + (process.env.DB ?? '/tmp/bq/exp/seeded.db') + '' });
const period = `left join client_period_status cps on (cps.client_id = c.id and cps.period_key = case p.tracking_cycle when 'quarterly' then '2026-Q4' else '2026-11' end) left join status_types st on st.id = cps.status_type_id`;
const cols = `c.id, c.client_code, c.full_name, c.pension_number, b.code, p.code, ps.code, c.past_due_centavos, st.code, st.name`;
const Q: Record<string, string> = {
  current: `select ${cols} from clients c join products p on p.id=c.product_id join branches b on b.id=c.branch_id join par_statuses ps on ps.id=c.par_status_id ${period} where (c.company_id=1 or c.company_id=2) and c.deleted_at is null order by c.full_name, c.id limit 25 offset OFF`,
  deferred: `with page as (select id from clients where (company_id=1 or company_id=2) and deleted_at is null order by full_name, id limit 25 offset OFF) select ${cols} from page join clients c on c.id=page.id join products p on p.id=c.product_id join branches b on b.id=c.branch_id join par_statuses ps on ps.id=c.par_status_id ${period} order by c.full_name, c.id`,
  count: `select count(*) from clients c join products p on p.id=c.product_id where (c.company_id=1 or c.company_id=2) and c.deleted_at is null`,
  countNoJoin: `select count(*) from clients c where (c.company_id=1 or c.company_id=2) and c.deleted_at is null`,
  officer: `select ${cols} from clients c join products p on p.id=c.product_id join branches b on b.id=c.branch_id join par_statuses ps on ps.id=c.par_status_id ${period} where (c.company_id=1 and c.branch_id in (1)) and c.deleted_at is null order by c.full_name, c.id limit 25 offset 1300`,
  search: `select ${cols} from clients c join products p on p.id=c.product_id join branches b on b.id=c.branch_id join par_statuses ps on ps.id=c.par_status_id ${period} where (c.company_id=1 or c.company_id=2) and c.deleted_at is null and (c.client_code like 'SANTOS%' escape '\\' or c.pension_number like 'Santos%' escape '\\' or c.full_name like '%Santos%' escape '\\') order by c.full_name, c.id limit 25`,
};
for (const s of (process.env.PRE ?? '').split(';').filter(Boolean)) { const t = performance.now(); await c.execute(s); console.log('pre', s, (performance.now() - t).toFixed(0), 'ms'); }
for (const [k, q0] of Object.entries(Q)) for (const off of k === 'current' || k === 'deferred' ? [0, 4975] : [0]) {
  const q = q0.replace('OFF', String(off));
  const plan = (await c.execute('EXPLAIN QUERY PLAN ' + q)).rows.map((r) => r.detail).join(' | ');
  const ms: number[] = [];
  for (let i = 0; i < 3; i++) { const t = performance.now(); await c.execute(q); ms.push(performance.now() - t); }
  console.log(k, off, ms.map((m) => m.toFixed(1)).join(' '), '::', plan);
}
