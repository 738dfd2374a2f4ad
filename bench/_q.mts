import { createClient } from '@libsql/client';
const c = createClient({ url: 'file:/tmp/bq/exp/seeded.db' });
const rowsSql = `select "clients"."id", "clients"."client_code", "clients"."full_name", "clients"."pension_number", "branches"."code", "products"."code", "par_statuses"."code", "par_statuses"."name", "clients"."past_due_centavos", "status_types"."code", "status_types"."name" from "clients" inner join "products" on "products"."id" = "clients"."product_id" inner join "branches" on "branches"."id" = "clients"."branch_id" inner join "par_statuses" on "par_statuses"."id" = "clients"."par_status_id" left join "client_period_status" on ("client_period_status"."client_id" = "clients"."id" and "client_period_status"."period_key" = case "products"."tracking_cycle" when 'quarterly' then ? else ? end) left join "status_types" on "status_types"."id" = "client_period_status"."status_type_id" where (("clients"."company_id" = ? or "clients"."company_id" = ?) and "clients"."deleted_at" is null) order by "clients"."full_name" asc, "clients"."id" asc limit ?`;
const args = ['2026-Q4', '2026-11', 1, 2, 25];
const countSql = `select count(*) from "clients" inner join "products" on "products"."id" = "clients"."product_id" where (("clients"."company_id" = ? or "clients"."company_id" = ?) and "clients"."deleted_at" is null)`;
async function t(label: string, sql: string, a: any[]) { const s = performance.now(); const r = await c.execute({ sql, args: a }); console.log(label, (performance.now() - s).toFixed(1), 'ms', r.rows.length, JSON.stringify(r.rows[0]).slice(0, 80)); }
for (const x of process.argv.slice(2)) await c.execute(x);
console.log((await c.execute('pragma cache_size')).rows[0]);
for (let i = 0; i < 2; i++) {
  await t('rows', rowsSql, args);
  await t('count', countSql, [1, 2]);
  await t('rows no period join', `select clients.id, clients.full_name from clients join products on products.id=clients.product_id where (clients.company_id=1 or clients.company_id=2) and deleted_at is null order by full_name, clients.id limit 25`, []);
  await t('sort only', `select id, full_name from clients where (company_id=1 or company_id=2) and deleted_at is null order by full_name, id limit 25`, []);
}
