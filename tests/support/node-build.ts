// The Node host imports build/node: make sure it exists and is not older than the app it is built from,
// so a host test never passes or fails on yesterday's code.
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const nodeBuildEntry = path.join(root, 'build/node/index.js');

function newestMtime(target: string): number {
  const stat = statSync(target);
  if (!stat.isDirectory()) return stat.mtimeMs;
  let newest = 0;
  for (const entry of readdirSync(target)) newest = Math.max(newest, newestMtime(path.join(target, entry)));
  return newest;
}

/** Why the build must be (re)made, or null when it is current. */
export function nodeBuildProblem(): string | null {
  if (!existsSync(nodeBuildEntry)) return 'build/node/index.js is missing';
  const built = statSync(nodeBuildEntry).mtimeMs;
  const sources = Math.max(newestMtime(path.join(root, 'app')), newestMtime(path.join(root, 'remix.config.js')));
  return sources > built ? 'build/node is older than app/' : null;
}

/** Builds build/node (`node scripts/build.mjs node`) when it is missing or stale. */
export function ensureNodeBuild(): void {
  const problem = nodeBuildProblem();
  if (!problem) return;
  console.log(`${problem}: running scripts/build.mjs node`);
  execFileSync(process.execPath, [path.join(root, 'scripts/build.mjs'), 'node'], { cwd: root, stdio: 'inherit' });
}
