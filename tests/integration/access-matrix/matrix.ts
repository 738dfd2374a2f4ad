// The access matrix (the access issue): every route module in app/routes, every role, and for
// routes that take an id, ids inside and outside the acting user's territory and company.
// tests/integration/access-matrix.test.ts walks it; a route file without an entry fails that test.
//
// Adding a route: add one entry keyed by its file name, one row per request (a GET for the loader,
// a POST for the action, one POST row per interesting intent), and an expected answer per role.
// Expected answers follow /work/shared/domain.md:
//   200 / 400        the request passes the gate (400: a deliberately incomplete form or an
//                    out-of-scope filter value, where the screen answers with its form error)
//   403              the role lacks the permission (the gate also writes an access.denied row)
//   404              the id is outside the territory/company, or does not exist (same answer)
//   LOGIN            anonymous: 302 to /login?redirectTo=<the path>
//   ITEM_SAVED / ITEM_NOT_FOUND   302 from a bulk form, its flash's first item saved / refused as not found
//   to('/clients')   302 to that place (a route that redirects on success); in the location ':id'
//                    is the target id and '*' any value (e.g. to('/areas/*')); the success message rides
//                    in the flash cookie (decision 085), never in the URL
//   appAnswers(...)  a known mismatch: the domain expects one answer, the app gives another; the
//                    cell asserts what the app does today, so fixing the app turns it red (then
//                    replace appAnswers(...) with the domain answer).
import type { Client } from '@libsql/client';
import { DEMO_PASSWORD } from '../../../db/seed/demo-users';
import { periodOf } from '../../../app/core/status/periods';
import { updateClientContacts } from '../../../app/core/clients/update-contacts.server';
import { perRequest, startTestSession, type TestAppContext } from '../../support/app-context';
import { TEST_NOW } from '../../support/app-server';
import { sqlRows } from '../../support/sql';

// ---------------------------------------------------------------------------------------------
// Roles: the five seeded demo logins, a user with no grants, and an admin of FCASH only.

export const ROLES = ['anonymous', 'admin', 'area_manager', 'branch_officer', 'FC_TELE', 'viewer', 'no_grants', 'fcash_admin'] as const;
export type Role = (typeof ROLES)[number];

export interface Login {
  email: string;
  password: string;
}

/** Who signs in for each role. Demo users: db/seed/demo-users.ts; the last two: MATRIX_USERS. */
export const ACTORS: Record<Exclude<Role, 'anonymous'>, Login> = {
  admin: { email: 'admin@demo.test', password: DEMO_PASSWORD }, // admin template, FCASH + PCNI, scope all
  area_manager: { email: 'area.ncr@demo.test', password: DEMO_PASSWORD }, // area_manager, FCASH/NCR + PCNI/NCR
  branch_officer: { email: 'branch.mnla01@demo.test', password: DEMO_PASSWORD }, // branch_officer FCASH, MNLA01
  FC_TELE: { email: 'tele.fcash@demo.test', password: DEMO_PASSWORD }, // FC_TELE, MNLA01 QZN01 MKTI01 PSG01
  viewer: { email: 'viewer@demo.test', password: DEMO_PASSWORD }, // viewer, FCASH + PCNI, scope all
  no_grants: { email: 'no.grants@matrix.test', password: DEMO_PASSWORD },
  fcash_admin: { email: 'admin.fcash@matrix.test', password: DEMO_PASSWORD },
};

export interface MatrixUser {
  email: string;
  fullName: string;
  /** Role templates applied the way the admin screen applies them: [template code, company]. */
  templates: ReadonlyArray<readonly [string, 'FCASH' | 'PCNI']>;
  branches: readonly string[];
}

/** Users the matrix adds to every database it uses (actors and targets). Password: DEMO_PASSWORD. */
export const MATRIX_USERS: readonly MatrixUser[] = [
  { email: 'no.grants@matrix.test', fullName: 'Nora Walang Grant', templates: [], branches: [] },
  { email: 'admin.fcash@matrix.test', fullName: 'Fe Santos Admin', templates: [['admin', 'FCASH']], branches: [] },
  { email: 'officer.cebu01@matrix.test', fullName: 'Carlo Cebu Officer', templates: [['branch_officer', 'FCASH']], branches: ['CEBU01'] },
  { email: 'officer.mnla03@matrix.test', fullName: 'Pia Manila Officer', templates: [['branch_officer', 'PCNI']], branches: ['MNLA03'] },
  {
    email: 'admin.both@matrix.test',
    fullName: 'Bea Both Admin',
    templates: [
      ['admin', 'FCASH'],
      ['admin', 'PCNI'],
    ],
    branches: [],
  },
];

// ---------------------------------------------------------------------------------------------
// Targets: how a cell picks the id it asks for, relative to the acting user.

export interface PickArgs {
  client: Client;
  ctx: TestAppContext;
  /** null for anonymous. */
  actor: { role: Role; userId: number; email: string } | null;
}

export interface Target {
  label: string;
  pick: (args: PickArgs) => Promise<string>;
  /** The nonexistent id: every out-of-scope 404/400 is compared with this one's answer. */
  unknown?: true;
}

export const UNKNOWN_ID = '987654321';
export const UNKNOWN: Target = { label: 'unknown id', unknown: true, pick: async () => UNKNOWN_ID };

async function one(client: Client, sql: string, args: (string | number)[], what: string): Promise<string> {
  const [row] = await sqlRows(client, sql, args);
  if (!row) throw new Error(`access matrix: no ${what} in the test database`);
  return String(Object.values(row)[0]);
}

const clientIn = (branch: string, label: string): Target => ({
  label,
  pick: ({ client }) =>
    one(client, 'SELECT c.id FROM clients c JOIN branches b ON b.id = c.branch_id WHERE b.code = ? ORDER BY c.id LIMIT 1', [branch], `client of ${branch}`),
});
const branch = (code: string, label: string): Target => ({
  label,
  pick: ({ client }) => one(client, 'SELECT id FROM branches WHERE code = ?', [code], `branch ${code}`),
});
const company = (code: string, label: string): Target => ({
  label,
  pick: ({ client }) => one(client, 'SELECT id FROM companies WHERE code = ?', [code], `company ${code}`),
});
const user = (email: string, label: string): Target => ({
  label,
  pick: ({ client }) => one(client, 'SELECT id FROM users WHERE email = ?', [email], `user ${email}`),
});
async function newSessionOf(args: PickArgs, email: string): Promise<string> {
  const { userId } = await startTestSession(args.ctx, email);
  return one(args.client, 'SELECT max(id) FROM user_sessions WHERE user_id = ?', [userId], `session of ${email}`);
}

const CLIENTS = [
  clientIn('MNLA01', 'MNLA01, FCASH NCR'), // FCASH NCR: the branch officer's, the tele agent's and the area manager's
  clientIn('QZN01', 'QZN01, other branch in NCR'), // FCASH NCR: the tele agent's and the area manager's, not the branch officer's
  clientIn('CEBU01', 'CEBU01, other area'), // FCASH R7: only company-wide readers
  clientIn('MNLA03', 'MNLA03, other company'), // PCNI NCR: PCNI readers (the area manager holds PCNI/NCR too)
  UNKNOWN,
];
/** The current period (the test clock) of each cycle: the status form's row. */
const CURRENT_PERIODS = [periodOf('monthly', new Date(TEST_NOW)).key, periodOf('quarterly', new Date(TEST_NOW)).key];
/** A client of the branch whose current-period row is PENDING and not terminal (a re-update is allowed). */
const pendingClientIn = (branch: string, label: string): Target => ({
  label,
  pick: ({ client }) =>
    one(
      client,
      `SELECT c.id FROM clients c JOIN branches b ON b.id = c.branch_id
     JOIN client_period_status s ON s.client_id = c.id JOIN status_types st ON st.id = s.status_type_id
     WHERE b.code = ? AND s.period_key IN (?, ?) AND st.code = 'PENDING' AND s.is_terminal = 0 ORDER BY c.id LIMIT 1`,
      [branch, ...CURRENT_PERIODS],
      `pending client of ${branch}`,
    ),
});
const PENDING_CLIENTS = [
  pendingClientIn('MNLA01', 'MNLA01, FCASH NCR'),
  pendingClientIn('QZN01', 'QZN01, other branch in NCR'),
  pendingClientIn('CEBU01', 'CEBU01, other area'),
  pendingClientIn('MNLA03', 'MNLA03, other company'),
  UNKNOWN,
];
/** A client of the branch whose current-period row is past PENDING, not DONE, not terminal (a move back is a revert). */
const advancedClientIn = (branch: string, label: string): Target => ({
  label,
  pick: ({ client }) =>
    one(
      client,
      `SELECT c.id FROM clients c JOIN branches b ON b.id = c.branch_id
     JOIN client_period_status s ON s.client_id = c.id JOIN status_types st ON st.id = s.status_type_id
     WHERE b.code = ? AND s.period_key IN (?, ?) AND st.code NOT IN ('PENDING', 'DONE') AND s.is_terminal = 0 ORDER BY c.id LIMIT 1`,
      [branch, ...CURRENT_PERIODS],
      `advanced client of ${branch}`,
    ),
});
const ADVANCED_CLIENTS = [
  advancedClientIn('MNLA01', 'MNLA01, FCASH NCR'),
  advancedClientIn('QZN01', 'QZN01, other branch in NCR'),
  advancedClientIn('CEBU01', 'CEBU01, other area'),
  advancedClientIn('MNLA03', 'MNLA03, other company'),
  UNKNOWN,
];
/** The status form moving the client's current row back to PENDING, with the remarks a revert needs. */
async function backToPendingForm(args: FormArgs): Promise<FormValues> {
  const pending = await one(args.client, "SELECT id FROM status_types WHERE code = 'PENDING'", [], 'status PENDING');
  return { ...(await sameStatusForm(args)), statusTypeId: pending, remarks: 'access matrix revert' };
}
/** The status form as the page renders it for the client's current row, re-saving the same status. */
async function sameStatusForm({ id, client }: FormArgs): Promise<FormValues> {
  const [row] = await sqlRows(client, 'SELECT period_key, version, status_type_id FROM client_period_status WHERE client_id = ? AND period_key IN (?, ?)', [
    id,
    ...CURRENT_PERIODS,
  ]);
  return {
    intent: 'status',
    periodKey: String(row?.period_key ?? CURRENT_PERIODS[0]),
    baseVersion: String(row?.version ?? 1),
    statusTypeId: String(row?.status_type_id ?? 1),
    reasonId: '',
    remarks: 'access matrix re-update',
    hasPayment: 'no',
  };
}

