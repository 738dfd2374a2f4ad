import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { ensureNodeBuild } from '../support/node-build';
import { budgets, loginRoutes } from './budgets';
import { browserBuildDirs, describeViolations, kb, readBrowserBuild } from './browser-bundle';
import { serverValuesUsedInBrowser } from './server-values';

// The line between server and browser code, and the field budget, read from the browser build's
// metafile (decision 081). Bytes are deterministic, so this is a test and not a bench.
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

describe.each(browserBuildDirs(root).map((dir) => [path.relative(root, dir), dir]))('browser build of %s', (_name, dir) => {
  let build: ReturnType<typeof readBrowserBuild>;
  beforeAll(() => {
    if (dir.endsWith('node')) ensureNodeBuild();
    build = readBrowserBuild(dir);
    const lines = build.routes
      .filter((r) => r.screen)
      .map((r) => `${r.route.padEnd(34)} first visit ${kb(r.firstVisit).padStart(9)}   later navigation ${kb(r.laterNavigation).padStart(8)}`);
    console.log(`JS + CSS gzip per screen (${path.relative(root, dir)}):\n${lines.join('\n')}`);
  }, 120_000);

  it('has no server-only module in any browser chunk', () => {
    const problems = describeViolations(build.violations);
    expect(problems.length, `server-only code in browser chunks:\n${problems.join('\n')}\n`).toBe(0);
  });

  it('loads no chunk that only stands in for a .server module (an empty request on a cold phone)', () => {
    const empty = build.emptyChunks.map((c) => `${c.chunk} (${c.stands.join(', ')}) loaded by ${c.routes.join(', ') || 'no route'}`);
    expect(empty.length, `empty chunks:\n${empty.join('\n')}\n`).toBe(0);
  });

  it('keeps every screen within its first-visit budget (JS + CSS, gzip; the HTML allowance is in budgets.ts)', () => {
    const over = build.routes
      .filter((r) => r.screen)
      .flatMap((r) => {
        const budget = loginRoutes.has(r.route) ? budgets.loginFirstVisit : budgets.signedInFirstVisit;
        return r.firstVisit > budget ? [`route ${r.route} (chunk ${r.chunk}): first visit ${kb(r.firstVisit)} > ${kb(budget)}`] : [];
      });
    expect(over.length, `${over.join('\n')}\n`).toBe(0);
  });

  it('keeps every later navigation within its budget (the route JS not loaded by entry and root, gzip)', () => {
    const over = build.routes
      .filter((r) => r.laterNavigation > budgets.laterNavigation)
      .map(
        (r) =>
          `route ${r.route}: later navigation ${kb(r.laterNavigation)} > ${kb(budgets.laterNavigation)}: ` +
          r.navigationChunks.map((c) => `${c.chunk} ${kb(c.gzip)}`).join(', '),
      );
    expect(over.length, `${over.join('\n')}\n`).toBe(0);
  });
});

describe('browser code and .server modules', () => {
  it('uses no value of a .server module (the browser build replaces them with empty modules)', async () => {
    const problems = await serverValuesUsedInBrowser(root);
    expect(problems.length, `${problems.join('\n')}\n`).toBe(0);
  }, 60_000);
});
