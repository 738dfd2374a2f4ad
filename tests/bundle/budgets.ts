// The field budget (DESIGN.md "The field budget", issue 11) as numbers the bundle test holds.
// Every figure is gzip bytes of the browser build (build/node/public/build), read from the
// compiler's metafile (decision 081). This is the ONE place to change a budget or the forbidden list.

const KB = 1024;

/**
 * The page's HTML is not in the browser build: the bundle test budgets JS + CSS and keeps this
 * much of each first-visit budget for the HTML document (gzip). Measured by hand on the built Node
 * app with the demo data (issue 11): the heaviest list pages (/workspace/fcash, /clients, 100 rows)
 * send about 25 KB of HTML gzip, login about 2 KB. Lighthouse in the bench (issue 11, part 5)
 * reports the real transfer per screen; if a page's HTML outgrows its allowance, shrink the page
 * or lower the JS budget here, never raise the total.
 */
export const htmlAllowance = {
  signedIn: 30 * KB,
  public: 10 * KB,
};

/** Totals from issue 11: HTML + CSS + JS on a first visit (nothing cached), gzip. */
export const firstVisitTotal = {
  signedIn: 120 * KB,
  public: 90 * KB,
};

export const budgets = {
  /** JS + CSS of a signed-in screen on a first visit: entry, root, the route and every chunk they import. */
  signedInFirstVisit: firstVisitTotal.signedIn - htmlAllowance.signedIn,
  /** JS + CSS of a public screen (login, status) on a first visit. */
  publicFirstVisit: firstVisitTotal.public - htmlAllowance.public,
  /**
   * JS a later client-side navigation fetches: the route's chunk and the shared chunks it imports,
   * minus what entry.client and root already loaded (the loader's JSON is on top of this).
   */
  laterNavigation: 30 * KB,
};

/** Screens that are reached without signing in; every other screen is a signed-in one. */
export const publicRoutes = new Set(['routes/login', 'routes/status']);

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
  // Server-only packages beyond the list: secrets, sessions and exports never run in a browser.
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
