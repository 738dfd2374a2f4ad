// Which periods a maintenance job works on: the payload's period key, or the current period(s) in
// Manila time from the job's clock.
import { periodKey, periodOf, type Period, type PeriodType } from '../../app/core/status/periods';
import { PermanentJobError } from '../jobs/handler';

const MONTHLY = /^(\d{4})-(\d{2})$/;
const QUARTERLY = /^(\d{4})-Q([1-4])$/;

/** '2026-11' → monthly November 2026; '2026-Q4' → quarterly. Anything else is a permanent error. */
export function parsePeriodKey(key: string): Period {
  const m = MONTHLY.exec(key) ?? QUARTERLY.exec(key);
  const year = Number(m?.[1]);
  const number = Number(m?.[2]);
  const type: PeriodType = key.includes('Q') ? 'quarterly' : 'monthly';
  if (!m || year < 2000 || year > 2100 || number < 1 || number > (type === 'monthly' ? 12 : 4)) {
    throw new PermanentJobError(`periodKey "${key}" is not a period (expected YYYY-MM or YYYY-Qn)`);
  }
  return { type, year, number, key: periodKey(type, year, number) };
}

/** The payload's period, else the current period of `type`, else the current monthly and quarterly ones. */
export function targetPeriods(now: Date, key?: string, type?: PeriodType): Period[] {
  if (key) {
    const period = parsePeriodKey(key);
    if (type && period.type !== type) throw new PermanentJobError(`periodKey "${key}" is not a ${type} period`);
    return [period];
  }
  const types: PeriodType[] = type ? [type] : ['monthly', 'quarterly'];
  return types.map((t) => periodOf(t, now));
}
