// What can be exported (domain.md "Reports and exports"). Browser-safe: the request screen's
// choices and labels; no zod, no server code.

export const EXPORT_KINDS = ['clients', 'client_status', 'branch_performance', 'agent_performance', 'activity'] as const;
export type ExportKind = (typeof EXPORT_KINDS)[number];
export const EXPORT_FORMATS = ['xlsx', 'csv'] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

export const EXPORT_LABELS: Record<ExportKind, string> = {
  clients: 'Clients',
  client_status: 'Client status for a period',
  branch_performance: 'Branch performance',
  agent_performance: 'Agent performance',
  activity: 'Activity log',
};

/**
 * The permission whose scope decides an export's rows, besides reports:export (both are needed;
 * the rows are those both reach). The activity export follows the activity log's own reach.
 */
export const EXPORT_READ_PERMISSION: Record<ExportKind, string> = {
  clients: 'clients:read',
  client_status: 'status:read',
  branch_performance: 'reports:read',
  agent_performance: 'reports:read',
  activity: 'activity:read',
};

/** The filters each kind takes (the query parameters of the screen it comes from). */
export const EXPORT_FILTER_KEYS: Record<ExportKind, readonly string[]> = {
  clients: ['q', 'company', 'branch', 'product', 'par', 'status'],
  client_status: ['company', 'segment', 'period', 'q', 'status', 'reason', 'branch', 'par', 'pensionType', 'payment', 'terminal'],
  branch_performance: ['company', 'period', 'branch'],
  agent_performance: ['company', 'period'],
  activity: ['user', 'action', 'resource', 'resourceId', 'q', 'from', 'to'],
};

export function isExportKind(value: unknown): value is ExportKind {
  return typeof value === 'string' && (EXPORT_KINDS as readonly string[]).includes(value);
}

/** The request screen's address for an export of this kind with these filters (the "Export" buttons). */
export function exportRequestHref(kind: ExportKind, params: Record<string, string | undefined>): string {
  const query = new URLSearchParams({ type: kind });
  for (const key of EXPORT_FILTER_KEYS[kind]) {
    const value = params[key];
    if (value !== undefined && value !== '') query.set(key, value);
  }
  return `/reports/exports?${query}`;
}
