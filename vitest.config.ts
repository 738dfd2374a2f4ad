import { existsSync } from 'node:fs';
import { defineConfig } from 'vitest/config';

// Five suites (README "Commands"): unit (pure functions), integration (a real libSQL file per test,
// real redis-server behind the Upstash REST endpoint), service (the Node service against protocol fakes), bundle (the browser build's metafile),
// edge (the Workers build under wrangler dev).
const dbGlobalSetup = 'tests/support/db-global-setup.ts';
// patches/ applied first, so every suite that loads @libsql/client gets the patched one (decision 118).
const patchesGlobalSetup = 'tests/support/patches-global-setup.ts';

export default defineConfig({
  test: {
    projects: [
      {
        test: { name: 'unit', include: ['tests/unit/**/*.test.ts'], environment: 'node', globalSetup: [patchesGlobalSetup] },
      },
      {
        test: {
          name: 'integration',
          include: ['tests/integration/**/*.test.ts'],
          environment: 'node',
          globalSetup: [patchesGlobalSetup, ...(existsSync(dbGlobalSetup) ? [dbGlobalSetup] : [])],
          testTimeout: 30_000,
          hookTimeout: 120_000,
        },
      },
      {
        // The Node service against loopback fakes of Snowflake and NextBank (real snowflake-sdk, real HTTP).
        test: {
          name: 'service',
          include: ['tests/service/**/*.test.ts'],
          environment: 'node',
          globalSetup: [patchesGlobalSetup, ...(existsSync(dbGlobalSetup) ? [dbGlobalSetup] : [])],
          testTimeout: 120_000,
          hookTimeout: 240_000,
        },
      },
      {
        // The browser build's metafile: no server-only module in a browser chunk, every route within budget (decision 081).
        test: { name: 'bundle', include: ['tests/bundle/**/*.test.ts'], environment: 'node', hookTimeout: 120_000 },
      },
      {
        test: {
          name: 'edge',
          include: ['tests/edge/**/*.test.ts'],
          environment: 'node',
          testTimeout: 60_000,
          hookTimeout: 240_000,
          fileParallelism: false,
        },
      },
    ],
  },
});
