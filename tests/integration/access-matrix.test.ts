// The access matrix: every route module × every role × ids inside and outside the territory.
// The data lives in ./access-matrix/matrix.ts; this file only walks it.
import { copyFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Client } from '@libsql/client';
import { afterAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../../db/client';
import { applyTemplateStatement, recordRoleStatement } from '../../db/seed/role-templates';
import { callRoute, requestWithCookie, startTestSession, testContext, type RouteAnswer, type TestAppContext } from '../support/app-context';
import { createTestDb, type TestDb } from '../support/db';
import { sqlCount, sqlRows } from '../support/sql';
import { createTestUser } from '../support/user-factory';
import {
  ACTORS,
  LOGIN,
  MATRIX,
  MATRIX_USERS,
  ROLES,
  UNKNOWN_ID,
  type Answer,
  type Expected,
  type KnownMismatch,
  type RequestSpec,
  type Role,
  type RouteEntry,
  type Target,
} from './access-matrix/matrix';
import { flashOf } from '../support/flash';
import { ROUTES_DIR, routeModules, urlPatternOf } from '../support/route-modules';

const routeFiles = routeModules();
const entries = Object.entries(MATRIX) as [string, RouteEntry][];

// ---------------------------------------------------------------------------------------------
// (a) The matrix covers app/routes exactly.

describe('access matrix covers every route module', () => {
  it('has an entry for every file in app/routes', () => {
    const missing = routeFiles.filter((f) => !(f in MATRIX));
    expect(missing, `route modules without an access-matrix entry (add them to tests/integration/access-matrix/matrix.ts)`).toEqual([]);
  });

  it('has no entry for a file that does not exist', () => {
    const stale = entries.map(([f]) => f).filter((f) => !routeFiles.includes(f));
    expect(stale, 'matrix entries naming no route module').toEqual([]);
  });

  it.each(entries.filter(([f]) => routeFiles.includes(f)))(
    '%s: a GET row per loader, a POST row per action, paths match the file name',
    async (file, entry) => {
      const mod = await importRoute(file);
      const methods = new Set(entry.requests.map((r) => r.method));
      if (typeof mod.loader === 'function') expect(methods.has('GET'), `${file} exports a loader but has no GET row`).toBe(true);
      else expect(methods.has('GET'), `${file} has a GET row but no loader`).toBe(false);
      if (typeof mod.action === 'function') expect(methods.has('POST'), `${file} exports an action but has no POST row`).toBe(true);
      else expect(methods.has('POST'), `${file} has a POST row but no action`).toBe(false);
      for (const r of entry.requests) expect(r.path, `${file}: path of a ${r.method} row`).toBe(urlPatternOf(file));
    },
  );

  it('each row has an answer for every role, one per target column, and an unknown-id column when it takes ids', () => {
    const problems: string[] = [];
    for (const [file, entry] of entries) {
      for (const r of entry.requests) {
        const where = `${file} ${describeRequest(r)}`;
        const columns = r.targets?.length ?? 1;
        if (r.targets && r.targets.filter((t) => t.unknown).length !== 1) problems.push(`${where}: needs exactly one UNKNOWN target`);
        for (const role of ROLES) {
          const e = r.expect[role];
          if (e === undefined) problems.push(`${where}: no answer for ${role}`);
          else if (Array.isArray(e) && e.length !== columns) problems.push(`${where}: ${role} has ${e.length} answers for ${columns} targets`);
        }
        if (entry.public && r.expect.anonymous === LOGIN) problems.push(`${where}: public route sends anonymous to login`);
        if (!entry.public && r.expect.anonymous !== LOGIN) problems.push(`${where}: gated route must send anonymous to login`);
      }
    }
    expect(problems).toEqual([]);
  });
});

// ---------------------------------------------------------------------------------------------
// (b) Every cell: route × request × role × target.

type RouteModule = { loader?: RouteFn; action?: RouteFn };
type RouteFn = Parameters<typeof callRoute>[0];

const modules = new Map<string, Promise<RouteModule>>();
function importRoute(file: string): Promise<RouteModule> {
  let mod = modules.get(file);
  if (!mod) {
    mod = import(/* @vite-ignore */ join(ROUTES_DIR, file)) as Promise<RouteModule>;
    modules.set(file, mod);
  }
  return mod;
}

/** Adds the matrix's extra users the way the admin screens create them (role templates + user_roles). */
async function addMatrixUsers(client: Client): Promise<void> {
  for (const u of MATRIX_USERS) {
    const id = await createTestUser(client, { email: u.email, fullName: u.fullName, password: ACTORS.viewer.password, branches: u.branches });
    for (const [template, company] of u.templates) {
      await client.execute(applyTemplateStatement(id, template, company));
      await client.execute(recordRoleStatement(id, template, company));
    }
  }
}

/** The seeded test database plus the matrix users, built once per run of this file; cells get copies. */
let matrixBase: Promise<string> | undefined;
let copies = 0;
async function buildMatrixBase(): Promise<string> {
  const t = await createTestDb();
  await addMatrixUsers(t.client);
  await t.client.execute('PRAGMA wal_checkpoint(TRUNCATE)');
  await t.client.execute('PRAGMA journal_mode=DELETE');
  t.client.close();
  return t.path; // inside the run's test directory: the global teardown removes it
}

async function matrixDb(): Promise<TestDb> {
  const base = await (matrixBase ??= buildMatrixBase());
  const path = base.replace(/\.db$/, `-matrix-${++copies}.db`);
  copyFileSync(base, path);
  const url = pathToFileURL(path).href;
  const { client, db } = await openDatabase(url);
  await client.execute('PRAGMA synchronous=OFF'); // a throwaway copy: no fsync per commit
  return {
    url,
    path,
    client,
    db,
    close: async () => {
      client.close();
      for (const suffix of ['', '-wal', '-shm']) rmSync(path + suffix, { force: true });
    },
  };
}

const isMismatch = (e: Expected): e is KnownMismatch => typeof e === 'object' && 'app' in e;
const answerOf = (e: Expected): Answer => (isMismatch(e) ? e.app : e);
const show = (a: Answer): string =>
  a === LOGIN ? '302 /login' : typeof a !== 'object' ? String(a) : 'item' in a ? `302, item ${a.item}` : `302 ${a.redirect}`;
const showExpected = (e: Expected): string => (isMismatch(e) ? `${show(e.domain)} by domain, app answers ${show(e.app)} (KNOWN MISMATCH)` : show(e));

function describeRequest(r: RequestSpec): string {
  const query = r.query ? `?${new URLSearchParams(r.query).toString().replaceAll('%3Aid', ':id')}` : '';
  return `${r.method} ${r.path}${query}${r.label ? ` [${r.label}]` : ''}`;
}

/** An expected Location: ':id' is the target id, '*' any value; everything else literal. */
function locationPattern(template: string, id: string | undefined): RegExp {
  const literal = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const parts = template
    .replaceAll(':id', id ?? UNKNOWN_ID)
    .split('*')
    .map(literal);
  return new RegExp(`^${parts.join('[^&#]+')}$`);
}

function fill(value: string, id: string | undefined): string {
  return value === ':id' ? (id ?? UNKNOWN_ID) : value;
}

interface Cell {
  file: string;
  request: RequestSpec;
  role: Role;
  target?: Target;
  expected: Expected;
}

interface Actor {
  role: Role;
  userId: number;
  email: string;
  cookie: string;
}

async function buildRequest(cell: Cell, actor: Actor | null, id: string | undefined, t: TestDb): Promise<{ request: Request; params: Record<string, string> }> {
  const r = cell.request;
  const params: Record<string, string> = {};
  const path = r.path.replace(/:(\w+)/g, (_, name: string) => {
    params[name] = r.params?.[name] ?? id ?? UNKNOWN_ID;
    return encodeURIComponent(params[name]);
  });
  const query = r.query ? `?${new URLSearchParams(Object.entries(r.query).map(([k, v]) => [k, fill(v, id)]))}` : '';
  const url = path + query;
  let init: RequestInit = { method: r.method, headers: { 'user-agent': 'vitest access matrix' } };
  if (r.method === 'POST') {
    const login = actor && cell.role !== 'anonymous' ? { ...ACTORS[cell.role], role: cell.role } : null;
    const values = typeof r.form === 'function' ? await r.form({ actor: login, role: cell.role, id: id ?? UNKNOWN_ID, client: t.client }) : (r.form ?? {});
    const body = new URLSearchParams();
    for (const [k, v] of Object.entries(values)) for (const one of [v].flat()) body.append(k, fill(one, id));
    init = { ...init, headers: { ...init.headers, 'content-type': 'application/x-www-form-urlencoded' }, body: body.toString() };
  }
  const request = actor ? requestWithCookie(actor.cookie, url, init) : new Request(new URL(url, 'http://localhost'), init);
  return { request, params };
}

const deniedCount = (t: TestDb, userId: number) =>
  sqlCount(t.client, "SELECT count(*) FROM activity_logs WHERE action = 'access.denied' AND user_id = ?", [userId]);

/** What an out-of-scope answer may be compared on: the status and the message, with the id itself masked. */
function messageOf(answer: RouteAnswer, id: string): string {
  const d = answer.data ?? {};
  const item = flashOf(answer)?.details?.[0]?.[1]; // a bulk form's first client, from its flash
  const message = item ?? d.message ?? d.error ?? d.formError ?? (d.fieldErrors ? JSON.stringify(d.fieldErrors) : JSON.stringify(d));
  return String(message).replace(new RegExp(`(?<![0-9])${id}(?![0-9])`, 'g'), '<id>');
}

function cellsOf(file: string, entry: RouteEntry): Cell[] {
  const cells: Cell[] = [];
  for (const request of entry.requests) {
    for (const role of ROLES) {
      const e = request.expect[role];
      const targets = request.targets ?? [undefined];
      targets.forEach((target, i) => {
        const expected = Array.isArray(e) ? (e as readonly Expected[])[i] : (e as Expected);
        if (expected !== undefined) cells.push({ file, request, role, target, expected });
      });
    }
  }
  return cells;
}

let cellCount = 0;

for (const [file, entry] of entries) {
  if (!routeFiles.includes(file)) continue; // reported by the coverage test above
  const cells = cellsOf(file, entry);
  cellCount += cells.length;

  describe(`${file}${entry.public ? ' (public)' : ''}`, () => {
    // Requests that only read share one database per route file; each mutating cell gets its own copy.
    let shared: Promise<TestDb> | undefined;
    const fresh: TestDb[] = [];
    afterAll(async () => {
      if (shared) await (await shared).close();
      for (const t of fresh) await t.close();
    });
    const dbFor = async (cell: Cell): Promise<TestDb> => {
      // A cell the gate refuses changes nothing, so it can share too (if the gate let it through, the cell fails anyway).
      const refused = answerOf(cell.expected) === LOGIN || answerOf(cell.expected) === 403;
      if (!cell.request.mutates || refused) return (shared ??= matrixDb());
      const t = await matrixDb();
      fresh.push(t);
      return t;
    };

    for (const cell of cells) {
      const name = `${describeRequest(cell.request)}${cell.target ? ` (${cell.target.label})` : ''} as ${cell.role} → ${showExpected(cell.expected)}`;
      it(name, async () => {
        const t = await dbFor(cell);
        // A fresh context per cell: its own access cache and rate-limit counters.
        const ctx: TestAppContext = testContext({ db: t.db, env: { BCRYPT_COST: '4' } });
        const mod = await importRoute(cell.file);
        const fn = cell.request.method === 'GET' ? mod.loader : mod.action;
        if (!fn) throw new Error(`${cell.file} has no ${cell.request.method === 'GET' ? 'loader' : 'action'}`);

        let actor: Actor | null = null;
        if (cell.role !== 'anonymous') {
          const { email } = ACTORS[cell.role];
          const { userId, cookie } = await startTestSession(ctx, email);
          actor = { role: cell.role, userId, email, cookie };
        }
        const id = cell.target ? await cell.target.pick({ client: t.client, ctx, actor }) : undefined;
        const { request, params } = await buildRequest(cell, actor, id, t);
        const pathname = new URL(request.url).pathname;
        const search = new URL(request.url).search;
        const deniedBefore = actor ? await deniedCount(t, actor.userId) : 0;

        const answer = await callRoute(fn, ctx, request, params);
        const want = answerOf(cell.expected);
        const detail = `${cell.request.method} ${pathname}${search} as ${cell.role}: ${answer.status} ${JSON.stringify(answer.data)?.slice(0, 300)} location=${answer.headers.get('location')}`;

        if (want === LOGIN) {
          expect(answer.status, detail).toBe(302);
          expect(answer.headers.get('location'), detail).toBe(`/login?redirectTo=${encodeURIComponent(pathname + search)}`);
        } else if (typeof want === 'object' && 'item' in want) {
          expect(answer.status, detail).toBe(302);
          expect(flashOf(answer)?.details?.[0]?.[1].startsWith('Saved'), detail).toBe(want.item === 'saved');
        } else if (typeof want === 'object') {
          expect(answer.status, detail).toBe(302);
          expect(answer.headers.get('location'), detail).toMatch(locationPattern(want.redirect, id));
        } else {
          expect(answer.status, detail).toBe(want);
        }

        // Every 403 leaves exactly one access.denied row for this path; nothing else leaves one.
        if (actor) {
          const added = (await deniedCount(t, actor.userId)) - deniedBefore;
          expect(added, `access.denied rows written by ${detail}`).toBe(answer.status === 403 ? 1 : 0);
          if (answer.status === 403) {
            expect(answer.data).toEqual({ message: 'You do not have permission for this.' });
            const [row] = await sqlRows(
              t.client,
              "SELECT resource_type, resource_id, details FROM activity_logs WHERE action = 'access.denied' AND user_id = ? ORDER BY id DESC LIMIT 1",
              [actor.userId],
            );
            expect(row).toMatchObject({ resource_type: 'route', resource_id: pathname });
            expect(JSON.parse(String(row.details))).toMatchObject({ method: cell.request.method });
          }
        }

        // What the answer shows: a 200 must not carry another company's or territory's data.
        for (const rule of cell.request.content ?? []) {
          if (!rule.roles.includes(cell.role) || (rule.targets && !(cell.target && rule.targets.includes(cell.target.label)))) continue;
          expect(await rule.check({ data: answer.data, client: t.client, id }), `${rule.label}: ${detail}`).toEqual([]);
        }

        // An out-of-scope id answers exactly like an id that does not exist: same status, same message.
        const itemRefused = typeof want === 'object' && 'item' in want && want.item === 'not found';
        const outOfScope = answer.status === 404 || (answer.status === 400 && isOutOfScopeColumn(cell)) || itemRefused;
        if (cell.target && !cell.target.unknown && id !== undefined && outOfScope) {
          const again = await buildRequest(cell, actor, UNKNOWN_ID, t);
          const unknown = await callRoute(fn, ctx, again.request, again.params);
          expect(unknown.status, `same status for ${cell.target.label} and an unknown id`).toBe(answer.status);
          expect(messageOf(unknown, UNKNOWN_ID), `same message for ${cell.target.label} and an unknown id`).toBe(messageOf(answer, id));
          if (answer.status === 404) expect(unknown.data).toEqual(answer.data);
        }
      });
    }
  });
}

/**
 * A 400 that comes from the id being out of scope (a filter or form value the user may not use):
 * the role's unknown-id column is 400 too and another column succeeds. A 400 from a deliberately
 * incomplete form (400 in every column) or from a rule (e.g. a revert without status:revert, where
 * the unknown id is 404) is not compared.
 */
function isOutOfScopeColumn(cell: Cell): boolean {
  const row = cell.request.expect[cell.role];
  const targets = cell.request.targets;
  if (!Array.isArray(row) || !targets) return false;
  const answers = (row as readonly Expected[]).map(answerOf);
  const unknownAnswer = answers[targets.findIndex((t) => t.unknown)];
  return unknownAnswer === 400 && answers.some((a) => a === 200 || typeof a === 'object');
}

describe('access matrix size', () => {
  it('walks every cell', () => {
    expect(cellCount).toBeGreaterThan(0);
    console.log(`access matrix: ${routeFiles.length} route modules, ${cellCount} cells`);
  });
});
