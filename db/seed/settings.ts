// Default settings, config option lists and cron schedules. Idempotent: admin edits are never overwritten.
import type { Client, InStatement } from '@libsql/client';
import type { SettingValueType } from '../schema/config';
import { runBatch } from './sql-batch';

interface SettingSeed {
  key: string;
  value: string | number | boolean;
  description: string;
  isPublic?: boolean;
}

export const SETTINGS: readonly SettingSeed[] = [
  { key: 'session_idle_minutes', value: 60, description: 'Session ends after this many minutes without a request' },
  { key: 'session_absolute_minutes', value: 720, description: 'Session ends this many minutes after login, whatever the activity' },
  { key: 'login_lockout_threshold', value: 5, description: 'Consecutive failed logins that lock an account' },
  { key: 'login_lockout_minutes', value: 15, description: 'How long a locked account stays locked' },
  { key: 'login_limit_per_username', value: 5, description: 'Login attempts per username per window' },
  { key: 'login_limit_per_ip', value: 30, description: 'Login attempts per IP per window (a branch shares one office IP)' },
  { key: 'login_limit_window_seconds', value: 300, description: 'Window of the login limits' },
  { key: 'password_min_length', value: 12, description: 'Minimum password length' },
  { key: 'password_max_length', value: 128, description: 'Maximum password length' },
  { key: 'temporary_password_hours', value: 72, description: 'A temporary password (new account, reset) works this many hours after it was issued' },
  { key: 'rate_reads_per_minute', value: 100, description: 'Reads per user per minute' },
  { key: 'rate_writes_per_minute', value: 30, description: 'Writes per user per minute' },
  { key: 'rate_exports_per_5_minutes', value: 5, description: 'Exports per user per 5 minutes' },
  { key: 'rate_sync_triggers_per_10_minutes', value: 2, description: 'Sync triggers per user per 10 minutes' },
  { key: 'rate_public_per_minute', value: 20, description: 'Public page requests per IP per minute' },
  { key: 'page_size_max', value: 100, description: 'Largest page of rows a list returns' },
  { key: 'bulk_update_max_clients', value: 100, description: 'Clients per bulk status update' },
  { key: 'export_link_ttl_minutes', value: 60, description: 'Lifetime of an export download link' },
  { key: 'export_file_retention_hours', value: 24, description: 'Export files are deleted after this many hours' },
  { key: 'export_metadata_retention_days', value: 90, description: 'Export records are kept this many days' },
  { key: 'export_max_running_per_user', value: 2, description: 'Exports one user may have waiting or running at once' },
  { key: 'activity_log_retention_days', value: 90, description: 'Activity logs are kept this many days' },
  { key: 'status_event_retention_days', value: 730, description: 'Status events are kept this many days' },
  { key: 'job_done_retention_days', value: 7, description: 'Finished queue jobs are kept this many days' },
  { key: 'job_dead_retention_days', value: 30, description: 'Dead queue jobs are kept this many days' },
  { key: 'session_retention_days', value: 7, description: 'Ended or expired sessions are kept this many days' },
  { key: 'sync_job_retention_days', value: 90, description: 'Sync job records are kept this many days' },
  { key: 'snowflake_source_view', value: 'CLIENT_UPDATER.CLIENTS_VIEW', description: 'Snowflake view the client sync reads' },
  { key: 'status_page_cache_seconds', value: 10, description: 'Edge cache lifetime of the public status page', isPublic: true },
  { key: 'app_display_name', value: 'Client Updater', description: 'Name shown in the header', isPublic: true },
];

export function valueTypeOf(value: SettingSeed['value']): SettingValueType {
  return typeof value === 'number' ? 'number' : typeof value === 'boolean' ? 'boolean' : 'string';
}

