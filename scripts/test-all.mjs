// `npm test`: every suite, in order of cost, stopping at the first that fails:
// system packages → lint + format check → typecheck → unit + integration → build → bundle → e2e
// (Playwright) → edge (wrangler dev). ESLint and Prettier both run before the run stops, so one look shows both.
// Prints one closing line "tests: N passed, N failed" summed over the suites.
import { spawnSync } from 'node:child_process';
import { readFileSync, rmSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { ensureSystemDeps } from './ensure-system-deps.mjs';
import { applyPatches } from './apply-patches.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const out = path.join(root, '.tmp/test-results');
rmSync(out, { recursive: true, force: true });
mkdirSync(out, { recursive: true });
const bin = (name) => path.join(root, 'node_modules/.bin', name);

let passed = 0;
let failed = 0;

function run(label, cmd, args, env = {}) {
  console.log(`\n=== ${label} ===`);
  const started = Date.now();
  const r = spawnSync(cmd, args, { cwd: root, stdio: 'inherit', env: { ...process.env, ...env } });
  console.log(`=== ${label}: ${r.status === 0 ? 'ok' : 'FAILED'} in ${Math.round((Date.now() - started) / 1000)} s ===`);
  return r.status === 0;
}

function countVitest(file) {
  try {
    const report = JSON.parse(readFileSync(file, 'utf8'));
    passed += report.numPassedTests ?? 0;
    failed += report.numFailedTests ?? 0;
  } catch {}
}

function countPlaywright(file) {
  try {
    const report = JSON.parse(readFileSync(file, 'utf8'));
    passed += report.stats?.expected ?? 0;
    failed += (report.stats?.unexpected ?? 0) + (report.stats?.flaky ?? 0);
  } catch {}
}

function finish(ok) {
  console.log(`\ntests: ${passed} passed, ${failed} failed`);
  process.exit(ok && failed === 0 ? 0 : 1);
}

const only = process.argv[2]; // optional: unit | bundle | e2e | edge
ensureSystemDeps();
if (!only) {
  // The same commands as `npm run lint` and `npm run format:check` (decision 083).
  const lint = run('lint (ESLint)', bin('eslint'), ['--cache', '--cache-location', 'node_modules/.cache/eslint/', '.']);
  const format = run('format check (Prettier)', bin('prettier'), ['--check', '--cache', '--log-level', 'warn', '.']);
  if (!lint || !format) finish(false);
}
if (!only && !run('typecheck', bin('tsc'), ['--noEmit'])) finish(false);

if (!only || only === 'unit') {
  // The suites run on the same patched dependencies as production (decision 118).
  applyPatches();
  const file = path.join(out, 'vitest.json');
  const ok = run('unit + integration', bin('vitest'), [
    'run',
    '--project',
    'unit',
    '--project',
    'integration',
    '--project',
    'service',
    '--reporter=default',
    '--reporter=json',
    `--outputFile.json=${file}`,
  ]);
  countVitest(file);
  if (!ok) finish(false);
}
if (!only || only === 'e2e' || only === 'edge' || only === 'bundle') {
  if (!run('build (node + worker)', process.execPath, [path.join(root, 'scripts/build.mjs')])) finish(false);
}
if (!only || only === 'bundle') {
  // The browser build just made: no server-only module in a browser chunk, every route within budget (decision 081).
  const file = path.join(out, 'vitest-bundle.json');
  const ok = run('bundle (browser build: server line and budgets)', bin('vitest'), [
    'run',
    '--project',
    'bundle',
    '--reporter=default',
    '--reporter=json',
    `--outputFile.json=${file}`,
  ]);
  countVitest(file);
  if (!ok) finish(false);
}
if (!only || only === 'e2e') {
  const file = path.join(out, 'playwright.json');
  const ok = run('e2e (Playwright, Debian chromium)', bin('playwright'), ['test'], {
    PLAYWRIGHT_JSON_OUTPUT_NAME: file,
  });
  countPlaywright(file);
  if (!ok) finish(false);
}
if (!only || only === 'edge') {
  const file = path.join(out, 'vitest-edge.json');
  const ok = run('edge (Workers build under wrangler dev)', bin('vitest'), [
    'run',
    '--project',
    'edge',
    '--reporter=default',
    '--reporter=json',
    `--outputFile.json=${file}`,
  ]);
  countVitest(file);
  if (!ok) finish(false);
}
finish(true);
