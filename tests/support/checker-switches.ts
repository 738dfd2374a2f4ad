// Maker-checker switches (decision 101) in the test databases. Grants, territory (and, with the
// status work, reversals) are checked by default, which the demo shows. The suites built on these
// databases test the DIRECT paths (an admin's grant or territory change applies at once), so their
// databases switch checking OFF explicitly with shared rows (company_id null); a test of approvals
// switches it on with a company row, which overrides the shared one (settings.server.ts).
import type { Client } from '@libsql/client';

/** The switches that are on by default and would turn a direct-path test's change into a request. */
export const DIRECT_PATH_SWITCHES = ['checker_user_grants', 'checker_user_territory', 'checker_status_reversals'] as const;

export async function switchCheckingOff(client: Client): Promise<void> {
  for (const key of DIRECT_PATH_SWITCHES) {
    await client.execute({
      sql: `INSERT INTO config_settings (key, company_id, value, value_type, description)
            SELECT ?, NULL, 'false', 'boolean', 'Tests of the direct paths: checking off (tests/support/checker-switches.ts)'
            WHERE NOT EXISTS (SELECT 1 FROM config_settings WHERE key = ? AND company_id IS NULL)`,
      args: [key, key],
    });
  }
}

/** Switches one check on for one company: a company row overrides the shared "off" row. */
export async function switchOn(client: Client, key: string, companyId: number): Promise<void> {
  await client.execute({
    sql: "INSERT INTO config_settings (key, company_id, value, value_type) VALUES (?, ?, 'true', 'boolean')",
    args: [key, companyId],
  });
}
