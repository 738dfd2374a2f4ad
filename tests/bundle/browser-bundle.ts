// Reads the browser build's esbuild metafile (the Remix classic compiler writes it beside the server
// build: build/node/metafile.js.json) and answers, per route: which chunks the browser loads, how
// many gzip bytes they are, and which forbidden modules they hold with the import chain that pulled
// each one in (decision 081).
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { dataModuleImports, forbiddenModules, scriptlessRoutes } from './budgets';

type MetaImport = { path: string; kind: string; external?: boolean };
type Metafile = {
  inputs: Record<string, { bytes: number; imports: MetaImport[] }>;
  outputs: Record<string, { bytes: number; entryPoint?: string; exports?: string[]; imports: MetaImport[]; inputs: Record<string, { bytesInOutput: number }> }>;
};

export type Violation = { route: string; chunk: string; module: string; forbidden: string; chain: string[] };
export type RouteFigures = {
  route: string;
  /** The route's own chunk. */
  chunk: string;
  /** Is it a screen (has a default export) or a resource route? */
  screen: boolean;
  /** gzip bytes: entry + root + route and every chunk they import statically, plus the CSS. */
  firstVisit: number;
  /** gzip bytes of the JS a client-side navigation fetches: route chunks entry and root did not load. */
  laterNavigation: number;
  /** The chunks of a later navigation, largest first, for failure messages. */
  navigationChunks: { chunk: string; gzip: number }[];
};

const ROUTE_ENTRY = /^browser-route-module:(.+)\.[jt]sx?\?browser$/;

export function readBrowserBuild(buildDir: string) {
  const metafilePath = path.join(buildDir, 'metafile.js.json');
  if (!existsSync(metafilePath)) throw new Error(`${metafilePath} is missing: run \`node scripts/build.mjs node\``);
  const meta = JSON.parse(readFileSync(metafilePath, 'utf8')) as Metafile;
  const root = path.resolve(buildDir, '../..'); // metafile paths are relative to the project root
  const outputs = Object.fromEntries(Object.entries(meta.outputs).filter(([file]) => !file.endsWith('.map')));

  const gzipCache = new Map<string, number>();
  const gzip = (file: string) => {
    let size = gzipCache.get(file);
    if (size === undefined) {
      size = gzipSync(readFileSync(path.join(root, file))).length;
      gzipCache.set(file, size);
    }
    return size;
  };
  const short = (file: string) => path.relative(path.join(buildDir, 'public/build'), path.join(root, file));

  /** A chunk and every chunk it imports statically (what the browser loads before running it). */
  const closure = (start: string[]) => {
    const seen = new Set<string>();
    const todo = [...start];
    while (todo.length) {
      const file = todo.pop()!;
      if (seen.has(file) || !outputs[file]) continue;
      seen.add(file);
      for (const imported of outputs[file].imports) if (imported.kind === 'import-statement') todo.push(imported.path);
    }
    return seen;
  };
  /** CSS files the chunks reference (the root's stylesheet link). */
  const css = (chunks: Set<string>) => {
    const files = new Set<string>();
    for (const chunk of chunks)
      for (const imported of outputs[chunk].imports) if (imported.path.endsWith('.css') && existsSync(path.join(root, imported.path))) files.add(imported.path);
    return files;
  };

  const routeChunks = new Map<string, string>();
  let entryChunk: string | undefined;
  for (const [file, output] of Object.entries(outputs)) {
    const match = output.entryPoint && ROUTE_ENTRY.exec(output.entryPoint);
    if (match) routeChunks.set(match[1], file);
    else if (output.entryPoint?.endsWith('entry.client.tsx')) entryChunk = file;
  }
  const rootChunk = routeChunks.get('root');
  if (!entryChunk || !rootChunk) throw new Error(`${metafilePath}: no entry.client or root chunk`);
  const alwaysLoaded = closure([entryChunk, rootChunk]);

  /** Shortest import chain from the route's entry to a module: over modules this route ships, else over every import. */
  const chainTo = (routeEntry: string, target: string, shipped: Set<string>) => {
    const search = (allowed: (module: string) => boolean) => {
      const previous = new Map<string, string | null>([[routeEntry, null]]);
      const queue = [routeEntry];
      while (queue.length && !previous.has(target)) {
        const current = queue.shift()!;
        for (const imported of meta.inputs[current]?.imports ?? []) {
          if (previous.has(imported.path) || !allowed(imported.path)) continue;
          previous.set(imported.path, current);
          queue.push(imported.path);
        }
      }
      if (!previous.has(target)) return null;
      const chain: string[] = [];
      for (let at: string | null = target; at !== null; at = previous.get(at) ?? null) chain.unshift(at);
      return chain.slice(1); // drop the virtual browser-route-module entry: the chain starts at app/routes/…
    };
    return search((module) => shipped.has(module)) ?? search(() => true) ?? [target];
  };

  const forbiddenName = (module: string) => {
    const hit = forbiddenModules.find((rule) => rule.pattern.test(module));
    if (hit) return hit.name;
    if (module.startsWith('app/core/') && meta.inputs[module]?.imports.some((imported) => dataModuleImports.test(imported.path))) return 'app/core data module';
    return null;
  };

  const routes: RouteFigures[] = [];
  const violations: Violation[] = [];
  for (const [route, chunk] of [...routeChunks].sort(([a], [b]) => a.localeCompare(b))) {
    const loaded = closure([entryChunk, rootChunk, chunk]);
    const navigation = [...closure([chunk])].filter((file) => !alwaysLoaded.has(file));
    const navigationChunks = navigation.map((file) => ({ chunk: short(file), gzip: gzip(file) })).sort((a, b) => b.gzip - a.gzip);
    routes.push({
      route,
      chunk: short(chunk),
      screen: outputs[chunk].exports?.includes('default') ?? false,
      firstVisit: (scriptlessRoutes.has(route) ? [...css(loaded)] : [...loaded, ...css(loaded)]).reduce((sum, file) => sum + gzip(file), 0),
      laterNavigation: navigationChunks.reduce((sum, file) => sum + file.gzip, 0),
      navigationChunks,
    });

    const shipped = new Set<string>();
    for (const file of loaded) for (const input of Object.keys(outputs[file].inputs)) shipped.add(input);
    const routeEntry = outputs[chunk].entryPoint!;
    for (const file of loaded)
      for (const [module, { bytesInOutput }] of Object.entries(outputs[file].inputs)) {
        const forbidden = bytesInOutput > 0 || module.startsWith('app/core/') ? forbiddenName(module) : null;
        if (forbidden) violations.push({ route, chunk: short(file), module, forbidden, chain: chainTo(routeEntry, module, shipped) });
      }
  }
  // A chunk made only of the empty stand-ins for `.server` modules costs a cold phone one request for
  // nothing (decision 096): each one the browser would load is listed with the routes that load it.
  const emptyChunks = Object.entries(outputs)
    .filter(([file, output]) => {
      const inputs = Object.keys(output.inputs);
      return file.endsWith('.js') && !output.entryPoint && inputs.length > 0 && inputs.every((input) => input.startsWith('empty-module:'));
    })
    .map(([file, output]) => ({
      chunk: short(file),
      stands: Object.keys(output.inputs).map((input) => input.replace(/^empty-module:/, '')),
      routes: routes.filter((r) => closure([routeChunks.get(r.route)!]).has(file)).map((r) => r.route),
    }));
  return { routes, violations, emptyChunks };
}