/** The status form of one workspace row (the same rules as the client page), coming back to the list. */
async function workspaceRowForm(args: FormArgs): Promise<FormValues> {
  return { ...(await sameStatusForm(args)), clientId: args.id, returnTo: '/workspace/fcash' };
}
/** The bulk form with one selected client, re-saving its status (each checkbox carries its row's version). */
async function bulkOneForm(args: FormArgs): Promise<FormValues> {
  const { baseVersion, intent: _intent, ...change } = await sameStatusForm(args);
  return { ...change, intent: 'bulk', clientIds: args.id, [`v${args.id}`]: baseVersion };
}
/** A workspace row's status form for the first pending client of MNLA01, whatever the workspace in the URL. */
async function mnla01RowForm(args: FormArgs): Promise<FormValues> {
  const clientId = await PENDING_CLIENTS[0].pick({ client: args.client } as PickArgs);
  return workspaceRowForm({ ...args, id: clientId });
}
const slug = (value: string, label: string): Target => ({ label, pick: async () => value });
/** The workspace's company in the URL (lower case). */
const WORKSPACES = [slug('fcash', 'fcash'), slug('pcni', 'pcni, other company'), UNKNOWN];

const BRANCHES = [
  branch('MNLA01', 'MNLA01, FCASH NCR'),
  branch('QZN01', 'QZN01, other branch in NCR'),
  branch('CEBU01', 'CEBU01, other area'),
  branch('MNLA03', 'MNLA03, other company'),
  UNKNOWN,
];
const COMPANIES = [company('FCASH', 'FCASH'), company('PCNI', 'PCNI, other company'), UNKNOWN];
const USERS = [
  user('branch.mnla01@demo.test', 'FCASH staff in NCR'),
  user('officer.cebu01@matrix.test', 'FCASH staff, other area'),
  user('officer.mnla03@matrix.test', 'PCNI staff in NCR'),
  user('admin.both@matrix.test', 'user of both companies'),
  user('no.grants@matrix.test', 'user without grants'),
  UNKNOWN,
];
const SESSIONS: Target[] = [
  { label: 'own other session', pick: async (a) => (a.actor ? newSessionOf(a, a.actor.email) : UNKNOWN_ID) },
  { label: "another user's session", pick: (a) => newSessionOf(a, 'officer.cebu01@matrix.test') },
  UNKNOWN,
];

// ---------------------------------------------------------------------------------------------
// Expected answers.

export const LOGIN = 'login' as const;
export interface Redirect {
  redirect: string;
}
/** 200 with one result per item (a bulk form): the first item saved, or refused as not found. */
export interface ItemResult {
  item: 'saved' | 'not found';
}
export interface KnownMismatch {
  domain: Answer;
  app: Answer;
  why: string;
}
export type Answer = 200 | 400 | 403 | 404 | typeof LOGIN | Redirect | ItemResult;
export type Expected = Answer | KnownMismatch;

export const to = (location: string): Redirect => ({ redirect: location });
export const ITEM_SAVED: ItemResult = { item: 'saved' };
export const ITEM_NOT_FOUND: ItemResult = { item: 'not found' };
export const appAnswers = (app: Answer, domain: Answer, why: string): KnownMismatch => ({ domain, app, why });

export type FormValues = Record<string, string | string[]>;

export interface FormArgs {
  role: Role;
  /** The signed-in actor's login (null for anonymous). */
  actor: (Login & { role: Role }) | null;
  /** The target id of this cell (UNKNOWN_ID when the row has no targets). */
  id: string;
  client: Client;
}

export interface RequestSpec {
  method: 'GET' | 'POST';
  /** The URL as Remix matches it; a `:param` takes its value from `params`, else the target id. */
  path: string;
  /** Fixed values of path params (when the target id goes into the query or the form instead). */
  params?: Record<string, string>;
  /** Query string; a value ':id' takes the target id. */
  query?: Record<string, string>;
  /** Form body of a POST (urlencoded); a value ':id' takes the target id. */
  form?: FormValues | ((args: FormArgs) => FormValues | Promise<FormValues>);
  /** Shown in the test name, e.g. 'intent=unlock'. */
  label?: string;
  /** Ids to ask for, one column each; expectations per role are one answer or one per column. */
  targets?: readonly Target[];
  /** The request changes data: each cell the gate lets through gets its own copy of the database. */
  mutates?: boolean;
  expect: Record<Role, Expected | readonly Expected[]>;
  /** What the answer of some cells must or must not contain (a 200 can still show too much). */
  content?: readonly ContentRule[];
}

export interface ContentArgs {
  /** The answer's body: JSON data, or the text of a download. */
  data: unknown;
  client: Client;
  id: string | undefined;
}

/** A check of what a cell's answer contains: for these roles (and target columns, by label), the problems found (none: fine). */
export interface ContentRule {
  label: string;
  roles: readonly Role[];
  targets?: readonly string[];
  check: (args: ContentArgs) => Promise<string[]> | string[];
}

const bodyOf = (data: unknown): string => (typeof data === 'string' ? data : JSON.stringify(data));
/** The answer must show this text (the reader's reach includes it). */
const shows = (text: string, roles: readonly Role[], targets?: readonly string[]): ContentRule => ({
  label: `shows "${text}"`,
  roles,
  targets,
  check: ({ data }) => (bodyOf(data).includes(text) ? [] : [`"${text}" is missing`]),
});
/** The answer must not show this text (it lies outside the reader's company or territory). */
const hides = (text: string, roles: readonly Role[], targets?: readonly string[]): ContentRule => ({
  label: `hides "${text}"`,
  roles,
  targets,
  check: ({ data }) => (bodyOf(data).includes(text) ? [`"${text}" is shown`] : []),
});

export interface RouteEntry {
  /** No sign-in: everybody gets the same answer. */
  public?: true;
  requests: readonly RequestSpec[];
}

type Cells = Expected | readonly Expected[];
const signedIn = (answer: Cells): Record<Role, Cells> => ({
  anonymous: LOGIN,
  admin: answer,
  area_manager: answer,
  branch_officer: answer,
  FC_TELE: answer,
  viewer: answer,
  no_grants: answer,
  fcash_admin: answer,
});
const everyone = (answer: Cells): Record<Role, Cells> => ({ ...signedIn(answer), anonymous: answer });
/** Only these roles hold the permission; everyone else signed in is 403. */
const only = (allowed: Partial<Record<Role, Cells>>): Record<Role, Cells> => ({
  ...signedIn(403),
  ...allowed,
});

/** Back to the client page (the flash says what was saved). */
const SAVED = to('/clients/:id');
/** Back to the client page after the contact form. */
const CONTACT_SAVED = to('/clients/:id');
/** Back to the client page after a tele form, a Month to Update, a reinstatement. */
const TELE_SAVED = to('/clients/:id');
const MONTH_SAVED = to('/clients/:id');
const REINSTATED = to('/clients/:id');
/** A created user: to their page (the flash carries the temporary password once). */
const NEW_USER = to('/admin/users/*');
/** Back to the user's page after a user admin form. */
const USER_SAVED = to('/admin/users/:id');
/** Back to the jobs screen after a queue or schedule action. */
const JOBS = to('/admin/jobs');
const APPROVALS = to('/admin/approvals');
/** A workspace of a company the user cannot update: 404, like an unknown company. */
const OTHER_WORKSPACE_POST = 404;
/** Back to the workspace list the row was on (the flash says it was saved). */
const WS_SAVED = to('/workspace/fcash');

const NEW_PASSWORD = 'kalamansi harbour lantern 2031';

// ---------------------------------------------------------------------------------------------
// Targets and content checks of the read-reach rows (decisions 007 and 072, 2026-12-07).

const companyIdOf = (client: Client, code: string) => one(client, 'SELECT id FROM companies WHERE code = ?', [code], `company ${code}`);

/** The user page's grants, roles, branches and areas name only these companies. */
function accessOnlyOf(companies: readonly string[]): (args: ContentArgs) => Promise<string[]> {
  return async ({ data, client }) => {
    const allowed = await Promise.all(companies.map((c) => companyIdOf(client, c)));
    const access = (data as { access: Record<string, Array<{ companyId: number }>> }).access;
    return Object.entries(access).flatMap(([part, rows]) =>
      rows.filter((r) => !allowed.includes(String(r.companyId))).map((r) => `${part}: company ${r.companyId} is shown`),
    );
  };
}

