// Decision 131: @remix-run/react's getPartialManifest (the route manifest a server-rendered page ships for
// lazy route discovery) keeps the route ids each URL's ancestor paths match, per routes array. A kept
// answer must equal matching afresh, for every path, and never answer for another routes array.
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { matchRoutes, type AgnosticDataRouteObject } from '@remix-run/router';
import { flatRoutes } from '@remix-run/dev/dist/config/flat-routes.js';
import { createRoutes } from '@remix-run/server-runtime/dist/routes.js';
import type { ServerRouteManifest } from '@remix-run/server-runtime/dist/routes.js';
import { describe, expect, it } from 'vitest';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const require = createRequire(import.meta.url);
type FogOfWar = { getPartialManifest: (manifest: unknown, router: unknown) => { routes: Record<string, unknown> } };
// Node's require loads the CommonJS file; the Workers bundle takes the ES module.
const modules: [string, FogOfWar][] = [
  ['fog-of-war.js', require(path.join(root, 'node_modules/@remix-run/react/dist/fog-of-war.js')) as FogOfWar],
  ['esm/fog-of-war.js', (await import(pathToFileURL(path.join(root, 'node_modules/@remix-run/react/dist/esm/fog-of-war.js')).href)) as FogOfWar],
];

function realTree(): AgnosticDataRouteObject[] {
  const routes = flatRoutes(path.join(root, 'app'), ['**/.*', '**/*.test.*']);
  const manifest = { root: { id: 'root', path: '', file: 'root.tsx' }, ...routes } as unknown as ServerRouteManifest;
  return createRoutes(manifest) as unknown as AgnosticDataRouteObject[];
}

/** A manifest naming every route of the tree, and the static router's state for one URL. */
function setup(routes: AgnosticDataRouteObject[], pathname: string) {
  const ids: string[] = [];
  const walk = (rs: AgnosticDataRouteObject[]) => rs.forEach((r) => (ids.push(r.id), r.children && walk(r.children)));
  walk(routes);
  const manifest = { url: '/m.js', routes: Object.fromEntries(ids.map((id) => [id, { id, module: `/${id}.js` }])) };
  const router = { routes, basename: '/', state: { location: { pathname }, matches: matchRoutes(routes, pathname) ?? [] } };
  return { manifest, router };
}

/** The unpatched answer: every ancestor path matched afresh. */
function expectedIds(routes: AgnosticDataRouteObject[], pathname: string): string[] {
  const ids = new Set((matchRoutes(routes, pathname) ?? []).map((m) => m.route.id));
  const segments = pathname.split('/').filter(Boolean);
  segments.pop();
  const paths = ['/'];
  while (segments.length) {
    paths.push(`/${segments.join('/')}`);
    segments.pop();
  }
  for (const p of paths) for (const m of matchRoutes(routes, p) ?? []) ids.add(m.route.id);
  return [...ids].sort();
}

const PATHS = ['/', '/admin/sync', '/admin/users/4', '/admin/config/products/5', '/clients/123', '/workspace/fcash', '/no/such/page', '/areas/1'];

describe.each(modules)('%s getPartialManifest', (_name, fog) => {
  it('ships the same routes as matching every ancestor path afresh, asked once or many times', () => {
    const routes = realTree();
    for (let round = 0; round < 3; round++) {
      for (const pathname of PATHS) {
        const { manifest, router } = setup(routes, pathname);
        expect(Object.keys(fog.getPartialManifest(manifest, router).routes).sort(), pathname).toEqual(expectedIds(routes, pathname));
      }
    }
  });

  it('answers a new routes array from its own routes, not from another tree kept for the same path', () => {
    const full = realTree();
    const { manifest, router } = setup(full, '/admin/users/4');
    fog.getPartialManifest(manifest, router);
    // The same tree without the admin screens: /admin/... falls to the splat route there.
    const onlyRoot = full.map((r) => ({ ...r, children: r.children?.filter((c) => !String(c.id).startsWith('routes/admin')) })) as AgnosticDataRouteObject[];
    const other = setup(onlyRoot, '/admin/users/4');
    expect(Object.keys(fog.getPartialManifest(other.manifest, other.router).routes).sort()).toEqual(expectedIds(onlyRoot, '/admin/users/4'));
  });

  it('stays right past its bound of kept paths', () => {
    const routes = realTree();
    for (let i = 0; i < 1100; i++) {
      const pathname = `/admin/config/t${i}/1`;
      const { manifest, router } = setup(routes, pathname);
      expect(Object.keys(fog.getPartialManifest(manifest, router).routes).sort()).toEqual(expectedIds(routes, pathname));
    }
    const { manifest, router } = setup(routes, '/admin/sync');
    expect(Object.keys(fog.getPartialManifest(manifest, router).routes).sort()).toEqual(expectedIds(routes, '/admin/sync'));
  });
});
