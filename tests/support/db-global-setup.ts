// vitest globalSetup: build the seeded base database once per run and hand its path to the workers.
import { rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { TestProject } from 'vitest/node';
import { buildBaseDatabase, newTestDir } from './db-base';

declare module 'vitest' {
  export interface ProvidedContext {
    testDbBasePath: string;
    testDbRunDir: string; // copies go here, so teardown removes them even if a test forgot close()
  }
}

export default async function setup(project: TestProject) {
  const started = performance.now();
  const base = await buildBaseDatabase(join(newTestDir('base'), 'base.db'));
  project.provide('testDbBasePath', base);
  project.provide('testDbRunDir', dirname(base));
  console.log(`test db base built in ${Math.round(performance.now() - started)} ms`);
  return () => rmSync(dirname(base), { recursive: true, force: true });
}
