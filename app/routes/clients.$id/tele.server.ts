// The client page's FCASH tele intents (tele-status, month-to-update, nextbank-retry) and the
// reinstate intent. The schemas are core's (tele-forms.server.ts); a refusal comes back as a 400
// FormReply with the field error and the input kept; unknown or out-of-scope clients are 404; a form
// based on an older tele state (baseTeleHistoryId, decision 045) is a 409 FormReply with the newer
// state; a save redirects to the client page with the flash (decision 085).
import type { StaffScope } from '../../core/access/scope.server';
import { reinstateOrAsk } from '../../core/approvals/actions/status-reinstate.server';
import { retryMonthToUpdate, saveMonthToUpdate } from '../../core/tele/month-to-update.server';
import { saveTeleStatus } from '../../core/tele/save-tele-status.server';
import { monthFormSchema, reinstateFormSchema, retryFormSchema, teleStatusFormSchema } from '../../core/tele/tele-forms.server';
import type { AppContext } from '../../platform/context';
import { fieldErrorsOf } from '../../web/form-errors';
import { redirectWithFlash } from '../../web/flash.server';
import { answerWrite, formFailure, replyOf, type WriteResult } from '../../web/form-protocol.server';

export const TELE_INTENTS = ['tele-status', 'month-to-update', 'nextbank-retry'] as const;
export type TeleIntent = (typeof TELE_INTENTS)[number];
export const isTeleIntent = (intent: unknown): intent is TeleIntent => TELE_INTENTS.includes(intent as TeleIntent);

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

/** 404, 409 with the newer state, 400 with the field error, or back to the page with the flash. */
function answer(ctx: AppContext, form: TeleForm, clientId: number, result: WriteResult, values: Record<string, string>) {
  return answerWrite(ctx, result, { values, intent: form, back: `/clients/${clientId}`, saved: SAVED[form] });
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
  const result = await reinstateOrAsk(ctx, who, clientId, parsed.data);
  if (!result.ok && result.code === 'AWAITS_APPROVAL') {
    return redirectWithFlash(ctx, `/clients/${clientId}`, {
      type: 'success',
      message: `${result.message} A second person with status:revert must approve the reinstatement.`,
    });
  }
  return answer(ctx, 'reinstate', clientId, result, values);
}
