// The layer rules of DESIGN.md ("Layers") live in eslint.config.js (decision 083). These cases run
// the repository's real config through ESLint's Node API on fixture strings placed (virtually) in
// each folder: an upward import fails with the rule's name and message, a downward one passes.
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { ESLint } from 'eslint';
import { beforeAll, describe, expect, it } from 'vitest';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const RULE = '@typescript-eslint/no-restricted-imports';
let eslint: ESLint;

beforeAll(async () => {
  eslint = new ESLint({ cwd: root });
  // The first lint loads the config and the TypeScript parser (a few seconds on a busy machine).
  await eslint.lintText('export {};\n', { filePath: path.join(root, 'app/core/warm-up.ts') });
}, 60_000);

async function lint(filePath: string, code: string) {
  const [result] = await eslint.lintText(code, { filePath: path.join(root, filePath) });
  return result.messages;
}

async function layerErrors(filePath: string, code: string) {
  const messages = await lint(filePath, code);
  return messages.filter((m) => m.ruleId === RULE).map((m) => ({ line: m.line, message: m.message }));
}

describe('layer rule: upward imports fail', { timeout: 20_000 }, () => {
  it('app/core may not import app/web (the deliberate upward import)', async () => {
    const errors = await layerErrors(
      'app/core/x/fixture.ts',
      `import { requireStaff } from '../../web/require-staff.server';\nexport const gate = requireStaff;\n`,
    );
    expect(errors).toHaveLength(1);
    expect(errors[0].message).toContain("'../../web/require-staff.server' import is restricted");
    expect(errors[0].message).toContain('app/core never imports app/web, app/ui or app/routes');
  });

  it('app/core may not import app/ui or app/routes, relatively or through ~/', async () => {
    const errors = await layerErrors(
      'app/core/status/fixture.ts',
      [
        `import { formatDate } from '~/ui/format';`,
        `import type { loader } from '../../routes/clients.$id';`,
        `export const x = [formatDate, null as unknown as typeof loader];`,
      ].join('\n'),
    );
    expect(errors.map((e) => e.line)).toEqual([1, 2]);
  });

  it('app/core stays runtime-neutral: no node:*, no Node builtins, no Remix', async () => {
    const errors = await layerErrors(
      'app/core/access/fixture.ts',
      [
        `import { randomUUID } from 'node:crypto';`,
        `import { Buffer } from 'buffer';`,
        `import { json } from '@remix-run/node';`,
        `import { redirect } from '@remix-run/server-runtime';`,
        `export const x = [randomUUID, Buffer, json, redirect];`,
      ].join('\n'),
    );
    expect(errors.map((e) => e.line)).toEqual([1, 2, 3, 4]);
    expect(errors[0].message).toContain('no node:* or @remix-run/node');
    expect(errors[3].message).toContain('app/core is runtime-neutral: no Remix imports');
  });

  it('app/ui may not import db/, drizzle-orm, @libsql/*, bcryptjs or zod', async () => {
    const errors = await layerErrors(
      'app/ui/jobs/fixture.tsx',
      [
        `import { clients } from '../../../db/schema';`,
        `import { eq } from 'drizzle-orm';`,
        `import { createClient } from '@libsql/client/web';`,
        `import bcrypt from 'bcryptjs';`,
        `import { z } from 'zod';`,
        `export const x = [clients, eq, createClient, bcrypt, z];`,
      ].join('\n'),
    );
    expect(errors.map((e) => e.line)).toEqual([1, 2, 3, 4, 5]);
    expect(errors[0].message).toContain('app/ui never touches data access or validation');
  });

  it('app/ui may not import a *.server module by value, but may import its types', async () => {
    const errors = await layerErrors(
      'app/ui/jobs/fixture.tsx',
      [
        `import { listSyncRequests } from '../../core/jobs/sync-requests.server';`,
        `import type { SyncProgress } from '../../core/jobs/sync-requests.server';`,
        `export const x: [typeof listSyncRequests, SyncProgress | null] = [listSyncRequests, null];`,
      ].join('\n'),
    );
    expect(errors).toHaveLength(1);
    expect(errors[0].line).toBe(1);
    expect(errors[0].message).toContain('app/ui never imports a *.server module');
  });

  it('app/ui may not import app/web, app/routes or node:*', async () => {
    const errors = await layerErrors(
      'app/ui/fixture.tsx',
      [
        `import { safeRedirect } from '../web/safe-redirect';`,
        `import { loader } from '../routes/status';`,
        `import { readFileSync } from 'node:fs';`,
        `export const x = [safeRedirect, loader, readFileSync];`,
      ].join('\n'),
    );
    expect(errors.map((e) => e.line)).toEqual([1, 2, 3]);
  });

  it('nothing in app/ imports service/', async () => {
    for (const [file, spec] of [
      ['app/routes/fixture.tsx', '../../service/jobs/worker'],
      ['app/core/jobs/fixture.ts', '../../../service/jobs/worker'],
      ['app/ui/fixture.tsx', '../../service/jobs/worker'],
      ['app/entry.fixture.ts', '../service/jobs/worker'],
    ]) {
      const errors = await layerErrors(file, `import { worker } from '${spec}';\nexport const x = worker;\n`);
      expect(errors, file).toHaveLength(1);
      expect(errors[0].message, file).toContain('app/ never imports service/');
    }
  });

  it('app/platform is the bottom layer; app/web never imports ui or routes', async () => {
    expect(await layerErrors('app/platform/fixture.ts', `import { x } from '../core/access/access';\nexport const y = x;\n`)).toHaveLength(1);
    expect(await layerErrors('app/web/fixture.ts', `import { x } from '../ui/format';\nexport const y = x;\n`)).toHaveLength(1);
  });

  it('service/ may import app/core but not app/routes, app/ui or app/web', async () => {
    const errors = await layerErrors(
      'service/jobs/fixture.ts',
      [`import { x } from '../../app/core/jobs/queues';`, `import { y } from '../../app/routes/admin.jobs/route';`, `export const z = [x, y];`].join('\n'),
    );
    expect(errors.map((e) => e.line)).toEqual([2]);
    expect(errors[0].message).toContain('service/ imports app/core, app/platform and db/, never app/routes');
  });
});

