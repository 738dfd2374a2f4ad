import { type ActionFunctionArgs } from '@remix-run/server-runtime';
import { cancelJob, jobActionSchema, queueOfJob, retryJob, type JobActionResult } from '../../core/jobs/queue-admin.server';
import { runScheduleNow, scheduleQueue, setScheduleEnabled, type ScheduleActionResult } from '../../core/jobs/scheduled-jobs-admin.server';
import { redirectWithFlash } from '../../web/flash.server';
import { failWith, intentOf, valuesOf, readRequestForm } from '../../web/form-protocol.server';
import { notFound } from '../../web/http-errors.server';
import { requireStaff } from '../../web/require-staff.server';

// Running or changing a job needs sync:execute at 'all' in EVERY company (decision 065).
const runGate = { permission: 'sync:execute', everyCompany: true } as const;

export async function handleAction(args: ActionFunctionArgs) {
  const staff = await requireStaff(args, { route: 'admin-jobs', ...runGate, limit: 'write' });
  const ctx = args.context.app;
  const form = await readRequestForm(args.request);
  const parsed = jobActionSchema.safeParse(Object.fromEntries(form));
  const fail = (message: string, status: number) => failWith(valuesOf(form), { message }, { intent: intentOf(form), status });
  if (!parsed.success) return fail(parsed.error.issues[0]?.message ?? 'Check the form.', 400);
  const who = { userId: staff.user.id, userAgent: args.request.headers.get('user-agent') };
  const a = parsed.data;
  let result: JobActionResult | ScheduleActionResult;
  if (a.intent === 'retry' || a.intent === 'cancel') {
    // Retrying a sync starts a sync again: it spends the sync limit too (fail-closed), like run-now.
    if (a.intent === 'retry' && (await queueOfJob(ctx, a.jobId)) === 'sync') await staff.spend('sync');
    result = await (a.intent === 'retry' ? retryJob : cancelJob)(ctx, who, a.jobId);
  } else if (a.intent === 'run-now') {
    const queue = await scheduleQueue(ctx, a.scheduleId);
    if (queue === null) notFound();
    if (queue === 'sync') await staff.spend('sync'); // running the sync now starts a sync: the sync limit too (fail-closed)
    result = await runScheduleNow(ctx, who, a.scheduleId);
  } else {
    result = await setScheduleEnabled(ctx, who, a.scheduleId, a.intent === 'enable');
  }
  if (!result.ok && result.code === 'NOT_FOUND') notFound();
  if (!result.ok) return fail(result.message, 409);
  const message = 'message' in result ? result.message : `Job ${result.jobId} is now ${result.status}.`;
  // Back to the same list (its filters and page) with the flash.
  const url = new URL(args.request.url);
  return redirectWithFlash(ctx, url.pathname + url.search, message);
}
