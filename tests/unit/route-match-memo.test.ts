// Decision 119: patches/@remix-run+router+1.23.3.patch keeps matchRoutes' flattened, ranked branches
// per routes array and compilePath's RegExp per (path, caseSensitive, end). Matching must answer exactly
// as before, for this app's real route tree (Remix's own flat-routes reading of app/routes, made into
// the tree server-runtime matches against). The memo must not answer for another tree, nor for a tree
// changed in place (lazy route discovery's patchRoutes pushes into existing children arrays).
// Patches are applied before tests run; without the patch only the first test fails.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import * as bare from '@remix-run/router';
import type { AgnosticRouteObject } from '@remix-run/router';
import { flatRoutes } from '@remix-run/dev/dist/config/flat-routes.js';
import { createRoutes } from '@remix-run/server-runtime/dist/routes.js';
import type { ServerRouteManifest } from '@remix-run/server-runtime/dist/routes.js';
import { describe, expect, it } from 'vitest';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const dist = path.join(root, 'node_modules/@remix-run/router/dist');
type Router = typeof bare;
// Node's require loads router.cjs.js; the Workers and browser bundles take `module`, router.js.
const cjs = createRequire(import.meta.url)(path.join(dist, 'router.cjs.js')) as Router;
const esm = (await import(pathToFileURL(path.join(dist, 'router.js')).href)) as Router;

/** The route manifest as `remix build` makes it (root.tsx plus app/routes, remix.config.js's ignored files). */
function realManifest(): ServerRouteManifest {
  const routes = flatRoutes(path.join(root, 'app'), ['**/.*', '**/*.test.*']);
  return { root: { id: 'root', path: '', file: 'root.tsx' }, ...routes } as unknown as ServerRouteManifest;
}
/** A new tree of new route objects, equal to every other one this returns. */
const realTree = (): AgnosticRouteObject[] => createRoutes(realManifest()) as unknown as AgnosticRouteObject[];

// What the unpatched router 1.23.3 answers for the real tree (route ids, then the last match's params).
const EXPECTED: [string, string[] | null, Record<string, string>?][] = [
  ['/', ['root', 'routes/_index'], {}],
  ['/login', ['root', 'routes/login'], {}],
  ['/admin/users', ['root', 'routes/admin.users._index'], {}],
  ['/admin/users/', ['root', 'routes/admin.users._index'], {}],
  ['/admin/users/7', ['root', 'routes/admin.users.$id'], { id: '7' }],
  ['/admin/users/new', ['root', 'routes/admin.users.new'], {}],
  ['/Admin/Users/7', ['root', 'routes/admin.users.$id'], { id: '7' }],
  ['/areas/1', ['root', 'routes/areas.$id'], { id: '1' }],
  ['/areas', ['root', 'routes/areas._index'], {}],
  ['/admin/config/clients/9', ['root', 'routes/admin.config.$table.$id'], { table: 'clients', id: '9' }],
  ['/admin/config/clients', ['root', 'routes/admin.config.$table._index'], { table: 'clients' }],
  ['/admin/config/clients/new', ['root', 'routes/admin.config.$table.new'], { table: 'clients' }],
  ['/status.json', ['root', 'routes/status[.]json'], {}],
  ['/admin/audit.csv', ['root', 'routes/admin.audit[.]csv'], {}],
  ['/reports/exports/3/download', ['root', 'routes/reports_.exports', 'routes/reports_.exports.$id.download'], { id: '3' }],
  ['/reports/exports', ['root', 'routes/reports_.exports'], {}],
  ['/admin/sync/5/progress', ['root', 'routes/admin.sync.$id', 'routes/admin.sync.$id.progress'], { id: '5' }],
  ['/workspace/acme', ['root', 'routes/workspace.$company'], { company: 'acme' }],
  ['/clients/%20x', ['root', 'routes/clients.$id'], { id: ' x' }],
  ['/no/such/page', ['root', 'routes/$'], { '*': 'no/such/page' }],
];

type Matches = ReturnType<Router['matchRoutes']>;
/** A match list as plain data: ids, params and pathnames (route objects compared separately). */
const plain = (matches: Matches) =>
  matches && matches.map((m) => ({ id: m.route.id, params: { ...m.params }, pathname: m.pathname, pathnameBase: m.pathnameBase }));

it('the router Node and the bundles load is the patched one', () => {
  for (const file of ['router.cjs.js', 'router.js']) {
    const source = readFileSync(path.join(dist, file), 'utf8');
    expect(source, file).toContain('decision 119');
    expect(source, file).toContain('let branches = rankedBranches(routes);');
  }
});