/** A branch contact edit of that branch in the audit log (a real contact row and its audit row); the id is the contact's. */
const contactAuditOf = (code: string, label: string): Target => ({
  label,
  pick: async ({ client }) => {
    const contact = await one(
      client,
      "INSERT INTO branch_contacts (branch_id, contact_type, value, label) VALUES ((SELECT id FROM branches WHERE code = ?), 'phone', ?, 'Manager mobile') RETURNING id",
      [code, `matrix mobile ${code}`],
      `contact of ${code}`,
    );
    await client.execute({
      sql: "INSERT INTO config_audit_log (table_name, record_id, action, old_values, new_values, user_id) VALUES ('branch_contacts', ?, 'update', '{\"value\":\"old\"}', ?, 1)",
      args: [Number(contact), JSON.stringify({ value: `matrix mobile ${code}` })],
    });
    return contact;
  },
});
const CONTACT_AUDITS = [
  contactAuditOf('MNLA01', 'MNLA01, FCASH NCR'),
  contactAuditOf('CEBU01', 'CEBU01, other area'),
  contactAuditOf('MNLA03', 'MNLA03, other company'),
  UNKNOWN,
];
const AUDIT_REACH: readonly ContentRule[] = [
  shows('matrix mobile MNLA01', ['admin', 'area_manager', 'fcash_admin'], ['MNLA01, FCASH NCR']),
  hides('matrix mobile CEBU01', ['area_manager'], ['CEBU01, other area']),
  shows('matrix mobile CEBU01', ['admin', 'fcash_admin'], ['CEBU01, other area']),
  hides('matrix mobile MNLA03', ['fcash_admin'], ['MNLA03, other company']),
  shows('matrix mobile MNLA03', ['admin', 'area_manager'], ['MNLA03, other company']),
];

/** A client of the branch whose contact number an admin of both companies just changed (the real write, with its activity row). */
const contactEditOf = (code: string, number: string, label: string): Target => ({
  label,
  pick: async ({ client, ctx }) => {
    const id = Number(
      await one(client, 'SELECT c.id FROM clients c JOIN branches b ON b.id = c.branch_id WHERE b.code = ? ORDER BY c.id LIMIT 1', [code], `client of ${code}`),
    );
    const companies = (await sqlRows(client, 'SELECT id FROM companies')).map((r) => ({
      companyId: Number(r.id),
      level: 'all' as const,
      branchIds: 'all' as const,
    }));
    const admin = Number(await one(client, "SELECT id FROM users WHERE email = 'admin@demo.test'", [], 'admin'));
    await updateClientContacts(ctx, { userId: admin, scope: { userId: admin, permission: 'clients:update', companies } }, id, {
      contactNumber: number,
      contactNumberAlt: null,
    });
    return String(id);
  },
});
const CONTACT_EDITS = [contactEditOf('MNLA01', '09175550101', 'MNLA01, FCASH NCR'), contactEditOf('MNLA03', '09175550303', 'MNLA03, other company'), UNKNOWN];

/** The trace of a request (a fresh trace id) that touched only one client of the branch: a contact edit (decision 094). */
let traceEdits = 0;
const traceOf = (code: string, label: string): Target => ({
  label,
  pick: async (args) => {
    const request = perRequest(args.ctx);
    // A new number each time: cells share a database, and an edit that changes nothing leaves no row.
    await contactEditOf(code, `0917666${String(++traceEdits).padStart(4, '0')}`, label).pick({ ...args, ctx: request });
    return request.trace.traceId;
  },
});
const TRACES = [traceOf('MNLA01', 'MNLA01, FCASH NCR'), traceOf('MNLA03', 'MNLA03, other company'), UNKNOWN];

/** An MNLA01 client with a past period last updated by the branch officer (the tele agent's history is `self`). */
const PAST_BY_OFFICER = 'matrix: past period by the branch officer';
const clientWithOfficersPastPeriod: Target = {
  label: 'MNLA01, a past period by someone else',
  pick: async ({ client }) => {
    const id = await one(
      client,
      "SELECT c.id FROM clients c JOIN branches b ON b.id = c.branch_id WHERE b.code = 'MNLA01' ORDER BY c.id LIMIT 1",
      [],
      'client of MNLA01',
    );
    await client.execute({
      sql: `INSERT INTO client_period_status (client_id, company_id, branch_id, period_type, period_year, period_number, period_key, status_type_id, remarks, update_count, last_updated_by, last_updated_at)
            SELECT c.id, c.company_id, c.branch_id, 'monthly', 2026, 7, '2026-07', (SELECT id FROM status_types WHERE code = 'CALLED'), ?, 1,
                   (SELECT id FROM users WHERE email = 'branch.mnla01@demo.test'), ? FROM clients c WHERE c.id = ?
            ON CONFLICT (client_id, period_key) DO UPDATE SET remarks = excluded.remarks, last_updated_by = excluded.last_updated_by`,
      args: [PAST_BY_OFFICER, Date.parse('2026-07-20T02:00:00Z'), id],
    });
    return id;
  },
};

// ---------------------------------------------------------------------------------------------
// The matrix: one entry per file in app/routes.

