// vitest globalSetup: apply patches/ before any test file loads a patched dependency, so the suites
// run on the same code as the production build (decision 118: libSQL's statement cache).
import { applyPatches } from '../../scripts/apply-patches.mjs';

export default function setup() {
  applyPatches();
}