describe.each([
  ['@remix-run/router', bare],
  ['router.cjs.js (Node)', cjs],
  ['router.js (Workers, browser)', esm],
])('route matching memo: %s', (_name, router) => {
  it('answers as the unpatched router for real paths, and the same when asked again', () => {
    const tree = realTree();
    for (const [pathname, ids, params] of EXPECTED) {
      const first = router.matchRoutes(tree, pathname);
      expect(first && first.map((m) => m.route.id), pathname).toEqual(ids);
      if (first) expect(first.at(-1)!.params, pathname).toEqual(params);
      const again = router.matchRoutes(tree, pathname);
      expect(plain(again), pathname).toEqual(plain(first));
      // The routes matched are this tree's own objects.
      again?.forEach((m, i) => expect(m.route).toBe(first![i].route));
      // A basename is stripped before the memo is consulted.
      expect(plain(router.matchRoutes(tree, `/base${pathname}`, '/base')), pathname).toEqual(plain(first));
    }
    expect(router.matchRoutes(tree, '/elsewhere', '/base')).toBeNull();
  });

  it('gives a rebuilt equal tree the same answers, with its own route objects', () => {
    const first = realTree();
    const rebuilt = realTree();
    for (const [pathname] of EXPECTED) {
      const a = router.matchRoutes(first, pathname);
      const b = router.matchRoutes(rebuilt, pathname);
      expect(plain(b), pathname).toEqual(plain(a));
      const rebuiltRoutes = new Set(allRoutes(rebuilt));
      b?.forEach((m) => expect(rebuiltRoutes.has(m.route), `${pathname} ${m.route.id}`).toBe(true));
    }
  });

  it('gives a different tree its own answer, and the first tree keeps its own', () => {
    const full = realTree();
    // The same app without the user page: /admin/users/7 falls to the splat route.
    const without = realTree();
    without[0].children = without[0].children!.filter((r) => r.id !== 'routes/admin.users.$id');
    expect(router.matchRoutes(full, '/admin/users/7')!.at(-1)!.route.id).toBe('routes/admin.users.$id');
    expect(router.matchRoutes(without, '/admin/users/7')!.at(-1)!.route.id).toBe('routes/$');
    expect(router.matchRoutes(full, '/admin/users/7')!.at(-1)!.route.id).toBe('routes/admin.users.$id');
  });

  it('sees a tree changed in place: a pushed child, a changed path, a flag, a replaced route', () => {
    const tree = realTree();
    const top = tree[0].children!;
    for (let i = 0; i < 2; i++) expect(router.matchRoutes(tree, '/admin/users/7/roles')!.at(-1)!.route.id).toBe('routes/$');
    top.push({ id: 'pushed', path: 'admin/users/:id/roles' });
    expect(router.matchRoutes(tree, '/admin/users/7/roles')!.at(-1)!.route.id).toBe('pushed');

    const login = top.find((r) => r.id === 'routes/login')!;
    login.path = 'sign-in';
    expect(router.matchRoutes(tree, '/login')!.at(-1)!.route.id).toBe('routes/$');
    expect(router.matchRoutes(tree, '/sign-in')!.at(-1)!.route.id).toBe('routes/login');

    login.caseSensitive = true;
    expect(router.matchRoutes(tree, '/Sign-In')!.at(-1)!.route.id).toBe('routes/$');
    login.caseSensitive = false;
    expect(router.matchRoutes(tree, '/Sign-In')!.at(-1)!.route.id).toBe('routes/login');

    const at = top.findIndex((r) => r.id === 'routes/areas.$id');
    top[at] = { id: 'areas-replaced', path: 'areas/:areaId' };
    const areas = router.matchRoutes(tree, '/areas/1')!;
    expect(areas.at(-1)!.route).toBe(top[at]);
    expect(areas.at(-1)!.params).toEqual({ areaId: '1' });
  });

  it("sees routes found by the router's patchRoutes (lazy route discovery) in the array it matched before", () => {
    // As the browser's routes: an index route has no children array (createRoutes gives it an empty one).
    const browserTree = (routes: AgnosticRouteObject[]): AgnosticRouteObject[] =>
      routes.map((r) => (r.index ? { ...r, children: undefined } : { ...r, children: r.children && browserTree(r.children) }) as AgnosticRouteObject);
    const created = router.createRouter({ routes: browserTree(realTree()), history: router.createMemoryHistory() });
    const before = created.routes;
    for (let i = 0; i < 2; i++) expect(router.matchRoutes(before, '/admin/reports/9')!.at(-1)!.route.id).toBe('routes/$');
    created.patchRoutes('root', [{ id: 'discovered', path: 'admin/reports/:id' }]);
    // patchRoutes pushes into root's children in place; only the top-level array gets a new identity.
    expect(router.matchRoutes(before, '/admin/reports/9')!.at(-1)!.route.id).toBe('discovered');
    expect(router.matchRoutes(created.routes, '/admin/reports/9')!.at(-1)!.route.id).toBe('discovered');
  });

  it('matchPath keeps case sensitivity, end and params apart per pattern', () => {
    for (let i = 0; i < 3; i++) {
      expect(router.matchPath({ path: '/Admin', caseSensitive: true, end: true }, '/admin')).toBeNull();
      expect(router.matchPath({ path: '/Admin', caseSensitive: false, end: true }, '/admin')?.pathname).toBe('/admin');
      expect(router.matchPath({ path: '/admin', end: false }, '/admin/users')?.pathnameBase).toBe('/admin');
      expect(router.matchPath({ path: '/admin', end: true }, '/admin/users')).toBeNull();
      expect(router.matchPath('/areas/:id', '/areas/4')?.params).toEqual({ id: '4' });
      expect(router.matchPath('/areas/:id', '/areas')).toBeNull();
      expect(router.matchPath('/files/*', '/files/a%2Fb/c')?.params).toEqual({ '*': 'a/b/c' });
      expect(router.matchPath('/opt/:id?', '/opt')?.params).toEqual({ id: undefined });
    }
  });
});

function allRoutes(routes: AgnosticRouteObject[]): AgnosticRouteObject[] {
  return routes.flatMap((r) => [r, ...allRoutes(r.children ?? [])]);
}
