import { z } from 'zod';
import { approveRequest, rejectRequest, requestInReach, withdrawRequest, type Checker } from '../../core/approvals/decide-request.server';
import { handlerOf } from '../../core/approvals/handlers.server';
import { idField } from '../../core/ids/record-id';
import { logActivity } from '../../core/audit/activity-log.server';
import type { AppContext } from '../../platform/context';
import { redirectWithFlash } from '../../web/flash.server';
import { formFailure, replyOf, valuesOf } from '../../web/form-protocol.server';
import { notFound } from '../../web/http-errors.server';

const intents = z.discriminatedUnion('intent', [
  z.object({ intent: z.literal('approve'), requestId: idField('Choose a request.') }),
  z.object({ intent: z.literal('reject'), requestId: idField('Choose a request.'), reason: z.string().max(2000).default('') }),
  z.object({ intent: z.literal('withdraw'), requestId: idField('Choose a request.') }),
]);

const STATUS = { forbidden: 403, conflict: 409, invalid: 400 } as const;

/**
 * A checker's approve or reject, a maker's withdraw (decision 101). A request whose action's handler
 * does not cover the reader is 404 (their own one they may only withdraw); a refusal
 * is a FormReply with 403 (own request), 409 (decided, expired or stale) or 400; a success redirects
 * back to the list with the flash (post/redirect/get).
 */
export async function handleApprovalAction(ctx: AppContext, reader: Checker, form: FormData) {
  const parsed = intents.safeParse(Object.fromEntries(form));
  if (!parsed.success)
    return formFailure(replyOf({ intent: null, formError: 'That form was not understood. Reload the page and try again.', values: valuesOf(form) }));
  const input = parsed.data;
  const row = await requestInReach(ctx, reader, input.requestId);
  if (!row) notFound();
  const result =
    input.intent === 'approve'
      ? await approveRequest(ctx, reader, row)
      : input.intent === 'reject'
        ? await rejectRequest(ctx, reader, row, input.reason)
        : await withdrawRequest(ctx, reader.userId, row);
  if (result.ok) return redirectWithFlash(ctx, '/admin/approvals', result.message);
  if (result.kind === 'not-found') notFound();
  // A refused decision (one's own request, another's to withdraw, beyond one's ceiling) is an access
  // refusal like the gate's, so it is in the trail as access.denied.
  if (result.kind === 'forbidden')
    await logActivity(ctx, {
      userId: reader.userId,
      action: 'access.denied',
      resourceType: 'change_request',
      resourceId: row.id,
      companyId: row.companyId,
      details: { permission: handlerOf(row.action)?.permission ?? null, method: 'POST', intent: input.intent, needs: result.message },
    });
  return formFailure(
    replyOf({
      intent: `${input.intent}:${row.id}`,
      formError: result.message,
      fieldErrors: result.kind === 'invalid' ? { reason: result.message } : {},
      values: valuesOf(form),
    }),
    STATUS[result.kind],
  );
}