export const MATRIX: Record<string, RouteEntry> = {
  '_index.tsx': {
    // Home is the dashboard (reports:read); without it, the user's workspace, else the clients screen.
    requests: [
      {
        method: 'GET',
        path: '/',
        expect: { ...signedIn(200), FC_TELE: to('/workspace/fcash'), no_grants: to('/clients') },
      },
    ],
  },

  'status.tsx': { public: true, requests: [{ method: 'GET', path: '/status', expect: everyone(200) }] },
  // Any address no other route matches: 404 for everyone, rendered inside the layout (decision 084).
  '$.tsx': {
    public: true,
    requests: [
      { method: 'GET', path: '/*', expect: everyone(404) },
      { method: 'POST', path: '/*', expect: everyone(404) },
    ],
  },
  'status[.]json.ts': { public: true, requests: [{ method: 'GET', path: '/status.json', expect: everyone(200) }] },

  'login.tsx': {
    public: true,
    requests: [
      { method: 'GET', path: '/login', expect: { ...everyone(to('/clients')), anonymous: 200 } },
      { method: 'POST', path: '/login', label: 'no password', form: { email: 'viewer@demo.test' }, expect: everyone(400) },
      {
        method: 'POST',
        path: '/login',
        label: 'own credentials',
        mutates: true,
        form: ({ actor }) => ({ email: actor?.email ?? ACTORS.viewer.email, password: actor?.password ?? ACTORS.viewer.password }),
        expect: everyone(to('/clients')),
      },
    ],
  },

  'logout.tsx': {
    public: true,
    requests: [
      { method: 'GET', path: '/logout', expect: everyone(to('/clients')) }, // GET never signs out
      { method: 'POST', path: '/logout', mutates: true, expect: everyone(to('/login')) },
    ],
  },

  'account.password.tsx': {
    requests: [
      { method: 'GET', path: '/account/password', expect: signedIn(200) },
      { method: 'POST', path: '/account/password', label: 'empty form', form: {}, expect: signedIn(400) },
      {
        method: 'POST',
        path: '/account/password',
        label: 'valid change',
        mutates: true,
        form: ({ actor }) => ({ currentPassword: actor?.password ?? 'x', newPassword: NEW_PASSWORD, confirmPassword: NEW_PASSWORD }),
        expect: signedIn(to('/clients')),
      },
    ],
  },

  'account.sessions/route.tsx': {
    // Own account page: any signed-in user, no permission. A session id of someone else is 404.
    requests: [
      { method: 'GET', path: '/account/sessions', expect: signedIn(200) },
      {
        method: 'POST',
        path: '/account/sessions',
        label: 'intent=end-one',
        mutates: true,
        form: { intent: 'end-one', sessionId: ':id' },
        targets: SESSIONS,
        //                own other session        another user's  unknown
        expect: signedIn([to('/account/sessions'), 404, 404]),
      },
      {
        method: 'POST',
        path: '/account/sessions',
        label: 'intent=end-others',
        mutates: true,
        form: { intent: 'end-others' },
        expect: signedIn(to('/account/sessions')),
      },
      { method: 'POST', path: '/account/sessions', label: 'unknown intent', form: { intent: 'explode' }, expect: signedIn(400) },
    ],
  },

  'clients._index.tsx': {
    // clients:read. Filter values outside the scope answer the screen's 400 "no such … you can
    // filter on", the same as an unknown id (a list, not a resource: 400 rather than 404).
    requests: [
      { method: 'GET', path: '/clients', expect: only({ admin: 200, area_manager: 200, branch_officer: 200, FC_TELE: 200, viewer: 200, fcash_admin: 200 }) },
      {
        method: 'GET',
        path: '/clients',
        query: { company: ':id' },
        targets: COMPANIES,
        expect: only({
          //               FCASH PCNI unknown
          admin: [200, 200, 400],
          area_manager: [200, 200, 400],
          branch_officer: [200, 400, 400],
          FC_TELE: [200, 400, 400],
          viewer: [200, 200, 400],
          fcash_admin: [200, 400, 400],
        }),
      },
      {
        method: 'GET',
        path: '/clients',
        query: { branch: ':id' },
        targets: BRANCHES,
        expect: only({
          //               MNLA01 QZN01 CEBU01 MNLA03 unknown
          admin: [200, 200, 200, 200, 400],
          area_manager: [200, 200, 400, 200, 400],
          branch_officer: [200, 400, 400, 400, 400],
          FC_TELE: [200, 200, 400, 400, 400],
          viewer: [200, 200, 200, 200, 400],
          fcash_admin: [200, 200, 200, 400, 400],
        }),
      },
    ],
  },

  'clients.$id/route.tsx': {
    // GET: clients:read. POST: each intent its own permission, scoped to the client's branch:
    // intent=status status:update, intent=contact clients:update.
    requests: [
      {
        method: 'GET',
        path: '/clients/:id',
        targets: CLIENTS,
        expect: only({
          //               MNLA01 QZN01 CEBU01 MNLA03 unknown
          admin: [200, 200, 200, 200, 404],
          area_manager: [200, 200, 404, 200, 404],
          branch_officer: [200, 404, 404, 404, 404],
          FC_TELE: [200, 200, 404, 404, 404],
          viewer: [200, 200, 200, 200, 404],
          fcash_admin: [200, 200, 200, 404, 404],
        }),
      },
      {
        // The Periods table follows status:history:read: the tele agent's is `self`, so a past period
        // someone else last updated stays out (the current period stays visible); the viewer has none.
        method: 'GET',
        path: '/clients/:id',
        label: 'past period by someone else',
        targets: [clientWithOfficersPastPeriod, UNKNOWN],
        expect: only({
          admin: [200, 404],
          area_manager: [200, 404],
          branch_officer: [200, 404],
          FC_TELE: [200, 404],
          viewer: [200, 404],
          fcash_admin: [200, 404],
        }),
        content: [
          hides(PAST_BY_OFFICER, ['FC_TELE', 'viewer'], [clientWithOfficersPastPeriod.label]),
          shows(PAST_BY_OFFICER, ['admin', 'area_manager', 'branch_officer', 'fcash_admin'], [clientWithOfficersPastPeriod.label]),
        ],
      },
      {
        method: 'POST',
        path: '/clients/:id',
        label: 'intent=status, same status again',
        mutates: true,
        targets: PENDING_CLIENTS,
        form: sameStatusForm,
        expect: only({
          //               MNLA01 QZN01 CEBU01 MNLA03 unknown
          admin: [SAVED, SAVED, SAVED, SAVED, 404],
          area_manager: [SAVED, SAVED, 404, SAVED, 404],
          branch_officer: [SAVED, 404, 404, 404, 404],
          FC_TELE: [SAVED, SAVED, 404, 404, 404],
          fcash_admin: [SAVED, SAVED, SAVED, 404, 404],
        }),
      },
      {
        // Moving back needs status:revert (admin, area_manager; the fcash admin in FCASH). Without it the
        // form answers 400 "needs a supervisor's revert" (a form error, not a 403, and no access.denied row).
        method: 'POST',
        path: '/clients/:id',
        label: 'intent=status, back to PENDING',
        mutates: true,
        targets: ADVANCED_CLIENTS,
        form: backToPendingForm,
        expect: only({
          //               MNLA01 QZN01 CEBU01 MNLA03 unknown
          admin: [SAVED, SAVED, SAVED, SAVED, 404],
          area_manager: [SAVED, SAVED, 404, SAVED, 404],
          branch_officer: [400, 404, 404, 404, 404],
          FC_TELE: [400, 400, 404, 404, 404],
          fcash_admin: [SAVED, SAVED, SAVED, 404, 404],
        }),
      },
      {
        // The form is checked before the client is looked up: 400 for any id, out of scope or not.
        method: 'POST',
        path: '/clients/:id',
        label: 'intent=status, empty form',
        form: { intent: 'status' },
        targets: PENDING_CLIENTS,
        expect: only({ admin: 400, area_manager: 400, branch_officer: 400, FC_TELE: 400, fcash_admin: 400 }),
      },
      {
        // An intent the page does not have: 400 for every id, to anyone who may open the page (clients:read).
        method: 'POST',
        path: '/clients/:id',
        label: 'unknown intent',
        form: { intent: 'explode' },
        targets: PENDING_CLIENTS,
        expect: only({ admin: 400, area_manager: 400, branch_officer: 400, FC_TELE: 400, viewer: 400, fcash_admin: 400 }),
      },
      {
        // The contact form: clients:update (not the area manager, not the viewer), scoped to the client's branch.
        method: 'POST',
        path: '/clients/:id',
        label: 'intent=contact, valid numbers',
        mutates: true,
        targets: CLIENTS,
        form: { intent: 'contact', contactNumber: '+63 917 555 0101', contactNumberAlt: '(02) 8123 4567' },
        expect: only({
          //               MNLA01         QZN01          CEBU01         MNLA03         unknown
          admin: [CONTACT_SAVED, CONTACT_SAVED, CONTACT_SAVED, CONTACT_SAVED, 404],
          branch_officer: [CONTACT_SAVED, 404, 404, 404, 404],
          FC_TELE: [CONTACT_SAVED, CONTACT_SAVED, 404, 404, 404],
          fcash_admin: [CONTACT_SAVED, CONTACT_SAVED, CONTACT_SAVED, 404, 404],
        }),
      },
      {
        // The form is checked before the client is looked up: 400 for any id, out of scope or not.
        method: 'POST',
        path: '/clients/:id',
        label: 'intent=contact, bad number',
        targets: CLIENTS,
        form: { intent: 'contact', contactNumber: '12345', contactNumberAlt: '' },
        expect: only({ admin: 400, branch_officer: 400, FC_TELE: 400, fcash_admin: 400 }),
      },
      // FCASH tele intents (decision 040): status:update in the client's branch; a PCNI client is a 400
      // "FCASH clients only" for whoever may update it, and out of scope a 404 as always.
      {
        method: 'POST',
        path: '/clients/:id',
        label: 'intent=tele-status, valid',
        mutates: true,
        targets: CLIENTS,
        form: { intent: 'tele-status', teleStatus: 'updated', updateStatus: 'updated_with_proof', reason: 'SENT_PROOF_ONLINE', remarks: 'access matrix' },
        expect: only({
          //               MNLA01      QZN01       CEBU01      MNLA03 unknown
          admin: [TELE_SAVED, TELE_SAVED, TELE_SAVED, 400, 404],
          area_manager: [TELE_SAVED, TELE_SAVED, 404, 400, 404],
          branch_officer: [TELE_SAVED, 404, 404, 404, 404],
          FC_TELE: [TELE_SAVED, TELE_SAVED, 404, 404, 404],
          fcash_admin: [TELE_SAVED, TELE_SAVED, TELE_SAVED, 404, 404],
        }),
      },
      {
        // The form is checked before the client is looked up: 400 for any id, out of scope or not.
        method: 'POST',
        path: '/clients/:id',
        label: 'intent=tele-status, empty form',
        form: { intent: 'tele-status' },
        targets: CLIENTS,
        expect: only({ admin: 400, area_manager: 400, branch_officer: 400, FC_TELE: 400, fcash_admin: 400 }),
      },
      {
        method: 'POST',
        path: '/clients/:id',
        label: 'intent=month-to-update, valid',
        mutates: true,
        targets: teleTouchedClients(),
        form: { intent: 'month-to-update', monthToUpdate: '2026-12-31' },
        expect: only({
          //               MNLA01       QZN01        CEBU01       MNLA03 unknown
          admin: [MONTH_SAVED, MONTH_SAVED, MONTH_SAVED, 400, 404],
          area_manager: [MONTH_SAVED, MONTH_SAVED, 404, 400, 404],
          branch_officer: [MONTH_SAVED, 404, 404, 404, 404],
          FC_TELE: [MONTH_SAVED, MONTH_SAVED, 404, 404, 404],
          fcash_admin: [MONTH_SAVED, MONTH_SAVED, MONTH_SAVED, 404, 404],
        }),
      },
      {
        // No failed delivery to retry: 400 where the client is in scope, 404 where it is not.
        method: 'POST',
        path: '/clients/:id',
        label: 'intent=nextbank-retry, nothing failed',
        targets: CLIENTS,
        form: { intent: 'nextbank-retry', historyId: '1' },
        expect: only({
          //               MNLA01 QZN01 CEBU01 MNLA03 unknown
          admin: [400, 400, 400, 400, 404],
          area_manager: [400, 400, 404, 400, 404],
          branch_officer: [400, 404, 404, 404, 404],
          FC_TELE: [400, 400, 404, 404, 404],
          fcash_admin: [400, 400, 400, 404, 404],
        }),
      },
      // Reinstating a terminal client: status:revert in the client's branch (decision 042).
      {
        method: 'POST',
        path: '/clients/:id',
        label: 'intent=reinstate, terminal client',
        mutates: true,
        targets: terminalClients(),
        form: { intent: 'reinstate', remarks: 'access matrix reinstate' },
        expect: only({
          //               MNLA01           QZN01            CEBU01           MNLA03           unknown
          admin: [REINSTATED, REINSTATED, REINSTATED, REINSTATED, 404],
          area_manager: [REINSTATED, REINSTATED, 404, REINSTATED, 404],
          fcash_admin: [REINSTATED, REINSTATED, REINSTATED, 404, 404],
        }),
      },
      {
        method: 'POST',
        path: '/clients/:id',
        label: 'intent=reinstate, no remarks',
        form: { intent: 'reinstate', remarks: '' },
        targets: CLIENTS,
        expect: only({ admin: 400, area_manager: 400, fcash_admin: 400 }),
      },
    ],
  },

  'admin.periods.tsx': {
    // config:manage at scope 'all' in EVERY company: initialization covers all clients (decision 009).
    // The FCASH-only admin holds config:manage, but for one company only: 403.
    requests: [
      { method: 'GET', path: '/admin/periods', expect: only({ admin: 200 }) },
      {
        method: 'POST',
        path: '/admin/periods',
        label: 'current month',
        mutates: true,
        form: { periodType: 'monthly', year: '2026', month: '11', quarter: '4' },
        expect: only({ admin: to('/admin/periods') }),
      },
      {
        method: 'POST',
        path: '/admin/periods',
        label: 'year outside the selector',
        form: { periodType: 'monthly', year: '2019', month: '1' },
        expect: only({ admin: 400 }),
      },
    ],
  },

  'workspace.$company/route.tsx': {
    // GET: status:read, for a company in the user's grants (another company, or an unknown one, is 404).
    // POST: status:update; each client is looked up in the user's scope (out of scope: 404, or in the
    // bulk form a per-client "not found" result, the same as for an unknown id).
    requests: [
      {
        method: 'GET',
        path: '/workspace/:company',
        targets: WORKSPACES,
        expect: only({
          //               fcash pcni unknown
          admin: [200, 200, 404],
          area_manager: [200, 200, 404],
          branch_officer: [200, 404, 404],
          FC_TELE: [200, 404, 404],
          viewer: [200, 200, 404],
          fcash_admin: [200, 404, 404],
        }),
      },
      {
        method: 'POST',
        path: '/workspace/:company',
        params: { company: 'fcash' },
        label: 'intent=status, same status again',
        mutates: true,
        targets: PENDING_CLIENTS,
        form: workspaceRowForm,
        expect: only({
          //               MNLA01    QZN01     CEBU01    MNLA03    unknown
          admin: [WS_SAVED, WS_SAVED, WS_SAVED, WS_SAVED, 404],
          area_manager: [WS_SAVED, WS_SAVED, 404, WS_SAVED, 404],
          branch_officer: [WS_SAVED, 404, 404, 404, 404],
          FC_TELE: [WS_SAVED, WS_SAVED, 404, 404, 404],
          fcash_admin: [WS_SAVED, WS_SAVED, WS_SAVED, 404, 404],
        }),
      },
      {
        // The same MNLA01 client posted through each workspace URL: a company outside the user's
        // grants should be 404 like an unknown one, as the GET is.
        method: 'POST',
        path: '/workspace/:company',
        label: 'intent=status, client of MNLA01',
        mutates: true,
        targets: WORKSPACES,
        form: mnla01RowForm,
        expect: only({
          //               fcash                         pcni                           unknown
          admin: [to('/workspace/fcash'), to('/workspace/fcash'), 404],
          area_manager: [to('/workspace/fcash'), to('/workspace/fcash'), 404],
          branch_officer: [to('/workspace/fcash'), OTHER_WORKSPACE_POST, 404],
          FC_TELE: [to('/workspace/fcash'), OTHER_WORKSPACE_POST, 404],
          fcash_admin: [to('/workspace/fcash'), OTHER_WORKSPACE_POST, 404],
        }),
      },
      {
        method: 'POST',
        path: '/workspace/:company',
        params: { company: 'fcash' },
        label: 'intent=bulk, one client',
        mutates: true,
        targets: PENDING_CLIENTS,
        form: bulkOneForm,
        expect: only({
          //               MNLA01      QZN01       CEBU01      MNLA03      unknown
          admin: [ITEM_SAVED, ITEM_SAVED, ITEM_SAVED, ITEM_SAVED, ITEM_NOT_FOUND],
          area_manager: [ITEM_SAVED, ITEM_SAVED, ITEM_NOT_FOUND, ITEM_SAVED, ITEM_NOT_FOUND],
          branch_officer: [ITEM_SAVED, ITEM_NOT_FOUND, ITEM_NOT_FOUND, ITEM_NOT_FOUND, ITEM_NOT_FOUND],
          FC_TELE: [ITEM_SAVED, ITEM_SAVED, ITEM_NOT_FOUND, ITEM_NOT_FOUND, ITEM_NOT_FOUND],
          fcash_admin: [ITEM_SAVED, ITEM_SAVED, ITEM_SAVED, ITEM_NOT_FOUND, ITEM_NOT_FOUND],
        }),
      },
      {
        method: 'POST',
        path: '/workspace/:company',
        params: { company: 'fcash' },
        label: 'unknown intent',
        form: { intent: 'explode' },
        expect: only({ admin: 400, area_manager: 400, branch_officer: 400, FC_TELE: 400, fcash_admin: 400 }),
      },
    ],
  },

  'admin.activity.tsx': {
    requests: [
      { method: 'GET', path: '/admin/activity', expect: only({ admin: 200, area_manager: 200, fcash_admin: 200 }) },
      {
        // Rows are scoped by the client they are about, not only by who wrote them (decision 007).
        method: 'GET',
        path: '/admin/activity',
        label: 'contact edits, by client',
        query: { action: 'client.contacts', resource: 'client', resourceId: ':id' },
        targets: CONTACT_EDITS,
        expect: only({ admin: [200, 200, 200], area_manager: [200, 200, 200], fcash_admin: [200, 200, 200] }),
        content: [
          shows('09175550101', ['admin', 'area_manager', 'fcash_admin'], ['MNLA01, FCASH NCR']),
          hides('09175550303', ['fcash_admin'], ['MNLA03, other company']),
          shows('09175550303', ['admin', 'area_manager'], ['MNLA03, other company']),
        ],
      },
      {
        // One trace (decision 094): a trace that touched only the other company's client is 404, like one never used.
        method: 'GET',
        path: '/admin/activity',
        label: 'one trace',
        query: { trace: ':id' },
        targets: TRACES,
        expect: only({ admin: [200, 200, 404], area_manager: [200, 200, 404], fcash_admin: [200, 404, 404] }),
      },
    ],
  },

  'admin.users._index.tsx': {
    requests: [
      {
        method: 'GET',
        path: '/admin/users',
        expect: only({ admin: 200, area_manager: 200, fcash_admin: 200 }),
        // The roles column names only the reader's companies' roles (admin.both holds admin in both).
        content: [shows('Administrator, Administrator', ['admin']), hides('Administrator, Administrator', ['fcash_admin'])],
      },
      {
        // A branch or area filter outside the reader's reach is 404, like an unknown id (decision 007).
        method: 'GET',
        path: '/admin/users',
        label: 'branch filter',
        query: { branch: ':id' },
        targets: BRANCHES,
        expect: only({
          //              MNLA01 QZN01 CEBU01 MNLA03 unknown
          admin: [200, 200, 200, 200, 404],
          area_manager: [200, 200, 404, 200, 404],
          fcash_admin: [200, 200, 200, 404, 404],
        }),
      },
      {
        method: 'GET',
        path: '/admin/users',
        label: 'area filter',
        query: { area: ':id' },
        targets: orgAreaTargets(),
        expect: only({
          //             FCASH NCR  R7  PCNI R1 unknown
          admin: [200, 200, 200, 404],
          area_manager: [200, 404, 404, 404],
          fcash_admin: [200, 200, 404, 404],
        }),
      },
    ],
  },

  'admin.users.new.tsx': {
    // users:manage (the area manager has users:read only). Roles and branches can be given only
    // within the admin's own company/territory: outside it the form answers 400, like an unknown id.
    requests: [
      { method: 'GET', path: '/admin/users/new', expect: only({ admin: 200, fcash_admin: 200 }) },
      { method: 'POST', path: '/admin/users/new', label: 'no email', form: { fullName: 'Nobody Yet' }, expect: only({ admin: 400, fcash_admin: 400 }) },
      {
        method: 'POST',
        path: '/admin/users/new',
        label: 'role in company',
        mutates: true,
        targets: COMPANIES,
        form: ({ role }) => ({ email: `new.${role.toLowerCase()}@matrix.test`, fullName: 'New Matrix User', roleTemplate: 'branch_officer', companyId: ':id' }),
        //                          FCASH PCNI unknown
        expect: only({ admin: [NEW_USER, NEW_USER, 400], fcash_admin: [NEW_USER, 400, 400] }),
      },
      {
        method: 'POST',
        path: '/admin/users/new',
        label: 'branch',
        mutates: true,
        targets: [BRANCHES[0], BRANCHES[3], UNKNOWN],
        form: ({ role }) => ({ email: `new.${role.toLowerCase()}@matrix.test`, fullName: 'New Matrix User', branchIds: [':id'] }),
        //                          MNLA01 MNLA03 unknown
        expect: only({ admin: [NEW_USER, NEW_USER, 400], fcash_admin: [NEW_USER, 400, 400] }),
      },
    ],
  },

  'admin.users.$id/route.tsx': {
    // users:read to see (area scope: users with a branch/area in the area manager's territory;
    // company-wide: users with a grant in that company, and users with no grant and no territory),
    // users:manage to act, and only on users wholly inside the admin's reach (a user who also holds
    // grants in another company is visible to the FCASH admin but not manageable: 404).
    // Out-of-scope users are 404 like unknown ids.
    requests: [
      {
        method: 'GET',
        path: '/admin/users/:id',
        targets: USERS,
        expect: only({
          //             MNLA01 CEBU01 PCNI  both  none  unknown
          admin: [200, 200, 200, 200, 200, 404],
          area_manager: [200, 404, 200, 404, 404, 404],
          fcash_admin: [200, 200, 404, 200, 200, 404],
        }),
        // A one-company admin reads only what its company grants a user of both (decision 007).
        content: [
          { label: 'access of FCASH only', roles: ['fcash_admin'], targets: ['user of both companies'], check: accessOnlyOf(['FCASH']) },
          {
            label: 'access of both companies',
            roles: ['admin'],
            targets: ['user of both companies'],
            check: async (args) => ((await accessOnlyOf(['FCASH'])(args)).length ? [] : ['the PCNI grants are missing']),
          },
        ],
      },
      {
        method: 'POST',
        path: '/admin/users/:id',
        label: 'unknown intent',
        form: { intent: 'explode' },
        targets: USERS,
        expect: only({
          //            MNLA01 CEBU01 PCNI  both  none  unknown
          admin: [400, 400, 400, 400, 400, 404],
          fcash_admin: [400, 400, 404, 404, 400, 404],
        }),
      },
      {
        method: 'POST',
        path: '/admin/users/:id',
        label: 'intent=unlock',
        form: { intent: 'unlock' },
        targets: USERS,
        mutates: true,
        expect: only({
          admin: [USER_SAVED, USER_SAVED, USER_SAVED, USER_SAVED, USER_SAVED, 404],
          fcash_admin: [USER_SAVED, USER_SAVED, 404, 404, USER_SAVED, 404],
        }),
      },
      {
        // An admin of one company must not take over a user who also holds grants in the other
        // (a reset shows the new temporary password to the admin).
        method: 'POST',
        path: '/admin/users/:id',
        label: 'intent=reset-password',
        form: { intent: 'reset-password' },
        targets: USERS,
        mutates: true,
        expect: only({
          admin: [USER_SAVED, USER_SAVED, USER_SAVED, USER_SAVED, USER_SAVED, 404],
          fcash_admin: [USER_SAVED, USER_SAVED, 404, 404, USER_SAVED, 404],
        }),
      },
    ],
  },

  // Areas and branches (issue 6): areas:read / branches:read to see (in the territory; company-wide
  // for 'all'), areas:manage / branches:manage to change (areas, creating, deleting: company-wide in
  // that company; editing a branch: that branch). Out-of-reach ids are 404 like unknown ones
  // (decision 075). The area manager has areas:read and branches:read only; the tele agent neither.
  'areas._index.tsx': {
    requests: [
      { method: 'GET', path: '/areas', expect: only({ admin: 200, area_manager: 200, viewer: 200, fcash_admin: 200 }) },
      { method: 'POST', path: '/areas', label: 'intent=create, empty form', form: { intent: 'create' }, expect: only({ admin: 400, fcash_admin: 400 }) },
      {
        method: 'POST',
        path: '/areas',
        label: 'intent=create in company',
        mutates: true,
        targets: COMPANIES,
        form: { intent: 'create', companyId: ':id', code: 'MX1', name: 'Matrix Area', isActive: 'on' },
        //                          FCASH                           PCNI                            unknown
        expect: only({ admin: [to('/areas/*'), to('/areas/*'), 400], fcash_admin: [to('/areas/*'), 400, 400] }),
      },
    ],
  },

  'areas.$id/route.tsx': {
    requests: [
      {
        method: 'GET',
        path: '/areas/:id',
        targets: orgAreaTargets(),
        expect: only({
          //               FCASH NCR  R7   PCNI R1  unknown
          admin: [200, 200, 200, 404],
          area_manager: [200, 404, 404, 404],
          viewer: [200, 200, 200, 404],
          fcash_admin: [200, 200, 404, 404],
        }),
      },
      {
        method: 'POST',
        path: '/areas/:id',
        label: 'intent=edit, new name',
        mutates: true,
        targets: orgAreaTargets(),
        form: async ({ id, client }) => ({
          intent: 'edit',
          name: 'Matrix Area',
          isActive: 'on',
          code: String((await sqlRows(client, 'SELECT code FROM areas WHERE id = ?', [id]))[0]?.code ?? 'ZZ'),
        }),
        expect: only({
          admin: [to('/areas/:id'), to('/areas/:id'), to('/areas/:id'), 404],
          fcash_admin: [to('/areas/:id'), to('/areas/:id'), 404, 404],
        }),
      },
      {
        method: 'POST',
        path: '/areas/:id',
        label: 'unknown intent',
        form: { intent: 'explode' },
        targets: orgAreaTargets(),
        expect: only({ admin: [400, 400, 400, 404], fcash_admin: [400, 400, 404, 404] }),
      },
    ],
  },

  'branches._index.tsx': {
    requests: [
      { method: 'GET', path: '/branches', expect: only({ admin: 200, area_manager: 200, branch_officer: 200, viewer: 200, fcash_admin: 200 }) },
      {
        // The area filter offers only the areas the reader sees; any other id is the list's 400.
        method: 'GET',
        path: '/branches',
        query: { area: ':id' },
        targets: orgAreaTargets(),
        expect: only({
          //               FCASH NCR  R7   PCNI R1  unknown
          admin: [200, 200, 200, 400],
          area_manager: [200, 400, 400, 400],
          branch_officer: [200, 400, 400, 400],
          viewer: [200, 200, 200, 400],
          fcash_admin: [200, 200, 400, 400],
        }),
      },
      { method: 'POST', path: '/branches', label: 'intent=create, empty form', form: { intent: 'create' }, expect: only({ admin: 400, fcash_admin: 400 }) },
      {
        method: 'POST',
        path: '/branches',
        label: 'intent=create in company',
        mutates: true,
        targets: COMPANIES,
        form: { intent: 'create', companyId: ':id', code: 'MX01', name: 'Matrix Branch', category: 'main', isActive: 'on' },
        expect: only({ admin: [to('/branches/*'), to('/branches/*'), 400], fcash_admin: [to('/branches/*'), 400, 400] }),
      },
    ],
  },

  'branches.$id/route.tsx': {
    requests: [
      {
        method: 'GET',
        path: '/branches/:id',
        targets: BRANCHES,
        expect: only({
          //               MNLA01 QZN01 CEBU01 MNLA03 unknown
          admin: [200, 200, 200, 200, 404],
          area_manager: [200, 200, 404, 200, 404],
          branch_officer: [200, 404, 404, 404, 404],
          viewer: [200, 200, 200, 200, 404],
          fcash_admin: [200, 200, 200, 404, 404],
        }),
      },
      {
        method: 'POST',
        path: '/branches/:id',
        label: 'intent=edit, new name',
        mutates: true,
        targets: BRANCHES,
        form: { intent: 'edit', name: 'Matrix Branch', category: 'main', isActive: 'on' },
        expect: only({
          admin: [to('/branches/:id'), to('/branches/:id'), to('/branches/:id'), to('/branches/:id'), 404],
          fcash_admin: [to('/branches/:id'), to('/branches/:id'), to('/branches/:id'), 404, 404],
        }),
      },
      {
        method: 'POST',
        path: '/branches/:id',
        label: 'intent=add-contact',
        mutates: true,
        targets: BRANCHES,
        form: { intent: 'add-contact', contactType: 'phone', value: '0917 555 0199' },
        expect: only({
          admin: [to('/branches/:id'), to('/branches/:id'), to('/branches/:id'), to('/branches/:id'), 404],
          fcash_admin: [to('/branches/:id'), to('/branches/:id'), to('/branches/:id'), 404, 404],
        }),
      },
      {
        method: 'POST',
        path: '/branches/:id',
        label: 'unknown intent',
        form: { intent: 'explode' },
        targets: BRANCHES,
        expect: only({ admin: [400, 400, 400, 400, 404], fcash_admin: [400, 400, 400, 404, 404] }),
      },
    ],
  },

  // The performance screen (issue 12 part 1): reports:read, figures in the reader's scope. A branch
  // or area filter outside the reach is 404 like an unknown id; one of the reader's other company is
  // dropped (200: the company was switched with the old filter still in the form). The refresh form
  // queues one job (reports:read, the write limit) and comes back to the screen.
  'reports._index.tsx': {
    requests: [
      { method: 'GET', path: '/reports', expect: only({ admin: 200, area_manager: 200, branch_officer: 200, viewer: 200, fcash_admin: 200 }) },
      {
        method: 'GET',
        path: '/reports',
        label: 'branch filter',
        query: { company: 'fcash', branch: ':id' },
        targets: BRANCHES,
        expect: only({
          //               MNLA01 QZN01 CEBU01 MNLA03 unknown
          admin: [200, 200, 200, 200, 404],
          area_manager: [200, 200, 404, 200, 404],
          branch_officer: [200, 404, 404, 404, 404],
          viewer: [200, 200, 200, 200, 404],
          fcash_admin: [200, 200, 200, 404, 404],
        }),
      },
      {
        method: 'GET',
        path: '/reports',
        label: 'area filter',
        query: { company: 'fcash', area: ':id' },
        targets: orgAreaTargets(),
        expect: only({
          //             FCASH NCR  R7  PCNI R1 unknown
          admin: [200, 200, 200, 404],
          area_manager: [200, 404, 404, 404],
          branch_officer: [200, 404, 404, 404],
          viewer: [200, 200, 200, 404],
          fcash_admin: [200, 200, 404, 404],
        }),
      },
      {
        method: 'POST',
        path: '/reports',
        label: 'intent=refresh',
        mutates: true,
        form: { intent: 'refresh', company: 'fcash', period: CURRENT_PERIODS[0] },
        expect: only({
          admin: to(`/reports?company=fcash&period=${CURRENT_PERIODS[0]}`),
          area_manager: to(`/reports?company=fcash&period=${CURRENT_PERIODS[0]}`),
          branch_officer: to(`/reports?company=fcash&period=${CURRENT_PERIODS[0]}`),
          viewer: to(`/reports?company=fcash&period=${CURRENT_PERIODS[0]}`),
          fcash_admin: to(`/reports?company=fcash&period=${CURRENT_PERIODS[0]}`),
        }),
      },
      {
        method: 'POST',
        path: '/reports',
        label: 'unknown intent',
        form: { intent: 'explode', company: 'fcash', period: CURRENT_PERIODS[0] },
        expect: only({ admin: 400, area_manager: 400, branch_officer: 400, viewer: 400, fcash_admin: 400 }),
      },
    ],
  },

  // Sync and jobs screens (issue 5): sync:read to view, sync:execute to act, both at scope 'all' in
  // EVERY company (decision 065): the fcash-only admin is 403 like everyone without the permission.
  'admin.sync._index.tsx': {
    requests: [
      { method: 'GET', path: '/admin/sync', expect: only({ admin: 200 }) },
      {
        method: 'POST',
        path: '/admin/sync',
        label: 'incremental dry run',
        mutates: true,
        form: { mode: 'incremental', dryRun: 'on', branchCodes: '' },
        expect: only({ admin: to('/admin/sync?requested=*') }),
      },
      { method: 'POST', path: '/admin/sync', label: 'bad mode', form: { mode: 'sideways' }, expect: only({ admin: 400 }) },
    ],
  },

  'admin.sync.$id.tsx': {
    requests: [{ method: 'GET', path: '/admin/sync/:id', targets: syncJobTargets(), expect: only({ admin: [200, 404] }) }],
  },

  'admin.sync.$id.progress.ts': {
    requests: [{ method: 'GET', path: '/admin/sync/:id/progress', targets: syncJobTargets(), expect: only({ admin: [200, 404] }) }],
  },

  'admin.approvals/route.tsx': {
    // Maker-checker (decision 101): any permission a checked action needs (users:manage,
    // config:manage, status:revert) opens the list; a request is listed and decided only where its
    // action's handler covers the reader, else 404 like an unknown id. The PCNI request (a grant
    // change) needs users:manage company-wide in PCNI: the all-company admin may decide it; the area
    // manager (status:revert, a checker of reversals in their area) and the FCASH admin may not.
    requests: [
      { method: 'GET', path: '/admin/approvals', expect: only({ admin: 200, fcash_admin: 200, area_manager: 200 }) },
      {
        method: 'GET',
        path: '/admin/approvals',
        label: 'a PCNI grant request waits',
        targets: [changeRequestTarget('PCNI'), UNKNOWN],
        expect: only({ admin: [200, 200], fcash_admin: [200, 200], area_manager: [200, 200] }),
        content: [shows('matrix request', ['admin'], ['PCNI request']), hides('matrix request', ['fcash_admin', 'area_manager'], ['PCNI request'])],
      },
      {
        method: 'POST',
        path: '/admin/approvals',
        label: 'intent=approve',
        mutates: true,
        form: { intent: 'approve', requestId: ':id' },
        targets: [changeRequestTarget('PCNI'), UNKNOWN],
        expect: only({ admin: [APPROVALS, 404], fcash_admin: [404, 404], area_manager: [404, 404] }),
      },
      {
        method: 'POST',
        path: '/admin/approvals',
        label: 'intent=reject',
        mutates: true,
        form: { intent: 'reject', requestId: ':id', reason: 'matrix: not this time' },
        targets: [changeRequestTarget('PCNI'), UNKNOWN],
        expect: only({ admin: [APPROVALS, 404], fcash_admin: [404, 404], area_manager: [404, 404] }),
      },
      {
        method: 'POST',
        path: '/admin/approvals',
        label: 'intent=withdraw',
        mutates: true,
        form: { intent: 'withdraw', requestId: ':id' },
        targets: [changeRequestTarget('PCNI'), UNKNOWN],
        // Only the maker withdraws: for anyone else it is not a request of theirs (404).
        expect: only({ admin: [404, 404], fcash_admin: [404, 404], area_manager: [404, 404] }),
      },
    ],
  },
  'admin.jobs/route.tsx': {
    requests: [
      { method: 'GET', path: '/admin/jobs', expect: only({ admin: 200 }) },
      {
        method: 'POST',
        path: '/admin/jobs',
        label: 'intent=retry',
        mutates: true,
        form: { intent: 'retry', jobId: ':id' },
        targets: [jobTarget('dead', 'dead job'), UNKNOWN],
        expect: only({ admin: [JOBS, 404] }),
      },
      {
        method: 'POST',
        path: '/admin/jobs',
        label: 'intent=cancel',
        mutates: true,
        form: { intent: 'cancel', jobId: ':id' },
        targets: [jobTarget('pending', 'pending job'), UNKNOWN],
        expect: only({ admin: [JOBS, 404] }),
      },
      {
        method: 'POST',
        path: '/admin/jobs',
        label: 'intent=disable',
        mutates: true,
        form: { intent: 'disable', scheduleId: ':id' },
        targets: [scheduleTarget('performance_snapshots'), UNKNOWN],
        expect: only({ admin: [JOBS, 404] }),
      },
      {
        method: 'POST',
        path: '/admin/jobs',
        label: 'intent=run-now',
        mutates: true,
        form: { intent: 'run-now', scheduleId: ':id' },
        targets: [scheduleTarget('retention_cleanup'), UNKNOWN],
        expect: only({ admin: [JOBS, 404] }),
      },
      { method: 'POST', path: '/admin/jobs', label: 'unknown intent', form: { intent: 'explode' }, expect: only({ admin: 400 }) },
    ],
  },

  // Configuration (issue 6, decision 071): config:read to see (admin, area manager, the FCASH admin),
  // config:manage to change. Config is company-level: the FCASH admin changes FCASH rows, reads shared
  // rows but cannot change them (config:manage 'all' in every company: 403), and PCNI rows are 404 to it.
  'admin.config._index.tsx': {
    requests: [{ method: 'GET', path: '/admin/config', expect: only({ admin: 200, area_manager: 200, fcash_admin: 200 }) }],
  },

  'admin.config.$table._index.tsx': {
    requests: [
      {
        method: 'GET',
        path: '/admin/config/:table',
        targets: [slug('pension-types', 'pension types'), slug('settings', 'settings'), UNKNOWN],
        expect: only({ admin: [200, 200, 404], area_manager: [200, 200, 404], fcash_admin: [200, 200, 404] }),
      },
      {
        method: 'GET',
        path: '/admin/config/:table',
        params: { table: 'pension-types' },
        query: { company: ':id' },
        targets: COMPANIES,
        //                                FCASH PCNI unknown
        expect: only({ admin: [200, 200, 400], area_manager: [200, 200, 400], fcash_admin: [200, 400, 400] }),
      },
    ],
  },

  'admin.config.$table.new/route.tsx': {
    requests: [
      {
        method: 'GET',
        path: '/admin/config/:table/new',
        targets: [slug('pension-types', 'pension types'), slug('pensioner-types', 'shared table'), UNKNOWN],
        expect: only({ admin: [200, 200, 404], fcash_admin: [200, 403, 404] }),
      },
      {
        method: 'POST',
        path: '/admin/config/:table/new',
        params: { table: 'pension-types' },
        label: 'empty form',
        form: { intent: 'save' },
        expect: only({ admin: 400, fcash_admin: 400 }),
      },
      {
        method: 'POST',
        path: '/admin/config/:table/new',
        params: { table: 'pension-types' },
        label: 'pension type in company',
        mutates: true,
        targets: COMPANIES,
        form: ({ role }) => ({ intent: 'save', code: `MX_${role}`, name: 'Matrix pension type', companyId: ':id' }),
        expect: only({
          //             FCASH                                           PCNI                                            unknown
          admin: [to('/admin/config/pension-types/*'), to('/admin/config/pension-types/*'), 400],
          fcash_admin: [to('/admin/config/pension-types/*'), 400, 400],
        }),
      },
    ],
  },

  'admin.config.$table.$id/route.tsx': {
    requests: [
      {
        method: 'GET',
        path: '/admin/config/:table/:id',
        params: { table: 'pension-types' },
        targets: configRows('pension_types', ['SSS', 'PNP']),
        //                                SSS (FCASH) PNP (PCNI) unknown
        expect: only({ admin: [200, 200, 404], area_manager: [200, 200, 404], fcash_admin: [200, 404, 404] }),
      },
      {
        method: 'POST',
        path: '/admin/config/:table/:id',
        params: { table: 'pension-types' },
        label: 'intent=save, rename',
        mutates: true,
        targets: configRows('pension_types', ['SSS', 'PNP']),
        form: renameForm('pension_types'),
        expect: only({
          admin: [to('/admin/config/pension-types/:id'), to('/admin/config/pension-types/:id'), 404],
          fcash_admin: [to('/admin/config/pension-types/:id'), 404, 404],
        }),
      },
      {
        // A shared status type (DONE): only an admin of every company changes it.
        method: 'POST',
        path: '/admin/config/:table/:id',
        params: { table: 'status-types' },
        label: 'intent=save, shared row',
        mutates: true,
        targets: configRows('status_types', ['DONE']),
        form: { intent: 'save', code: 'DONE', name: 'Done (matrix)', sequence: '6', sortOrder: '' },
        expect: only({ admin: [to('/admin/config/status-types/:id'), 404], fcash_admin: [403, 404] }),
      },
      {
        method: 'POST',
        path: '/admin/config/:table/:id',
        params: { table: 'pension-types' },
        label: 'intent=delete, system row',
        mutates: true,
        targets: configRows('pension_types', ['SSS', 'PNP']),
        form: { intent: 'delete' },
        expect: only({ admin: [400, 400, 404], fcash_admin: [400, 404, 404] }),
      },
      {
        // Options: NO_ANSWER is FCASH's, ACTIVE (loan statuses) is shared by both companies.
        method: 'POST',
        path: '/admin/config/:table/:id',
        params: { table: 'config-options' },
        label: 'intent=delete (deactivate)',
        mutates: true,
        targets: configRows('config_options', ['NO_ANSWER', 'ACTIVE']),
        form: { intent: 'delete' },
        expect: only({
          admin: [to('/admin/config/config-options/:id'), to('/admin/config/config-options/:id'), 404],
          fcash_admin: [to('/admin/config/config-options/:id'), 403, 404],
        }),
      },
      {
        method: 'POST',
        path: '/admin/config/:table/:id',
        params: { table: 'pension-types' },
        label: 'unknown intent',
        form: { intent: 'explode' },
        expect: only({ admin: 400, fcash_admin: 400 }),
      },
    ],
  },

  'admin.audit.tsx': {
    // config:read (decision 072): the log shows configuration values.
    requests: [
      { method: 'GET', path: '/admin/audit', expect: only({ admin: 200, area_manager: 200, fcash_admin: 200 }) },
      { method: 'GET', path: '/admin/audit', query: { from: '15-11-2026' }, expect: only({ admin: 400, area_manager: 400, fcash_admin: 400 }) },
      {
        // Branch-owned rows follow the territory (decision 072): the area manager does not read CEBU01's contact.
        method: 'GET',
        path: '/admin/audit',
        label: 'a branch contact edit',
        query: { table: 'branch_contacts', record: ':id' },
        targets: CONTACT_AUDITS,
        expect: only({ admin: [200, 200, 200, 200], area_manager: [200, 200, 200, 200], fcash_admin: [200, 200, 200, 200] }),
        content: AUDIT_REACH,
      },
    ],
  },

  // Exports (issue 12, decision 093): reports:export (admin and area manager templates). The request
  // spends the export limit; the download answers 404 for anything but the owner's ready export.
  'reports_.exports.tsx': {
    requests: [
      { method: 'GET', path: '/reports/exports', expect: only({ admin: 200, area_manager: 200, fcash_admin: 200 }) },
      {
        method: 'GET',
        path: '/reports/exports',
        label: 'from the workspace',
        query: { type: 'client_status', company: 'fcash', period: '2026-11' },
        expect: only({ admin: 200, area_manager: 200, fcash_admin: 200 }),
      },
      {
        method: 'POST',
        path: '/reports/exports',
        label: 'FCASH status as XLSX',
        mutates: true,
        form: { type: 'client_status', format: 'xlsx', company: 'fcash', period: '2026-11' },
        expect: only({
          admin: to('/reports/exports?requested=*'),
          area_manager: to('/reports/exports?requested=*'),
          fcash_admin: to('/reports/exports?requested=*'),
        }),
      },
      {
        method: 'POST',
        path: '/reports/exports',
        label: 'PCNI clients',
        mutates: true,
        form: { type: 'clients', format: 'csv', company: ':id' },
        targets: COMPANIES,
        //                                FCASH                                   PCNI                                  unknown
        expect: only({
          admin: [to('/reports/exports?requested=*'), to('/reports/exports?requested=*'), 400],
          area_manager: [to('/reports/exports?requested=*'), to('/reports/exports?requested=*'), 400],
          fcash_admin: [to('/reports/exports?requested=*'), 400, 400],
        }),
      },
      {
        method: 'POST',
        path: '/reports/exports',
        label: 'unknown kind',
        form: { type: 'everything', format: 'csv' },
        expect: only({ admin: 400, area_manager: 400, fcash_admin: 400 }),
      },
    ],
  },

  'reports_.exports.$id.download.ts': {
    requests: [
      {
        method: 'GET',
        path: '/reports/exports/:id/download',
        targets: [UNKNOWN],
        expect: only({ admin: [404], area_manager: [404], fcash_admin: [404] }),
      },
    ],
  },

  'reports_.exports.file.ts': {
    requests: [
      {
        method: 'GET',
        path: '/reports/exports/file',
        label: 'a forged link',
        query: { t: `1.1.99999999999999.${'A'.repeat(43)}` },
        expect: only({ admin: 404, area_manager: 404, fcash_admin: 404 }),
      },
    ],
  },

  'admin.audit[.]csv.ts': {
    requests: [
      { method: 'GET', path: '/admin/audit.csv', expect: only({ admin: 200, area_manager: 200, fcash_admin: 200 }) },
      {
        method: 'GET',
        path: '/admin/audit.csv',
        label: 'a branch contact edit',
        query: { table: 'branch_contacts', record: ':id' },
        targets: CONTACT_AUDITS,
        expect: only({ admin: [200, 200, 200, 200], area_manager: [200, 200, 200, 200], fcash_admin: [200, 200, 200, 200] }),
        content: AUDIT_REACH,
      },
    ],
  },
};

