// The audit trail of admin edits (config_audit_log): which row of which table changed, from what to
// what, by whom, from where. Written inside the same transaction as the edit it describes.
import { configAuditLog } from '../../../db/schema';
import type { AppContext } from '../../platform/context';

export type AuditAction = 'create' | 'update' | 'delete' | 'restore';
type Values = Record<string, unknown>;

export interface AuditEntry {
  table: string;
  recordId: number;
  action: AuditAction;
  /** The row before (null for create). */
  before: Values | null;
  /** The row after (null for a hard delete). */
  after: Values | null;
  userId: number;
}

// Bookkeeping columns change on every write and would drown the real change.
const IGNORED = new Set(['updatedAt', 'updated_at', 'createdAt', 'created_at']);

function comparable(value: unknown): unknown {
  if (value instanceof Date) return value.toISOString();
  if (value !== null && typeof value === 'object') return JSON.stringify(value);
  return value ?? null;
}

/**
 * Only the fields that differ, as { old, new } halves. A create keeps every field on the new side,
 * a delete every field on the old side, so the viewer always shows what the row held.
 */
export function changedFields(before: Values | null, after: Values | null): { oldValues: Values | null; newValues: Values | null } {
  const keys = new Set([...Object.keys(before ?? {}), ...Object.keys(after ?? {})].filter((k) => !IGNORED.has(k)));
  const oldValues: Values = {};
  const newValues: Values = {};
  for (const key of keys) {
    const a = comparable(before?.[key]);
    const b = comparable(after?.[key]);
    if (before && after && a === b) continue;
    if (before) oldValues[key] = a;
    if (after) newValues[key] = b;
  }
  return { oldValues: before ? oldValues : null, newValues: after ? newValues : null };
}

/** True when an update changed nothing worth an audit row. */
export function isNoChange(before: Values | null, after: Values | null): boolean {
  const { oldValues, newValues } = changedFields(before, after);
  return !!before && !!after && Object.keys(oldValues ?? {}).length === 0 && Object.keys(newValues ?? {}).length === 0;
}

/**
 * Appends one audit row; pass the transaction so the edit and its audit commit together. Without
 * one it is written alone on ctx.db, whose port takes the write turn for it (decision 124).
 */
export async function recordAudit(ctx: AppContext, entry: AuditEntry, db: Pick<AppContext['db'], 'insert'> = ctx.db) {
  const { oldValues, newValues } = changedFields(entry.before, entry.after);
  const row = {
    tableName: entry.table,
    recordId: entry.recordId,
    action: entry.action,
    oldValues,
    newValues,
    userId: entry.userId,
    ip: ctx.clientIp,
    requestId: ctx.requestId,
    changeRequestId: ctx.state.changeRequestId ?? null,
    createdAt: ctx.clock.now(),
  };
  await db.insert(configAuditLog).values(row);
}
