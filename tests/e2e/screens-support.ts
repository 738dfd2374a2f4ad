import type { Client } from '@libsql/client';
import { expect, type Page } from '@playwright/test';

// Every page route of app/routes, with ids taken from the seeded database, for the no-JavaScript and
// the 360 px passes (screens-no-js.spec.ts, screens-360.spec.ts). `as` is the login that uses it.

export type ScreenUser = 'admin' | 'tele' | 'none';
export interface Screen {
  name: string;
  path: string;
  as: ScreenUser;
  heading: string | RegExp;
}

async function one(db: Client, sql: string): Promise<number> {
  const id = Number((await db.execute(sql)).rows[0]?.[0]);
  if (!id) throw new Error(`no row for: ${sql}`);
  return id;
}

export async function screenIds(db: Client) {
  return {
    client: await one(
      db,
      "SELECT c.id FROM clients c JOIN branches b ON b.id = c.branch_id WHERE b.code = 'MNLA01' AND c.deleted_at IS NULL ORDER BY c.id LIMIT 1",
    ),
    area: await one(db, "SELECT id FROM areas WHERE code = 'NCR' LIMIT 1"),
    branch: await one(db, "SELECT id FROM branches WHERE code = 'MNLA01' LIMIT 1"),
    user: await one(db, "SELECT id FROM users WHERE email = 'branch.mnla01@demo.test'"),
    reason: await one(db, "SELECT r.id FROM status_reasons r JOIN status_types t ON t.id = r.status_type_id WHERE t.code = 'CALLED' ORDER BY r.id LIMIT 1"),
  };
}

export async function allScreens(db: Client): Promise<Screen[]> {
  const id = await screenIds(db);
  return [
    { name: 'login', path: '/login', as: 'none', heading: 'Sign in' },
    { name: 'status', path: '/status', as: 'none', heading: /systems/ },
    { name: 'dashboard', path: '/', as: 'admin', heading: /^Dashboard/ },
    { name: 'performance', path: '/reports', as: 'admin', heading: /^Performance/ },
    { name: 'performance per agent', path: '/reports?company=pcni&segment=pnp&view=agent', as: 'admin', heading: /^Performance · PCNI PNP/ },
    { name: 'clients', path: '/clients', as: 'admin', heading: 'Clients' },
    { name: 'clients, 100 rows', path: '/clients?pageSize=100', as: 'admin', heading: 'Clients' },
    { name: 'client detail', path: `/clients/${id.client}`, as: 'admin', heading: /./ },
    { name: 'FCASH workspace (tele)', path: '/workspace/fcash', as: 'tele', heading: 'FCASH workspace' },
    { name: 'FCASH workspace, 100 rows (tele)', path: '/workspace/fcash?pageSize=100', as: 'tele', heading: 'FCASH workspace' },
    { name: 'FCASH workspace (admin, bulk)', path: '/workspace/fcash', as: 'admin', heading: 'FCASH workspace' },
    { name: 'PCNI workspace', path: '/workspace/pcni', as: 'admin', heading: 'PCNI workspace · Non-PNP' },
    { name: 'PCNI workspace PNP', path: '/workspace/pcni?segment=pnp', as: 'admin', heading: 'PCNI workspace · PNP' },
    { name: 'areas', path: '/areas', as: 'admin', heading: 'Areas' },
    { name: 'area detail', path: `/areas/${id.area}`, as: 'admin', heading: /NCR/ },
    { name: 'branches', path: '/branches', as: 'admin', heading: 'Branches' },
    { name: 'branch detail', path: `/branches/${id.branch}`, as: 'admin', heading: /MNLA01/ },
    { name: 'users', path: '/admin/users', as: 'admin', heading: 'Users' },
    { name: 'new user', path: '/admin/users/new', as: 'admin', heading: 'New user' },
    { name: 'user detail', path: `/admin/users/${id.user}`, as: 'admin', heading: /./ },
    { name: 'config', path: '/admin/config', as: 'admin', heading: 'Configuration' },
    { name: 'config table', path: '/admin/config/status-reasons', as: 'admin', heading: /Status reasons/ },
    { name: 'config row', path: `/admin/config/status-reasons/${id.reason}`, as: 'admin', heading: /./ },
    { name: 'config new row', path: '/admin/config/status-reasons/new', as: 'admin', heading: 'New status reason' },
    { name: 'audit', path: '/admin/audit', as: 'admin', heading: 'Audit log' },
    { name: 'activity', path: '/admin/activity', as: 'admin', heading: 'Activity' },
    { name: 'periods', path: '/admin/periods', as: 'admin', heading: 'Period initialization' },
    { name: 'sync', path: '/admin/sync', as: 'admin', heading: 'Snowflake sync' },
    { name: 'jobs', path: '/admin/jobs', as: 'admin', heading: 'Jobs' },
    { name: 'approvals', path: '/admin/approvals', as: 'admin', heading: 'Approvals' },
    { name: 'exports', path: '/reports/exports?type=client_status&company=fcash', as: 'admin', heading: 'Exports' },
    { name: 'password', path: '/account/password', as: 'admin', heading: 'Change password' },
    { name: 'sessions', path: '/account/sessions', as: 'admin', heading: 'My sessions' },
  ];
}

/** Opens a screen as a document and checks it answered 200 with its heading. */
export async function openScreen(page: Page, screen: Screen) {
  const response = await page.goto(screen.path);
  expect(response?.status(), `${screen.path} answered`).toBe(200);
  await expect(page.getByRole('heading', { level: 1 }).first()).toHaveText(screen.heading);
}

/** The page scrolls sideways when the document is wider than the viewport. */
export async function sidewaysOverflow(page: Page): Promise<{ scrollWidth: number; innerWidth: number; widest: string }> {
  return page.evaluate(() => {
    const innerWidth = window.innerWidth;
    const scrollWidth = document.documentElement.scrollWidth;
    // The deepest element that reaches past the right edge: what to fix.
    let widest = '';
    if (scrollWidth > innerWidth) {
      for (const el of Array.from(document.body.querySelectorAll('*'))) {
        const r = el.getBoundingClientRect();
        if (r.right > innerWidth + 0.5 && el.children.length === 0) {
          const name = (e: Element) =>
            `${e.tagName.toLowerCase()}${e.id ? `#${e.id}` : ''}${e.className && typeof e.className === 'string' ? `.${e.className.split(' ').join('.')}` : ''}`;
          const path = [el.parentElement?.parentElement, el.parentElement, el]
            .filter(Boolean)
            .map((e) => name(e!))
            .join(' > ');
          widest = `${path} right=${Math.round(r.right)} "${(el.textContent ?? '').trim().slice(0, 40)}"`;
          break;
        }
      }
    }
    return { scrollWidth, innerWidth, widest };
  });
}