// ---------------------------------------------------------------------------------------------
// Targets of the sync and jobs screens (function declarations: hoisted, so MATRIX above can call them).

/** A finished sync job, written into the cell's database (the seed has none). */
function syncJobTargets(): Target[] {
  return [
    {
      label: 'a finished sync',
      pick: ({ client }) =>
        one(
          client,
          `INSERT INTO sync_jobs (mode, is_dry_run, status, "trigger", source_view, rows_read, created_at, finished_at)
       VALUES ('full', 0, 'done', 'schedule', 'CLIENT_UPDATER.CLIENTS_VIEW', 10, ?, ?) RETURNING id`,
          [Date.parse(TEST_NOW), Date.parse(TEST_NOW)],
          'sync job',
        ),
    },
    UNKNOWN,
  ];
}

/** A job of the cleanup queue in the given state, written into the cell's database. */
/** A pending grants request in that company by a maker created for it, about a user with no grants there (no change asked). */
function changeRequestTarget(company: 'FCASH' | 'PCNI'): Target {
  return {
    label: `${company} request`,
    pick: async ({ client }) => {
      const maker = await one(
        client,
        "INSERT INTO users (email, full_name, password_hash) VALUES (?, 'Matrix Maker', 'x') ON CONFLICT (email) DO UPDATE SET full_name = excluded.full_name RETURNING id",
        [`maker.${company.toLowerCase()}@matrix.test`],
        'maker',
      );
      const target = await one(
        client,
        "INSERT INTO users (email, full_name, password_hash) VALUES (?, 'Matrix Target', 'x') ON CONFLICT (email) DO UPDATE SET full_name = excluded.full_name RETURNING id",
        [`target.${company.toLowerCase()}@matrix.test`],
        'target',
      );
      return one(
        client,
        `INSERT INTO change_requests (company_id, action, target_type, target_id, payload, before, remark, maker_id, expires_at)
         VALUES ((SELECT id FROM companies WHERE code = ?), 'user.grants', 'user', ?,
                 json_object('companyId', (SELECT id FROM companies WHERE code = ?), 'grants', json_object(), 'roleTemplate', json('null')),
                 json_object('grants', json_object()), 'matrix request', ?, ?) RETURNING id`,
        [company, target, company, maker, Date.parse(TEST_NOW) + 86_400_000],
        `${company} change request`,
      );
    },
  };
}