/** Option lists admins edit; FCASH tele reasons are what not_yet_updated / updated ask for. */
export const CONFIG_CATEGORIES = [
  {
    code: 'tele_reasons',
    name: 'Tele reasons (FCASH)',
    company: 'FCASH',
    options: [
      ['NO_ANSWER', 'No answer'],
      ['BUSY', 'Line busy'],
      ['CALLBACK', 'Asked to call back'],
      ['WILL_VISIT_BRANCH', 'Will visit the branch'],
      ['SENT_PROOF_ONLINE', 'Sent proof online'],
      ['SUBMITTED_AT_BRANCH', 'Submitted at the branch'],
      ['OTHER', 'Other (see remarks)'],
    ],
  },
  {
    code: 'loan_statuses',
    name: 'Loan statuses',
    company: null,
    options: [
      ['ACTIVE', 'Active'],
      ['PAST_DUE', 'Past due'],
      ['RESTRUCTURED', 'Restructured'],
      ['CLOSED', 'Closed'],
    ],
  },
] as const;

/** Cron schedules run by the service (Asia/Manila). Queue names are the job_queue.queue values. */
export const SCHEDULED_JOBS = [
  { code: 'snowflake_daily_sync', name: 'Snowflake incremental sync', queue: 'sync', cron: '0 6 * * *', payload: { mode: 'incremental' } },
  { code: 'period_init_monthly', name: 'Start monthly periods', queue: 'period_init', cron: '5 0 1 * *', payload: { periodType: 'monthly' } },
  { code: 'period_init_quarterly', name: 'Start quarterly periods', queue: 'period_init', cron: '10 0 1 1,4,7,10 *', payload: { periodType: 'quarterly' } },
  { code: 'performance_snapshots', name: 'Refresh performance snapshots', queue: 'performance', cron: '*/30 * * * *', payload: {} },
  { code: 'retention_cleanup', name: 'Delete expired rows and export files', queue: 'cleanup', cron: '30 2 * * *', payload: {} },
  // Export files live 24 h (export_file_retention_hours): an hourly pass deletes them on time (decision 093).
  { code: 'export_file_cleanup', name: 'Delete expired export files', queue: 'cleanup', cron: '40 * * * *', payload: { only: 'export_files' } },
  // Maker-checker requests past approval_request_days close within the hour (decision 101).
  { code: 'approval_expiry', name: 'Close expired approval requests', queue: 'cleanup', cron: '50 * * * *', payload: { only: 'change_requests' } },
  // Hourly in office hours (Mon–Sat 08:15–18:15): has_payment and the pointer's last step stay fresh
  // while agents work; :15 keeps clear of the :00/:30 snapshots. Decision 046.
  { code: 'nextbank_payment_sync', name: 'NextBank payment sync', queue: 'nextbank_sync', cron: '15 8-18 * * 1-6', payload: {} },
] as const;

export function settingsStatements(): InStatement[] {
  const s: InStatement[] = SETTINGS.map((setting) => ({
    sql: `INSERT INTO config_settings (key, company_id, value, value_type, is_public, description)
          VALUES (?, NULL, ?, ?, ?, ?) ON CONFLICT DO NOTHING`,
    args: [setting.key, String(setting.value), valueTypeOf(setting.value), setting.isPublic ? 1 : 0, setting.description],
  }));
  CONFIG_CATEGORIES.forEach((category, i) => {
    s.push({
      sql: 'INSERT INTO config_categories (code, name, is_system, sort_order) VALUES (?, ?, 1, ?) ON CONFLICT DO NOTHING',
      args: [category.code, category.name, (i + 1) * 10],
    });
    category.options.forEach(([code, label], j) =>
      s.push({
        sql: `INSERT INTO config_options (category_id, company_id, code, label, is_default, sort_order)
              VALUES ((SELECT id FROM config_categories WHERE code = ?), (SELECT id FROM companies WHERE code = ?), ?, ?, ?, ?)
              ON CONFLICT DO NOTHING`,
        args: [category.code, category.company, code, label, j === 0 ? 1 : 0, (j + 1) * 10],
      }),
    );
  });
  for (const job of SCHEDULED_JOBS) {
    s.push({
      sql: `INSERT INTO scheduled_jobs (code, name, queue, payload, cron, timezone)
            VALUES (?, ?, ?, ?, ?, 'Asia/Manila') ON CONFLICT DO NOTHING`,
      args: [job.code, job.name, job.queue, JSON.stringify(job.payload), job.cron],
    });
  }
  return s;
}

export async function seedSettings(client: Client): Promise<void> {
  await runBatch(client, settingsStatements());
}
