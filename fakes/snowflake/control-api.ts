// /__fake/* on the Snowflake fake, for callers in another process (npm start demos, the bench,
// Playwright): read counters, change the warehouse, arm failure switches. Loopback only, like the fake.
//   GET  /__fake/state                     → { rows, latestUpdatedAt, counters, fired, loginQueryTags, queryTags }
//   POST /__fake/mutate  { percent | count, fields, at? }  → { changes }
//   POST /__fake/corrupt { count, kinds, at? }             → { rows }
//   POST /__fake/add     { count, at? }  POST /__fake/remove { clientCodes }
//   POST /__fake/fail    <FailureSwitch>  POST /__fake/clear
import type { ServerResponse } from 'node:http';
import { z } from 'zod';
import type { SnowflakeFake } from './server';
import { CORRUPTIONS, MUTABLE_FIELDS } from './warehouse';

const at = z.iso
  .datetime()
  .optional()
  .transform((v) => (v ? new Date(v) : undefined));
const target = z.enum(['login', 'query', 'chunk']);
const times = z.number().int().positive().optional();

const schemas = {
  mutate: z.object({
    percent: z.number().min(0).max(100).optional(),
    count: z.number().int().min(0).optional(),
    fields: z.array(z.enum(MUTABLE_FIELDS)).min(1),
    at,
  }),
  corrupt: z.object({ count: z.number().int().min(1), kinds: z.array(z.enum(CORRUPTIONS)).min(1), at }),
  add: z.object({ count: z.number().int().min(1).max(1_000_000), at }),
  remove: z.object({ clientCodes: z.array(z.string().min(1)).min(1) }),
  fail: z.discriminatedUnion('kind', [
    z.object({ kind: z.literal('login_error'), times }),
    z.object({ kind: z.literal('status'), target, status: z.number().int().min(400).max(599).optional(), times }),
    z.object({ kind: z.literal('hang'), target, times }),
    z.object({ kind: z.literal('drop'), target, afterRows: z.number().int().min(0).optional(), times }),
  ]),
};

function reply(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify(body));
}

export function handleControl(fake: SnowflakeFake, path: string, method: string, raw: Buffer, res: ServerResponse): void {
  const action = path.slice('/__fake/'.length);
  if (method === 'GET' && action === 'state') {
    return reply(res, 200, {
      rows: fake.warehouse.size,
      latestUpdatedAt: new Date(fake.warehouse.latestUpdatedMs).toISOString(),
      counters: fake.counters,
      fired: fake.failures.fired,
      // What the last sessions and statements were tagged with (the caller's traceparent, decision 094).
      loginQueryTags: fake.loginQueryTags,
      queryTags: fake.statements.map((s) => s.queryTag),
    });
  }
  if (method === 'POST' && action === 'clear') {
    fake.clearFailures();
    return reply(res, 200, { ok: true });
  }
  if (method !== 'POST' || !(action in schemas)) return reply(res, 404, { error: `no control ${method} ${path}` });
  let input: unknown;
  try {
    input = JSON.parse(raw.toString('utf8') || '{}');
  } catch {
    return reply(res, 400, { error: 'body is not JSON' });
  }
  const parsed = schemas[action as keyof typeof schemas].safeParse(input);
  if (!parsed.success) return reply(res, 400, { error: parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ') });
  try {
    const data = parsed.data;
    switch (action) {
      case 'mutate': {
        const changes = fake.warehouse.mutate(data as z.infer<typeof schemas.mutate>);
        return reply(res, 200, { changes: changes.length, sample: changes.slice(0, 50) });
      }
      case 'corrupt':
        return reply(res, 200, { rows: fake.warehouse.corrupt(data as z.infer<typeof schemas.corrupt>) });
      case 'add': {
        const input = data as z.infer<typeof schemas.add>;
        return reply(res, 200, { clientCodes: fake.warehouse.addRows(input.count, input.at) });
      }
      case 'remove':
        fake.warehouse.removeRows((data as z.infer<typeof schemas.remove>).clientCodes);
        return reply(res, 200, { rows: fake.warehouse.size });
      case 'fail':
        fake.fail(data as z.infer<typeof schemas.fail>);
        return reply(res, 200, { ok: true });
    }
  } catch (error) {
    return reply(res, 400, { error: error instanceof Error ? error.message : String(error) });
  }
  reply(res, 404, { error: 'unknown control' });
}
