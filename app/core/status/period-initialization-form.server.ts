import { z } from 'zod';
import type { AppContext } from '../../platform/context';
import { logActivity } from '../audit/activity-log.server';
import { initializePeriod, type InitializationReport, type PeriodRef } from './initialize-period.server';
import { selectableYears } from './periods';

/**
 * The admin's "initialize a period" form: a cycle, a year from the year selector rule
 * (selectableYears, Manila date) and the month or quarter of that cycle.
 */
export function periodFormSchema(now: Date) {
  const years = selectableYears(now);
  const number = (max: number, what: string) =>
    z
      .string()
      .regex(/^\d{1,2}$/, `Choose a ${what}.`)
      .transform(Number)
      .refine((n) => n >= 1 && n <= max, `Choose a ${what}.`);
  return z
    .object({
      periodType: z.enum(['monthly', 'quarterly'], { error: 'Choose monthly or quarterly.' }),
      year: z
        .string({ error: 'Choose a year.' })
        .regex(/^\d{4}$/, 'Choose a year.')
        .transform(Number)
        .refine((y) => years.includes(y), `Choose a year from ${years[0]} to ${years[years.length - 1]}.`),
      month: z.string().optional(),
      quarter: z.string().optional(),
    })
    .transform((v, ctx): PeriodRef => {
      const field = v.periodType === 'monthly' ? 'month' : 'quarter';
      const parsed = number(v.periodType === 'monthly' ? 12 : 4, field).safeParse(v[field] ?? '');
      if (!parsed.success) {
        ctx.addIssue({ code: 'custom', path: [field], message: parsed.error.issues[0].message });
        return z.NEVER;
      }
      return { type: v.periodType, year: v.year, number: parsed.data };
    });
}

/** Runs the set-based initialization on demand and records who ran it with its report (`period.initialized`). */
export async function initializePeriodOnDemand(
  ctx: AppContext,
  who: { userId: number; userAgent?: string | null },
  period: PeriodRef,
): Promise<InitializationReport> {
  // One INSERT ... SELECT on the database, outside a transaction: the port takes the write turn for it.
  const report = await initializePeriod(ctx, period);
  await logActivity(ctx, {
    userId: who.userId,
    action: 'period.initialized',
    resourceType: 'period',
    resourceId: report.periodKey,
    details: { ...report, trigger: 'admin' },
    userAgent: who.userAgent,
  });
  ctx.logger.info('period initialized', { periodKey: report.periodKey, created: report.created, alreadyPresent: report.alreadyPresent });
  return report;
}
