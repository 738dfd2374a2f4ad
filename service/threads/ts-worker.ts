// Starts a TypeScript module as a worker thread. The service runs its .ts sources through tsx
// (`node --import tsx`), but Node 20 does not apply the parent's --import hooks to a worker's own
// entry, so the worker first loads tsx's API and imports the module with tsImport. Works the same
// under vitest. A .js entry starts as it is.
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { Worker, type WorkerOptions } from 'node:worker_threads';

let tsxApiUrl: string | null = null;

/**
 * tsx's ESM API module (the "." export is its loader, dist/loader.mjs, beside dist/esm/api). tsx is pinned
 * in package.json; should a new version move it, the worker fails to start and the sync writes on its own
 * thread with a warning (batch-writer.ts), so an upgrade costs speed, not syncs.
 */
function tsxApi(): string {
  tsxApiUrl ??= pathToFileURL(join(dirname(createRequire(import.meta.url).resolve('tsx')), 'esm/api/index.mjs')).href;
  return tsxApiUrl;
}

export function startTsWorker(entry: URL, options: Omit<WorkerOptions, 'eval'> = {}): Worker {
  if (!entry.pathname.endsWith('.ts')) return new Worker(entry, options);
  const href = JSON.stringify(entry.href);
  const boot = `import(${JSON.stringify(tsxApi())}).then((tsx) => tsx.tsImport(${href}, ${href}))`;
  return new Worker(boot, { ...options, eval: true });
}
