// The client page's FCASH tele intents (tele-status, month-to-update, nextbank-retry) and the
// reinstate intent, plus the tele panel's loader data. One zod schema per form; a refusal comes back
// as a 400 FormReply with the field error and the input kept; unknown or out-of-scope clients are
// 404; a form based on an older tele state (baseTeleHistoryId, decision 045) is a 409 FormReply
// with the newer state; a save redirects to the client page with the flash (decision 085).
import { z } from 'zod';
import { scopeIncludesBranch, type StaffScope } from '../core/access/scope.server';
import { reinstateClient, terminalPeriodsOf } from '../core/status/reinstate-client.server';
import { retryMonthToUpdate, saveMonthToUpdate, manilaToday } from '../core/tele/month-to-update.server';
import { saveTeleStatus, type TeleState } from '../core/tele/save-tele-status.server';
import { latestMonthCommand, latestTeleHistoryId, TELE_COMPANY_CODE } from '../core/tele/tele-client.server';
import { teleHistory } from '../core/tele/tele-history.server';
import { teleLookups } from '../core/tele/tele-lookups.server';
import { activeReasons, activeTeleStatuses, allowedUpdateStatuses, monthToUpdateRange } from '../core/tele/tele-rules';
import type { AppContext } from '../platform/context';
import { redirectWithFlash } from './flash.server';
import { fieldErrorsOf } from './form-errors';
import { conflictWith, formFailure, replyOf } from './form-protocol.server';
import { notFound } from './http-errors.server';
import type { StaffAccess } from '../core/access/staff-access.server';
import { idField, parseRecordId } from '../core/ids/record-id';

export const TELE_INTENTS = ['tele-status', 'month-to-update', 'nextbank-retry'] as const;
export type TeleIntent = (typeof TELE_INTENTS)[number];
export const isTeleIntent = (intent: unknown): intent is TeleIntent => TELE_INTENTS.includes(intent as TeleIntent);

/** The newest tele history row the form was based on: empty or missing is 0 (none yet). */
const baseTeleHistoryId = z
  .string()
  .optional()
  .refine((v) => !v || v === '0' || parseRecordId(v) !== null, 'This form is out of date or damaged: reload the page.')
  .transform((v) => (v ? Number(v) : 0));
const code = (message: string) => z.string({ error: message }).trim().min(1, message).max(60, message);
export const teleStatusFormSchema = z.object({
  teleStatus: code('Choose a tele status.'),
  updateStatus: code('Choose an update status.'),
  reason: z
    .string()
    .trim()
    .max(60, 'Choose a reason from the list.')
    .optional()
    .transform((v) => v || null),
  remarks: z
    .string()
    .max(500, 'Remarks are at most 500 characters.')
    .optional()
    .transform((v) => v ?? null),
  baseTeleHistoryId,
});
export const monthFormSchema = z.object({
  monthToUpdate: z.string({ error: 'Enter the Month to Update.' }).trim().min(1, 'Enter the Month to Update.').max(20, 'Enter the date as YYYY-MM-DD.'),
  baseTeleHistoryId,
});
const retryFormSchema = z.object({ historyId: idField('Nothing to retry.') });
export const reinstateFormSchema = z.object({
  remarks: z
    .string({ error: 'Say why the client is reinstated.' })
    .trim()
    .min(1, 'Say why the client is reinstated.')
    .max(500, 'Remarks are at most 500 characters.'),
});

export type TeleForm = TeleIntent | 'reinstate';
const SAVED: Record<TeleForm, string> = {
  'tele-status': 'Tele status saved.',
  'month-to-update': 'Month to Update saved and queued for NextBank.',
  'nextbank-retry': 'Queued for NextBank again.',
  reinstate: 'Client reinstated: later periods will include it again.',
};

function invalid(form: TeleForm, errors: Record<string, string>, values: Record<string, string>) {
  return formFailure(replyOf({ intent: form, fieldErrors: errors, values }));
}

/** Zod errors of a tele form; a bad version token is the form's error (it has no field of its own). */
function formErrorsOf(issues: Parameters<typeof fieldErrorsOf>[0]) {
  const { baseTeleHistoryId: token, ...errors } = fieldErrorsOf(issues);
  return token ? { form: token, ...errors } : errors;
}

type Outcome = { ok: true } | { ok: false; code: string; field?: string; message?: string; current?: TeleState };

