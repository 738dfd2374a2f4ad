// The compiler empties every *.server module in the browser build, so a component that USES a value
// from one gets `undefined` at run time (after a server render that looked right) and neither the
// metafile nor TypeScript shows it. This bundles the browser half of each route (its browser-safe
// exports, like the compiler) unminified, with *.server and db/ modules left external, and lists
// the imported names from them that the browser code still refers to (decision 081).
import * as esbuild from 'esbuild';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';

// What the Remix classic compiler keeps in a route's browser module.
const BROWSER_EXPORTS = [
  'default',
  'ErrorBoundary',
  'HydrateFallback',
  'Layout',
  'clientAction',
  'clientLoader',
  'handle',
  'links',
  'meta',
  'shouldRevalidate',
];
const SERVER_ONLY = /\.server$|^db\//;

export async function serverValuesUsedInBrowser(root: string): Promise<string[]> {
  // Flat routes: each module in app/routes, and each folder's route module (its *.server.ts handlers never reach the browser).
  const routes = ['app/root.tsx'];
  for (const entry of readdirSync(path.join(root, 'app/routes'), { withFileTypes: true })) {
    if (!entry.isDirectory()) routes.push(`app/routes/${entry.name}`);
    else
      routes.push(
        ...readdirSync(path.join(root, 'app/routes', entry.name))
          .filter((f) => /^route\.tsx?$/.test(f))
          .map((f) => `app/routes/${entry.name}/${f}`),
      );
  }
  const problems: string[] = [];
  for (const route of routes) {
    const file = path.join(root, route);
    const source = readFileSync(file, 'utf8');
    const kept = BROWSER_EXPORTS.filter((name) =>
      (name === 'default' ? /^export default /m : new RegExp(`^export (async )?(function|const|let) ${name}\\b`, 'm')).test(source),
    );
    if (!kept.length) continue;
    const result = await esbuild.build({
      stdin: { contents: `export { ${kept.join(', ')} } from ${JSON.stringify(file)};`, resolveDir: root, loader: 'ts' },
      bundle: true,
      write: false,
      format: 'esm',
      platform: 'browser',
      treeShaking: true,
      logLevel: 'silent',
      jsx: 'automatic',
      loader: { '.css': 'empty' },
      plugins: [
        {
          name: 'server-only-external',
          setup(build) {
            build.onResolve({ filter: /.*/ }, (args) => {
              if (args.kind === 'entry-point' || path.isAbsolute(args.path)) return undefined;
              if (!args.path.startsWith('.')) return { path: args.path, external: true };
              const relative = path.relative(root, path.resolve(args.resolveDir, args.path));
              return SERVER_ONLY.test(relative) ? { path: relative, external: true } : undefined;
            });
          },
        },
      ],
    });
    const text = result.outputFiles[0].text;
    const body = text.replace(/^import\s+[^;]*;$/gm, '');
    for (const line of text.matchAll(/^import\s+\{([^}]*)\}\s+from\s+"([^"]+)";?$/gm)) {
      if (!SERVER_ONLY.test(line[2])) continue;
      for (const binding of line[1]
        .split(',')
        .map((part) => part.trim())
        .filter(Boolean)) {
        const local = binding.split(/\s+as\s+/).pop()!;
        if (new RegExp(`(^|[^\\w$.])${local.replace(/\$/g, '\\$')}([^\\w$]|$)`).test(body))
          problems.push(
            `route ${route}: the browser code uses ${binding} from ${line[2]} (undefined in the browser: move it out of the .server module or send it from the loader)`,
          );
      }
    }
  }
  return problems;
}
