// Queue 'period_init': creates the PENDING rows of a period with the app's set-based
// initializePeriod (app/core/status/initialize-period.server.ts), and logs each report like the admin
// screen does (period.initialized, trigger 'job').
import { periodInitPayloadSchema } from '../../app/core/jobs/payloads.server';
import { logActivity } from '../../app/core/audit/activity-log.server';
import { initializePeriod } from '../../app/core/status/initialize-period.server';
import { PermanentJobError, type JobHandler } from '../jobs/handler';
import { jobAppContext } from './job-app-context';
import { targetPeriods } from './period-targets';

export const periodInitHandler: JobHandler = async (payload, run) => {
  const parsed = periodInitPayloadSchema.safeParse(payload ?? {});
  if (!parsed.success)
    throw new PermanentJobError(`invalid period_init payload: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
  const { periodKey, periodType, companyCode } = parsed.data;
  if (companyCode) {
    // A period covers every company whose products follow its cycle; there is no per-company run.
    throw new PermanentJobError(`companyCode is not supported: period initialization covers every company of the cycle`);
  }
  const ctx = jobAppContext(run);
  const lines: string[] = [];
  for (const period of targetPeriods(run.clock.now(), periodKey, periodType)) {
    run.signal.throwIfAborted();
    // Its INSERT ... SELECT and the activity row below each take the write turn in the database port
    // (decision 124): other jobs of this process may hold a transaction on the same file.
    const report = await initializePeriod(ctx, period);
    await logActivity(ctx, {
      action: 'period.initialized',
      resourceType: 'period',
      resourceId: report.periodKey,
      details: { ...report, trigger: 'job', jobId: run.job.id },
    });
    run.logger.info('period initialized', { periodKey: report.periodKey, created: report.created, alreadyPresent: report.alreadyPresent });
    lines.push(`${report.periodKey}: ${report.created} created, ${report.alreadyPresent} already present`);
  }
  return lines.join('; ');
};
