// Decision 122: three patches keep what a server render rebuilt from the build on every request.
// - server-runtime's createEntryRouteModules: one route-modules object per build's routes;
// - react-router-dom's createStaticRouter: one set of data routes per routes array (which also lets the
//   match memo of decision 119 hit), with each request's matches mapped onto them;
// - @remix-run/react's RemixServer: one server route tree per manifest (covered by every page test).
// A kept object must answer only for its own input, and each request's state must stay its own.
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { createStaticHandler, type AgnosticDataRouteObject, type StaticHandlerContext } from '@remix-run/router';
import { flatRoutes } from '@remix-run/dev/dist/config/flat-routes.js';
import { createRoutes } from '@remix-run/server-runtime/dist/routes.js';
import type { ServerRouteManifest } from '@remix-run/server-runtime/dist/routes.js';
import { describe, expect, it } from 'vitest';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const require = createRequire(import.meta.url);
type StaticRouterModule = typeof import('react-router-dom/server');
type EntryModule = { createEntryRouteModules: (manifest: Record<string, { module: unknown }>) => Record<string, unknown> };
// Node's require loads the CommonJS files; the Workers bundle takes the ES modules.
const staticRouters: [string, StaticRouterModule][] = [
  ['server.js', require(path.join(root, 'node_modules/react-router-dom/server.js')) as StaticRouterModule],
  ['server.mjs', (await import(pathToFileURL(path.join(root, 'node_modules/react-router-dom/server.mjs')).href)) as StaticRouterModule],
];
const entries: [string, EntryModule][] = [
  ['entry.js', require(path.join(root, 'node_modules/@remix-run/server-runtime/dist/entry.js')) as EntryModule],
  ['esm/entry.js', (await import(pathToFileURL(path.join(root, 'node_modules/@remix-run/server-runtime/dist/esm/entry.js')).href)) as EntryModule],
];

function realTree(): AgnosticDataRouteObject[] {
  const routes = flatRoutes(path.join(root, 'app'), ['**/.*', '**/*.test.*']);
  const manifest = { root: { id: 'root', path: '', file: 'root.tsx' }, ...routes } as unknown as ServerRouteManifest;
  // As server-runtime's handler tree: a route without children has none (an index route may not).
  const clean = (rs: AgnosticDataRouteObject[]): AgnosticDataRouteObject[] =>
    rs.map(({ children, ...r }) => (children && children.length > 0 ? { ...r, children: clean(children) } : r) as AgnosticDataRouteObject);
  return clean(createRoutes(manifest) as unknown as AgnosticDataRouteObject[]);
}

async function contextFor(routes: AgnosticDataRouteObject[], pathname: string): Promise<StaticHandlerContext> {
  const result = await createStaticHandler(routes).query(new Request(`http://127.0.0.1${pathname}`));
  if (result instanceof Response) throw new Error(`unexpected response for ${pathname}`);
  return result;
}

function byId(routes: readonly { id: string; children?: unknown }[], id: string): unknown {
  for (const r of routes) {
    if (r.id === id) return r;
    const inChild = r.children ? byId(r.children as { id: string }[], id) : undefined;
    if (inChild) return inChild;
  }
  return undefined;
}

describe.each(staticRouters)('createStaticRouter (%s) keeps the data routes per routes array', (_file, { createStaticRouter }) => {
  it('maps each request onto the same data routes, with that request own matches', async () => {
    const routes = realTree();
    const user = createStaticRouter(routes, await contextFor(routes, '/admin/users/7'));
    const area = createStaticRouter(routes, await contextFor(routes, '/areas/1'));
    expect(area.routes).toBe(user.routes);
    expect(user.state.matches.map((m) => m.route.id)).toEqual(['root', 'routes/admin.users.$id']);
    expect(user.state.matches[1].params).toEqual({ id: '7' });
    expect(area.state.matches.map((m) => m.route.id)).toEqual(['root', 'routes/areas.$id']);
    expect(area.state.matches[1].params).toEqual({ id: '1' });
    // Each match points into the kept data routes, not into the handler's routes.
    for (const m of [...user.state.matches, ...area.state.matches]) expect(m.route).toBe(byId(user.routes, m.route.id));
    expect(user.state.location.pathname).toBe('/admin/users/7');
    expect(area.state.location.pathname).toBe('/areas/1');
  });

  it('converts another routes array on its own', async () => {
    const first = realTree();
    const second = realTree();
    const a = createStaticRouter(first, await contextFor(first, '/clients'));
    const b = createStaticRouter(second, await contextFor(second, '/clients'));
    expect(b.routes).not.toBe(a.routes);
    expect(b.state.matches.map((m) => m.route.id)).toEqual(a.state.matches.map((m) => m.route.id));
    expect(b.state.matches[1].route).toBe(byId(b.routes, 'routes/clients._index'));
  });
});

describe.each(entries)('createEntryRouteModules (%s) keeps one object per build', (_file, { createEntryRouteModules }) => {
  it('answers the same modules object for the same build routes, and its own for another build', () => {
    const moduleA = { default: () => null };
    const moduleB = { default: () => null };
    const build = { root: { module: moduleA }, 'routes/login': { module: moduleB } };
    const first = createEntryRouteModules(build);
    expect(createEntryRouteModules(build)).toBe(first);
    expect(first).toEqual({ root: moduleA, 'routes/login': moduleB });
    const rebuilt = { root: { module: moduleB } };
    const other = createEntryRouteModules(rebuilt);
    expect(other).not.toBe(first);
    expect(other).toEqual({ root: moduleB });
  });
});