function jobTarget(status: 'dead' | 'pending', label: string): Target {
  return {
    label,
    pick: ({ client }) =>
      one(
        client,
        `INSERT INTO job_queue (queue, payload, status, attempts, max_attempts, scheduled_at, last_error, created_at)
       VALUES ('cleanup', '{}', ?, ?, 3, ?, NULLIF(?, ''), ?) RETURNING id`,
        [status, status === 'dead' ? 3 : 0, Date.parse(TEST_NOW), status === 'dead' ? 'matrix: boom' : '', Date.parse(TEST_NOW)],
        `${status} job`,
      ),
  };
}

/** A seeded schedule (db/seed/settings.ts SCHEDULED_JOBS). */
function scheduleTarget(code: string): Target {
  return { label: `schedule ${code}`, pick: ({ client }) => one(client, 'SELECT id FROM scheduled_jobs WHERE code = ?', [code], `schedule ${code}`) };
}

// ---------------------------------------------------------------------------------------------
// Targets of the FCASH tele and reinstate intents of the client page (hoisted function declarations).

/**
 * Per branch of CLIENTS: an FCASH client whose tele status this cycle is saved (pointer touched_status)
 * with a NextBank id, so a Month to Update may be queued; for the PCNI branch its first client.
 */
function teleTouchedClients(): Target[] {
  const pick = (branch: string, label: string): Target => ({
    label,
    pick: ({ client }) =>
      one(
        client,
        `SELECT c.id FROM clients c JOIN branches b ON b.id = c.branch_id
       WHERE b.code = ? AND ((c.pointer = 'touched_status' AND c.customer_id_nb IS NOT NULL) OR c.pointer IS NULL) ORDER BY c.id LIMIT 1`,
        [branch],
        `client of ${branch} ready for a Month to Update`,
      ),
  });
  return [
    pick('MNLA01', 'MNLA01, FCASH NCR'),
    pick('QZN01', 'QZN01, other branch in NCR'),
    pick('CEBU01', 'CEBU01, other area'),
    pick('MNLA03', 'MNLA03, other company'),
    UNKNOWN,
  ];
}

