// Builds the one Remix app for both hosts: Node (Express) and Cloudflare Workers.
import { execFileSync } from 'node:child_process';
import { cpSync, rmSync, mkdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import path from 'node:path';
import { applyPatches } from './apply-patches.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const remixCli = path.join(root, 'node_modules/@remix-run/dev/dist/cli.js');

function build(target) {
  const started = Date.now();
  execFileSync(process.execPath, [remixCli, 'build'], {
    cwd: root,
    stdio: 'inherit',
    env: { ...process.env, REMIX_TARGET: target, NODE_ENV: 'production' },
  });
  console.log(`[build] ${target} in ${Date.now() - started} ms`);
}

// patches/ holds a fix to the Remix compiler (decision 096: the browser build's empty stand-ins for
// `.server` modules are side-effect free, so an unused one is dropped instead of becoming its own
// empty chunk), libSQL's statement cache (decision 118), the router's match memo (decision 119), and the
// server render's route trees kept per build plus drizzle's is() kept per class (decision 122).
// The build fails if one no longer fits.
applyPatches();

const only = process.argv[2];
// Remove only the target being rebuilt: `build.mjs node` (npm start) must not delete build/worker.
for (const target of ['node', 'worker']) {
  if (!only || only === target) rmSync(path.join(root, 'build', target), { recursive: true, force: true });
}
if (!only || only === 'node') build('node');
if (!only || only === 'worker') {
  build('worker');
  // Workers serve static files from one directory (wrangler.toml [assets]): public/ plus the bundle's assets.
  mkdirSync(path.join(root, 'build/worker/public'), { recursive: true });
  cpSync(path.join(root, 'public'), path.join(root, 'build/worker/public'), { recursive: true });
}