describe('layer rule: downward imports pass', { timeout: 20_000 }, () => {
  it('core → platform, db, other core modules, drizzle, zod', async () => {
    const messages = await lint(
      'app/core/status/fixture.ts',
      [
        `import { eq } from 'drizzle-orm';`,
        `import { z } from 'zod';`,
        `import { clients } from '../../../db/schema';`,
        `import type { AppContext } from '../../platform/context';`,
        `import { decideStatusUpdate } from './workflow';`,
        `import { scopeOf } from '../access/scope';`,
        `export const x: unknown[] = [eq, z, clients, decideStatusUpdate, scopeOf, null as AppContext | null];`,
      ].join('\n'),
    );
    expect(messages).toEqual([]);
  });

  it('ui → browser-safe core modules, other ui, Remix React; routes → anything in app', async () => {
    expect(
      await lint(
        'app/ui/forms/fixture.tsx',
        [
          `import { useFetcher } from '@remix-run/react';`,
          `import { inputHints } from '../../core/config/form-fields';`,
          `import { formatDate } from '../format';`,
          `export const x = [useFetcher, inputHints, formatDate];`,
        ].join('\n'),
      ),
    ).toEqual([]);
    expect(
      await lint(
        'app/routes/fixture.tsx',
        [
          `import { json } from '@remix-run/server-runtime';`,
          `import { requireStaff } from '../web/require-staff.server';`,
          `import { listClients } from '../core/clients/list-clients';`,
          `import { Pager } from '../ui/pager';`,
          `export const x = [json, requireStaff, listClients, Pager];`,
        ].join('\n'),
      ),
    ).toEqual([]);
  });
});
