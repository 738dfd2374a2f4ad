// The ranges the security and retention settings may take (issue 14 item 7): an admin cannot set
// a lockout after 0 or 10,000 failures, a session that never idles out, or a 1-day activity log
// that an auditor would not accept. Checked when the setting is saved (settingValueIssue) and again
// when it is read (numberSetting falls back to the default outside the range). Pure data, no zod.

export interface SettingBounds {
  min: number;
  max: number;
  /** Whole numbers only (default true). */
  integer?: boolean;
}

export const SETTING_BOUNDS: ReadonlyMap<string, SettingBounds> = new Map([
  ['session_idle_minutes', { min: 5, max: 720 }],
  ['session_absolute_minutes', { min: 30, max: 1440 }],
  ['login_lockout_threshold', { min: 3, max: 20 }],
  ['login_lockout_minutes', { min: 1, max: 1440 }],
  ['login_limit_per_username', { min: 1, max: 100 }],
  ['login_limit_per_ip', { min: 1, max: 1000 }],
  ['login_limit_window_seconds', { min: 60, max: 3600 }],
  ['password_min_length', { min: 12, max: 64 }],
  ['password_max_length', { min: 64, max: 128 }],
  ['temporary_password_hours', { min: 1, max: 168 }],
  ['approval_request_days', { min: 1, max: 90 }],
  ['rate_reads_per_minute', { min: 1, max: 10_000 }],
  ['rate_writes_per_minute', { min: 1, max: 10_000 }],
  ['rate_exports_per_5_minutes', { min: 1, max: 100 }],
  ['rate_sync_triggers_per_10_minutes', { min: 1, max: 100 }],
  ['rate_public_per_minute', { min: 1, max: 10_000 }],
  ['page_size_max', { min: 10, max: 100 }],
  ['bulk_update_max_clients', { min: 1, max: 100 }],
  ['export_link_ttl_minutes', { min: 5, max: 1440 }],
  ['export_file_retention_hours', { min: 1, max: 168 }],
  ['export_metadata_retention_days', { min: 30, max: 365 }],
  ['activity_log_retention_days', { min: 90, max: 3650 }],
  ['status_event_retention_days', { min: 365, max: 3650 }],
  ['job_done_retention_days', { min: 1, max: 90 }],
  ['job_dead_retention_days', { min: 7, max: 365 }],
  ['session_retention_days', { min: 1, max: 90 }],
  ['sync_job_retention_days', { min: 30, max: 365 }],
]);

/** Why `value` is outside the setting's range (null: inside, or the setting has no range). */
export function settingBoundsIssue(key: string, value: number): string | null {
  const bounds = SETTING_BOUNDS.get(key);
  if (!bounds) return null;
  if ((bounds.integer ?? true) && !Number.isInteger(value)) return 'Enter a whole number.';
  if (value < bounds.min || value > bounds.max) return `This setting takes ${bounds.min} to ${bounds.max}.`;
  return null;
}