/** Per branch of CLIENTS: its first client, made terminal in its newest period row of the cell's database. */
function terminalClients(): Target[] {
  const pick = (branch: string, label: string): Target => ({
    label,
    pick: async ({ client }) => {
      const id = await one(
        client,
        'SELECT c.id FROM clients c JOIN branches b ON b.id = c.branch_id WHERE b.code = ? AND EXISTS (SELECT 1 FROM client_period_status s WHERE s.client_id = c.id) ORDER BY c.id LIMIT 1',
        [branch],
        `client of ${branch} with period rows`,
      );
      await client.execute({
        sql: `UPDATE client_period_status SET is_terminal = 1 WHERE id = (SELECT id FROM client_period_status WHERE client_id = ?
              ORDER BY period_year DESC, period_number DESC LIMIT 1)`,
        args: [id],
      });
      return id;
    },
  });
  return [
    pick('MNLA01', 'MNLA01, FCASH NCR'),
    pick('QZN01', 'QZN01, other branch in NCR'),
    pick('CEBU01', 'CEBU01, other area'),
    pick('MNLA03', 'MNLA03, other company'),
    UNKNOWN,
  ];
}

// ---------------------------------------------------------------------------------------------
// Targets of the area screens (a function declaration: hoisted, so MATRIX above can call it).

