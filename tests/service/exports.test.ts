// The export handler on the seeded database, with the local directory and the S3 adapter (against
// the loopback S3 server): rows = the requester's territory when the job RUNS, the scope recorded,
// CSV with a BOM, formula text neutralised in CSV and XLSX (read back with read-excel-file, not
// exceljs), money as numbers, dates as dates, failures shown to the owner.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { eq, sql } from 'drizzle-orm';
import { strFromU8, unzipSync } from 'fflate';
import readXlsxFile from 'read-excel-file/node';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { loadAccess } from '../../app/core/access/access.server';
import { staffAccess } from '../../app/core/access/staff-access.server';
import { requestExport } from '../../app/core/exports/request-export.server';
import type { ExportStorage } from '../../app/platform/files/export-storage';
import { localExportStorage } from '../../app/platform/files/local-export-storage';
import { s3ExportStorage } from '../../app/platform/files/s3-export-storage';
import { exportJobs } from '../../db/schema';
import { createExportHandler } from '../../service/exports/export-handler';
import { createCleanupHandler } from '../../service/maintenance/retention-cleanup';
import { refreshPerformanceSnapshots } from '../../service/maintenance/performance-snapshots';
import { periodOf } from '../../app/core/status/periods';
import { testContext, userIdByEmail } from '../support/app-context';
import { createTestDb, type TestDb } from '../support/db';
import { startLoopbackS3, type LoopbackS3 } from '../support/s3-loopback';
import { movableClock, testWorker } from './fixtures/job-fixtures';

const FORMULA = '=HYPERLINK("http://x","y")';
const ODD_NAME = '  Ñuñez & <Sons> "Jr."\u0001 ';
const AREA = 'area.ncr@demo.test';
let s3: LoopbackS3;
let dir: string;
beforeAll(async () => {
  s3 = await startLoopbackS3();
  dir = mkdtempSync(path.join(tmpdir(), 'exports-test-'));
});
afterAll(async () => {
  await s3.stop();
  rmSync(dir, { recursive: true, force: true });
});

const storages: Array<[string, () => ExportStorage]> = [
  ['local directory', () => localExportStorage(path.join(dir, `local-${Math.random().toString(36).slice(2)}`))],
  [
    'S3 (loopback)',
    () =>
      s3ExportStorage({
        endpoint: s3.url,
        region: 'auto',
        bucket: s3.bucket,
        accessKeyId: s3.accessKeyId,
        secretAccessKey: s3.secretAccessKey,
        forcePathStyle: true,
      }),
  ],
];

async function bytesOf(storage: ExportStorage, key: string): Promise<Buffer> {
  const file = await storage.read(key);
  if (!file) throw new Error(`no file under ${key}`);
  return Buffer.from(await new Response(file.body).arrayBuffer());
}

