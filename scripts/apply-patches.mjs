// Applies patches/ to node_modules with patch-package (decisions 096 and 118). .npmrc skips install
// scripts, so nothing applies them at install: the build, `npm test` and vitest's global setup call
// this, so tests run on the same patched code as production. patch-package is idempotent (an applied
// patch is recognised and left alone); a patch that no longer fits throws with patch-package's output.
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

export function applyPatches() {
  const r = spawnSync(process.execPath, [path.join(root, 'node_modules/patch-package/index.js'), '--error-on-fail'], {
    cwd: root,
    encoding: 'utf8',
  });
  if (r.status !== 0) {
    throw new Error(`patch-package failed (exit ${r.status}): a patch in patches/ no longer fits\n${r.stdout}${r.stderr}`);
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  try {
    applyPatches();
    console.log('[patches] applied');
  } catch (e) {
    console.error(e instanceof Error ? e.message : e);
    process.exit(1);
  }
}
