// Seeding entry points: reference data (every environment) and the demo dataset (never production).
import type { Client } from '@libsql/client';
import { seedClients, type SeedClientsResult } from './clients';
import { seedDemoOrg } from './demo-org';
import { seedDemoUsers } from './demo-users';
import { lookupStatements } from './lookups';
import { manilaDate, manilaMidnightMs } from './periods';
import { permissionStatements } from './permissions';
import { roleTemplateStatements } from './role-templates';
import { settingsStatements } from './settings';
import { runBatch } from './sql-batch';

export { DEMO_PASSWORD, DEMO_USERS, DEMO_TELE_BRANCH_CODES } from './demo-users';
export { DEMO_AREAS, demoBranches } from './demo-org';

export interface SeedOptions {
  clients?: number; // default 20,000
  seed?: number | string; // default 42
  today?: string; // Manila date YYYY-MM-DD; default: today in Manila
  demoUsers?: boolean; // default true
  periods?: number; // periods of history per client; default 6 (db/seed/clients.ts)
  onProgress?: (done: number, total: number) => void;
}

export interface SeedSummary {
  skipped: boolean;
  today: string;
  counts: { areas: number; branches: number; branchContacts: number; users: number } & SeedClientsResult;
  timingsMs: { reference: number; org: number; users: number; clients: number; total: number };
}

/** Lookups, permissions, role templates, settings and schedules. Idempotent; never creates users. */
export async function seedReferenceData(client: Client): Promise<void> {
  await runBatch(client, [...lookupStatements(), ...permissionStatements(), ...roleTemplateStatements(), ...settingsStatements()]);
}

/** True once the database holds territory, clients or users: demo data must never be mixed into it. */
export async function isSeeded(client: Client): Promise<boolean> {
  const result = await client.execute('SELECT EXISTS(SELECT 1 FROM branches) OR EXISTS(SELECT 1 FROM clients) OR EXISTS(SELECT 1 FROM users) AS seeded');
  return Number(result.rows[0].seeded) === 1;
}

export function assertNotProduction(): void {
  if (process.env.NODE_ENV === 'production') {
    throw new Error('Refusing to seed demo users/data with NODE_ENV=production (seedReferenceData is the production seed)');
  }
}

/** Reference data + demo org + demo users + synthetic clients. Skips (does nothing) if already seeded. */
export async function seedDatabase(client: Client, options: SeedOptions = {}): Promise<SeedSummary> {
  assertNotProduction(); // before any write
  const { clients = 20_000, seed = 42, demoUsers = true } = options;
  if (!Number.isInteger(clients) || clients < 0) throw new Error(`clients must be a non-negative integer, got ${clients}`);
  const today = options.today ?? manilaDate(new Date());
  // A fixed --today means a reproducible dataset: "now" is 5 PM Manila that day.
  const nowMs = options.today ? manilaMidnightMs(today) + 17 * 3_600_000 : Date.now();
  const summary: SeedSummary = {
    skipped: false,
    today,
    counts: { areas: 0, branches: 0, branchContacts: 0, users: 0, clients: 0, periodRows: 0, events: 0 },
    timingsMs: { reference: 0, org: 0, users: 0, clients: 0, total: 0 },
  };
  const started = performance.now();
  const timed = async <T>(key: keyof SeedSummary['timingsMs'], work: () => Promise<T>): Promise<T> => {
    const t = performance.now();
    const value = await work();
    summary.timingsMs[key] = Math.round(performance.now() - t);
    return value;
  };

  if (await isSeeded(client)) {
    await seedReferenceData(client); // still picks up new lookup codes
    return { ...summary, skipped: true };
  }
  await timed('reference', () => seedReferenceData(client));
  const org = await timed('org', () => seedDemoOrg(client));
  Object.assign(summary.counts, { areas: org.areas, branches: org.branches, branchContacts: org.contacts });
  if (demoUsers) summary.counts.users = (await timed('users', () => seedDemoUsers(client))).users;
  const generated = await timed('clients', () =>
    seedClients(client, { clients, seed, today, nowMs, periods: options.periods, onProgress: options.onProgress }),
  );
  Object.assign(summary.counts, generated);
  // Table statistics for the query planner: without them SQLite guesses that a company narrows clients
  // as well as a branch does, and a tele agent's workspace counts walk the whole company (bench/RESULTS.md).
  // (sqld refuses ANALYZE over HTTP; there the server's own maintenance keeps the statistics.)
  if (client.protocol === 'file') await client.execute('ANALYZE');
  summary.timingsMs.total = Math.round(performance.now() - started);
  return summary;
}