describe.each(storages)('exports with the %s storage', (_name, makeStorage) => {
  let t: TestDb;
  let storage: ExportStorage;
  const clock = movableClock();
  beforeEach(async () => {
    t = await createTestDb();
    storage = makeStorage();
  });
  afterEach(async () => {
    await t.close();
  });

  async function ask(email: string, input: Record<string, string>) {
    const ctx = testContext({ db: t.db, clock: clock as never });
    const userId = await userIdByEmail(t.db, email);
    const access = staffAccess(await loadAccess(ctx, userId), async () => [1, 2]);
    const result = await requestExport(ctx, { userId, access }, input);
    if (!result.ok) throw new Error(`request refused: ${JSON.stringify(result)}`);
    return { ...result, userId };
  }

  async function run(batchRows = 250) {
    const worker = testWorker(t.db, clock, { export: createExportHandler({ storage, batchRows }) });
    return (await worker.runOnce())?.outcome;
  }

  async function exportRow(id: number) {
    const [row] = await t.db.select().from(exportJobs).where(eq(exportJobs.id, id));
    return row;
  }

  /** The client codes of FCASH's current-month status rows in these branches, from SQL. */
  async function expectedCodes(branchCodes: string[] | null): Promise<string[]> {
    const rows = await t.db.all<{ code: string }>(sql`
      select c.client_code as code from client_period_status s join clients c on c.id = s.client_id join branches b on b.id = c.branch_id
      join companies co on co.id = c.company_id
      where s.period_key = '2026-11' and co.code = 'FCASH' and c.deleted_at is null
      ${
        branchCodes
          ? sql`and b.code in (${sql.join(
              branchCodes.map((b) => sql`${b}`),
              sql`, `,
            )})`
          : sql``
      }`);
    return rows.map((r) => r.code).sort();
  }

  async function ncrBranches(): Promise<string[]> {
    const rows = await t.db.all<{ code: string }>(sql`
      select b.code from branches b join area_branches ab on ab.branch_id = b.id join areas a on a.id = ab.area_id
      join companies co on co.id = a.company_id where a.code = 'NCR' and co.code = 'FCASH'`);
    return rows.map((r) => r.code);
  }

  it('a status export as CSV: UTF-8 with a BOM, exactly the territory, formula text neutralised, the scope recorded', async () => {
    const [victim] = await t.db.all<{ id: number }>(sql`
      select c.id from clients c join branches b on b.id = c.branch_id join client_period_status s on s.client_id = c.id
      where b.code = 'MNLA01' and s.period_key = '2026-11' limit 1`);
    await t.db.run(sql`update clients set full_name = ${FORMULA} where id = ${victim.id}`);
    const { exportId } = await ask(AREA, { type: 'client_status', format: 'csv', company: 'fcash', period: '2026-11' });
    expect(await run()).toBe('done');
    const row = await exportRow(exportId);
    expect(row.status).toBe('done');
    const bytes = await bytesOf(storage, row.filePath!);
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    expect(row.fileSizeBytes).toBe(bytes.length);
    const text = bytes.toString('utf8').slice(1);
    const lines = text.trim().split('\n');
    expect(lines[0]).toMatch(/^Period,Client code,Full name,Branch/);
    const codes = lines.slice(1).map((l) => l.split(',')[1]);
    expect(codes.sort()).toEqual(await expectedCodes(await ncrBranches()));
    expect(row.rowsDone).toBe(codes.length);
    expect(row.rowsTotal).toBe(codes.length);
    expect(text).toContain(`"'=HYPERLINK(""http://x"",""y"")"`);
    const params = row.params as { filters: Record<string, unknown>; scope: { permission: string; companies: Array<{ branchIds: unknown }> } };
    expect(params.filters).toMatchObject({ company: 'fcash', period: '2026-11' });
    expect(params.scope.permission).toBe('status:read');
    expect(params.scope.companies).toHaveLength(1); // the export is of FCASH only
  });

  it('the territory is read when the job runs: an area manager moved to one branch meanwhile gets only that branch', async () => {
    const { exportId, userId } = await ask(AREA, { type: 'client_status', format: 'csv', company: 'fcash', period: '2026-11' });
    // Meanwhile an admin shrinks the territory: no areas, one branch.
    await t.db.run(sql`delete from user_areas where user_id = ${userId}`);
    await t.db.run(sql`insert into user_branches (user_id, branch_id) values (${userId}, (select id from branches where code = 'MNLA01'))`);
    expect(await run()).toBe('done');
    const row = await exportRow(exportId);
    const lines = (await bytesOf(storage, row.filePath!)).toString('utf8').trim().split('\n');
    const codes = lines.slice(1).map((l) => l.split(',')[1]);
    expect(codes.length).toBeGreaterThan(0);
    expect(codes.sort()).toEqual(await expectedCodes(['MNLA01']));
    const scope = (row.params as { scope: { companies: Array<{ branchIds: number[] }> } }).scope;
    expect(scope.companies[0].branchIds).toHaveLength(1);
  });

  it('XLSX read back by read-excel-file: header, formula text as text, money as numbers, dates as dates', async () => {
    const [victim] = await t.db.all<{ id: number; code: string }>(sql`
      select c.id, c.client_code as code from clients c join branches b on b.id = c.branch_id where b.code = 'MNLA01' order by c.id limit 1`);
    await t.db.run(sql`update clients set full_name = ${FORMULA}, past_due_centavos = 123456, birth_date = '1950-03-04' where id = ${victim.id}`);
    const { exportId } = await ask(AREA, { type: 'clients', format: 'xlsx', company: '1' });
    expect(await run()).toBe('done');
    const row = await exportRow(exportId);
    const sheets = await readXlsxFile(await bytesOf(storage, row.filePath!));
    const data = sheets[0].data;
    expect(data[0]).toEqual([
      'Client code',
      'Full name',
      'Pension number',
      'Birth date',
      'Contact number',
      'Company',
      'Branch',
      'Product',
      'Pension type',
      'PAR status',
      'Past due',
      'Loan status',
      'Active',
      'Status this period',
    ]);
    const mine = data.find((r) => r[0] === victim.code)!;
    expect(mine[1]).toBe(FORMULA);
    expect(mine[10]).toBe(1234.56);
    expect(mine[3]).toBeInstanceOf(Date);
    expect((mine[3] as unknown as Date).toISOString().slice(0, 10)).toBe('1950-03-04');
    const [{ n }] = await t.db.all<{ n: number }>(sql`
      select count(*) as n from clients c join area_branches ab on ab.branch_id = c.branch_id join areas a on a.id = ab.area_id
      where a.code = 'NCR' and a.company_id = 1 and c.company_id = 1 and c.deleted_at is null`);
    expect(data.length - 1).toBe(n);
    expect(data.slice(1).every((r) => typeof r[10] === 'number')).toBe(true);
  });

  it("XLSX header is bold, frozen and filtered, money has the peso format (read from the file's XML parts); odd text survives", async () => {
    const [victim] = await t.db.all<{ id: number; code: string }>(sql`
      select c.id, c.client_code as code from clients c join branches b on b.id = c.branch_id where b.code = 'MNLA01' order by c.id limit 1`);
    await t.db.run(sql`update clients set full_name = ${ODD_NAME}, contact_number = ${'@SUM(A1)'} where id = ${victim.id}`);
    const { exportId } = await ask(AREA, { type: 'clients', format: 'xlsx', company: '1' });
    expect(await run()).toBe('done');
    const bytes = await bytesOf(storage, (await exportRow(exportId)).filePath!);
    const parts = unzipSync(bytes);
    const sheetXml = strFromU8(parts['xl/worksheets/sheet1.xml']);
    const stylesXml = strFromU8(parts['xl/styles.xml']);
    expect(sheetXml).toMatch(/<pane [^>]*ySplit="1"[^>]*state="frozen"/);
    expect(sheetXml).toContain('<autoFilter ref="A1:N1"/>');
    expect(sheetXml).not.toContain('<f>'); // no formula anywhere
    const xfs = [...stylesXml.match(/<cellXfs[^>]*>([\s\S]*?)<\/cellXfs>/)![1].matchAll(/<xf [^>]*?\/?>/g)].map((m) => m[0]);
    const fonts = [...stylesXml.match(/<fonts[^>]*>([\s\S]*?)<\/fonts>/)![1].matchAll(/<font>([\s\S]*?)<\/font>/g)].map((m) => m[1]);
    const styleOf = (cell: string) => xfs[Number(new RegExp(`<c r="${cell}" s="(\\d+)"`).exec(sheetXml)![1])];
    const fontOf = (xf: string) => fonts[Number(/fontId="(\d+)"/.exec(xf)![1])];
    for (const cell of ['A1', 'K1', 'N1']) expect(fontOf(styleOf(cell))).toContain('<b/>');
    const money = styleOf('K2');
    expect(fontOf(money)).not.toContain('<b/>');
    const fmtId = /numFmtId="(\d+)"/.exec(money)![1];
    expect(stylesXml).toContain(`<numFmt numFmtId="${fmtId}" formatCode="&quot;₱&quot;#,##0.00"/>`);
    const [sheet] = await readXlsxFile(bytes, { trim: false });
    const mine = sheet.data.find((r) => r[0] === victim.code)!;
    expect(mine[1]).toBe(ODD_NAME.replace('\u0001', '')); // XML cannot hold C0 controls: dropped, the rest kept
    expect(mine[4]).toBe('@SUM(A1)');
  });

  it("an agent performance export holds exactly the agent rows of the requester's branches (the /reports scope)", async () => {
    await refreshPerformanceSnapshots(t.db, periodOf('monthly', new Date('2026-11-15T02:00:00Z')), clock.now());
    const { exportId } = await ask(AREA, { type: 'agent_performance', format: 'csv', period: '2026-11' });
    expect(await run()).toBe('done');
    const lines = (await bytesOf(storage, (await exportRow(exportId)).filePath!)).toString('utf8').trim().split('\n');
    const [{ n }] = await t.db.all<{ n: number }>(sql`
      select count(*) as n from performance_snapshots s where s.scope = 'agent' and s.period_key = '2026-11'
      and s.branch_id in (select ab.branch_id from area_branches ab join areas a on a.id = ab.area_id where a.code = 'NCR')`);
    expect(n).toBeGreaterThan(0);
    expect(lines.length - 1).toBe(n);
  });

  it('the hourly cleanup deletes the file after 24 hours and keeps the row (file_deleted_at)', async () => {
    const { exportId } = await ask(AREA, { type: 'branch_performance', format: 'csv', period: '2026-11' });
    expect(await run()).toBe('done');
    const row = await exportRow(exportId);
    expect(await storage.exists(row.filePath!)).toBe(true);
    const cleanup = testWorker(t.db, clock, { cleanup: createCleanupHandler(storage) });
    const sweep = async () => {
      await t.db.run(sql`insert into job_queue (queue, payload, scheduled_at) values ('cleanup', '{"only":"export_files"}', ${clock.now().getTime()})`);
      expect((await cleanup.runOnce())?.outcome).toBe('done');
    };
    await sweep();
    expect(await storage.exists(row.filePath!)).toBe(true); // not yet 24 h old
    clock.advance(24 * 3600_000 + 1);
    await sweep();
    expect(await storage.exists(row.filePath!)).toBe(false);
    const after = await exportRow(exportId);
    expect(after.fileDeletedAt).not.toBeNull();
    expect(after.status).toBe('done');
    clock.advance(-(24 * 3600_000 + 1));
  });

  it('a requester who lost the permission before the job ran: the export fails with the reason, shown to them', async () => {
    const { exportId, userId } = await ask(AREA, { type: 'clients', format: 'csv' });
    await t.db.run(sql`delete from user_permissions where user_id = ${userId} and permission_id = (select id from permissions where code = 'reports:export')`);
    expect(await run()).toBe('dead');
    const row = await exportRow(exportId);
    expect(row.status).toBe('failed');
    expect(row.error).toContain('no longer have permission');
    expect(row.filePath).toBeNull();
  });
});