/**
 * The browser build to check: build/node. The worker target compiles the browser assets with the
 * same options (remix.config.js differs only in server options), and build/worker may be older.
 */
export function browserBuildDirs(root: string) {
  return [path.join(root, 'build', 'node')];
}

export const kb = (bytes: number) => `${(bytes / 1024).toFixed(1)} KB`;

/**
 * One line per route and forbidden package: the chunks that hold it and the shortest import chain
 * that pulled it in (app modules, then the first package module).
 */
export function describeViolations(violations: Violation[]) {
  const groups = new Map<string, { route: string; forbidden: string; chunks: Set<string>; modules: Set<string>; chain: string[] }>();
  for (const v of violations) {
    const key = `${v.route}|${v.forbidden}`;
    const group = groups.get(key) ?? { route: v.route, forbidden: v.forbidden, chunks: new Set(), modules: new Set(), chain: v.chain };
    group.chunks.add(v.chunk);
    group.modules.add(v.module);
    if (v.chain.length < group.chain.length || group.chain.length < 2) group.chain = v.chain.length > 1 ? v.chain : group.chain;
    groups.set(key, group);
  }
  return [...groups.values()].map(({ route, forbidden, chunks, modules, chain }) => {
    const firstPackage = chain.findIndex((step) => step.includes('node_modules/'));
    const shown = (firstPackage < 0 ? chain : chain.slice(0, firstPackage + 1)).map((step) => step.replace(/^.*node_modules\//, ''));
    return `route ${route}: ${forbidden} (${modules.size} module${modules.size > 1 ? 's' : ''}) in ${[...chunks].join(', ')} via ${shown.join(' → ')}`;
  });
}
