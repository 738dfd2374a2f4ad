/** Page and page size from a query string: clamped, never an error (docs/decisions/004). */
export const maxPageSize = 100;
export const defaultPageSize = 25;

export function clampInt(raw: unknown, fallback: number, min: number, max: number): number {
  const n = typeof raw === 'string' && raw.trim() !== '' ? Number(raw) : NaN;
  if (!Number.isFinite(n)) return fallback;
  return Math.min(max, Math.max(min, Math.trunc(n)));
}

export function pagingFrom(raw: Record<string, unknown>): { page: number; pageSize: number } {
  return {
    page: clampInt(raw.page, 1, 1, 1_000_000),
    pageSize: clampInt(raw.pageSize, defaultPageSize, 1, maxPageSize),
  };
}

export function pageCount(total: number, pageSize: number): number {
  return Math.max(1, Math.ceil(total / pageSize));
}