/** FCASH NCR (the area manager's), another FCASH area, an area of the other company (not the area manager's), unknown. */
function orgAreaTargets(): Target[] {
  const area = (company: string, code: string, label: string): Target => ({
    label,
    pick: ({ client }) =>
      one(
        client,
        'SELECT a.id FROM areas a JOIN companies c ON c.id = a.company_id WHERE c.code = ? AND a.code = ?',
        [company, code],
        `area ${company}/${code}`,
      ),
  });
  return [area('FCASH', 'NCR', 'FCASH NCR'), area('FCASH', 'R7', 'R7, other area'), area('PCNI', 'R1', 'PCNI R1, other company'), UNKNOWN];
}

// ---------------------------------------------------------------------------------------------
// Targets of the configuration screens (hoisted function declarations).

/** Rows of a config table by code (first row with that code), then the unknown id. */
function configRows(table: string, codes: readonly string[]): Target[] {
  return [
    ...codes.map((code): Target => ({
      label: `${table} ${code}`,
      pick: ({ client }) => one(client, `SELECT id FROM ${table} WHERE code = ? ORDER BY id LIMIT 1`, [code], `${table} ${code}`),
    })),
    UNKNOWN,
  ];
}

/** The edit form of a lookup row with its own code kept and a new name. */
function renameForm(table: string) {
  return async ({ id, client }: FormArgs): Promise<FormValues> => {
    const [row] = await sqlRows(client, `SELECT code FROM ${table} WHERE id = ?`, [id]);
    return { intent: 'save', code: String(row?.code ?? 'NO_SUCH_ROW'), name: 'Renamed by the matrix', sortOrder: '' };
  };
}