/** 404 for NOT_FOUND, 409 with the newer state for STALE, 400 with the field error for any other refusal, else back to the page. */
function answer(ctx: AppContext, form: TeleForm, clientId: number, result: Outcome, values: Record<string, string>) {
  if (!result.ok && result.code === 'NOT_FOUND') notFound();
  if (!result.ok && result.code === 'STALE' && result.current) return conflictWith(values, result.current, result.message ?? '', { intent: form });
  if (!result.ok) return invalid(form, { [result.field ?? 'form']: result.message ?? 'That cannot be done.' }, values);
  return redirectWithFlash(ctx, `/clients/${clientId}`, SAVED[form]);
}

export async function handleTeleForm(ctx: AppContext, who: { userId: number; scope: StaffScope }, intent: TeleIntent, clientId: number, form: FormData) {
  const values = Object.fromEntries([...form].filter(([k]) => k !== 'intent').map(([k, v]) => [k, String(v)]));
  if (intent === 'tele-status') {
    const parsed = teleStatusFormSchema.safeParse(values);
    if (!parsed.success) return invalid(intent, formErrorsOf(parsed.error.issues), values);
    return answer(ctx, intent, clientId, await saveTeleStatus(ctx, who, clientId, parsed.data), values);
  }
  if (intent === 'month-to-update') {
    const parsed = monthFormSchema.safeParse(values);
    if (!parsed.success) return invalid(intent, formErrorsOf(parsed.error.issues), values);
    return answer(ctx, intent, clientId, await saveMonthToUpdate(ctx, who, clientId, parsed.data), values);
  }
  const parsed = retryFormSchema.safeParse(values);
  if (!parsed.success) return invalid(intent, { form: 'Nothing to retry.' }, values);
  return answer(ctx, intent, clientId, await retryMonthToUpdate(ctx, who, clientId, parsed.data), values);
}

export async function handleReinstateForm(ctx: AppContext, who: { userId: number; scope: StaffScope }, clientId: number, form: FormData) {
  const values = { remarks: String(form.get('remarks') ?? '') };
  const parsed = reinstateFormSchema.safeParse(values);
  if (!parsed.success) return invalid('reinstate', fieldErrorsOf(parsed.error.issues), values);
  return answer(ctx, 'reinstate', clientId, await reinstateClient(ctx, who, clientId, parsed.data), values);
}

interface PageClient {
  id: number;
  companyId: number;
  branchId: number;
  companyCode: string;
}

/** The tele panel of an FCASH client (null for other companies): choices, state and history. */
export async function telePanelData(ctx: AppContext, access: StaffAccess, client: PageClient) {
  if (client.companyCode !== TELE_COMPANY_CODE) return null;
  const [updateScope, historyScope] = [access.scopeOf('status:update'), access.scopeOf('status:history:read')];
  const [lookups, latest, baseTeleHistoryId] = await Promise.all([
    teleLookups(ctx, client.companyId),
    latestMonthCommand(ctx.db, client.id),
    latestTeleHistoryId(ctx.db, client.id),
  ]);
  const teleStatuses = activeTeleStatuses(lookups).map((t) => ({
    code: t.code,
    name: t.name,
    requiresReason: t.requiresReason,
    requiresRemarks: t.requiresRemarks,
    updateStatuses: allowedUpdateStatuses(lookups, t.code).map((u) => ({ code: u.code, name: u.name })),
  }));
  return {
    canEdit: Boolean(updateScope && scopeIncludesBranch(updateScope, client.companyId, client.branchId)),
    /** The version token the tele forms carry (decision 045). */
    baseTeleHistoryId,
    teleStatuses,
    names: Object.fromEntries([...lookups.teleStatuses, ...lookups.updateStatuses].map((s) => [s.code, s.name])),
    reasons: activeReasons(lookups).map((r) => ({ code: r.code, label: r.label })),
    reasonLabels: Object.fromEntries(lookups.reasons.map((r) => [r.code, r.label])),
    monthRange: monthToUpdateRange(manilaToday(ctx.clock.now())),
    latest: latest && {
      id: latest.id,
      status: latest.nextbankStatus,
      monthToUpdate: latest.monthToUpdate,
      error: latest.error,
      confirmedAt: latest.confirmedAt,
    },
    history: historyScope ? await teleHistory(ctx, historyScope, access.userId, client.id) : null,
  };
}

/** The reinstate form's data: the client's terminal periods, when the user may reinstate here. */
export async function reinstateData(ctx: AppContext, access: StaffAccess, client: PageClient) {
  const scope = access.scopeOf('status:revert');
  if (!scope || !scopeIncludesBranch(scope, client.companyId, client.branchId)) return null;
  const periods = await terminalPeriodsOf(ctx, client.id);
  return periods.length ? { periods } : null;
}
