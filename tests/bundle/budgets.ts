// The field budget (DESIGN.md "The field budget", issue 11) as numbers the bundle test holds.
// Every figure is gzip bytes of the browser build (build/node/public/build), read from the
// compiler's metafile (decision 081). This is the ONE place to change a budget or the forbidden list.

const KB = 1024;

/**
 * The page's HTML is not in the browser build: the bundle test budgets JS + CSS and keeps this
 * much of each first-visit budget for the HTML document (gzip). Measured on the built Node app with
 * the demo data (20,000 clients), 2026-12-07, gzip level 6 like the compression middleware:
 * /login 1.4 KB; /status 1.7 KB; signed in: /admin/* and /account/* 2.1–6.2 KB, / 4.9 KB,
 * /clients 7.7 KB (13.5 KB with 100 rows), /workspace/fcash 10.3 KB (20.9 KB with 100 rows).
 * Lighthouse in the bench (issue 11, part 5) reports the real transfer per screen; if a page's HTML
 * outgrows its allowance, shrink the page or lower the JS budget here, never raise the total.
 */
export const htmlAllowance = {
  /** The heaviest signed-in page measured (/workspace/fcash, 100 rows: 20.9 KB), rounded up. */
  signedIn: 21 * KB,
  /** /login measured 1.4 KB. */
  login: 1.5 * KB,
};

/** Totals from issue 11: HTML + CSS + JS on a first visit (nothing cached), gzip. */
export const firstVisitTotal = {
  signedIn: 120 * KB,
  login: 90 * KB,
};

export const budgets = {
  /** JS + CSS of a signed-in screen on a first visit: entry, root, the route and every chunk they import, and the CSS. */
  signedInFirstVisit: firstVisitTotal.signedIn - htmlAllowance.signedIn,
  /** JS + CSS of the login page on a first visit. */
  loginFirstVisit: firstVisitTotal.login - htmlAllowance.login,
  /**
   * JS a later client-side navigation fetches: the route's chunk and the shared chunks it imports,
   * minus what entry.client and root already loaded (the loader's JSON is on top of this).
   */
  laterNavigation: 30 * KB,
};

/**
 * Screens held to the login budget. Every other screen (the public /status page included, which
 * ops open, not field staff on a first visit) is held to the signed-in budget.
 */
export const loginRoutes = new Set(['routes/login']);

/**
 * Screens served without JavaScript (their handle says `hydrate: false`; root.tsx then renders no
 * <Scripts>): their first visit is the CSS alone. tests/integration/app-node-host.test.ts checks the
 * page really carries no script.
 */
export const scriptlessRoutes = new Set(['routes/login']);

/**
 * What must never reach a browser chunk. `pattern` is matched against the module path the
 * compiler records (node_modules paths may go through the node_modules symlink, so match the
 * package folder, not the path prefix).
 */
export const forbiddenModules: { name: string; pattern: RegExp }[] = [
  { name: 'zod', pattern: /(^|\/)node_modules\/zod\// },
  { name: 'drizzle-orm', pattern: /(^|\/)node_modules\/drizzle-orm\// },
  { name: 'db/', pattern: /^db\// },
  { name: '@libsql', pattern: /(^|\/)node_modules\/@libsql\// },
  { name: 'bcryptjs', pattern: /(^|\/)node_modules\/bcryptjs\// },
  { name: 'cockatiel', pattern: /(^|\/)node_modules\/cockatiel\// },
  { name: 'croner', pattern: /(^|\/)node_modules\/croner\// },
  { name: 'snowflake-sdk', pattern: /(^|\/)node_modules\/snowflake-sdk\// },
  // Server-only packages beyond the issue's list: secrets, sessions and exports never run in a browser.
  { name: '@upstash', pattern: /(^|\/)node_modules\/@upstash\// },
  { name: 'remix-auth', pattern: /(^|\/)node_modules\/remix-auth(-form)?\// },
  { name: 'csv-stringify', pattern: /(^|\/)node_modules\/csv-stringify\// },
  { name: 'service/', pattern: /^service\// },
];

/**
 * An app/core module is a data module when it imports the database or a server-only package
 * itself (drizzle, db/, @libsql, a .server module): such a module must never be in a browser chunk,
 * even when tree shaking left only a constant of it.
 */
export const dataModuleImports = /(^|\/)node_modules\/(drizzle-orm|@libsql)\/|^db\/|^empty-module:|\.server(\.[jt]sx?)?$/;
