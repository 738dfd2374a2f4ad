import { limitBound, type LimitPolicy } from '../../app/platform/rate-limit/policies';

// The promise of decision 080, checked over a run of requests: for every stretch of the run, the
// requests admitted in it are at most limitBound(policy, its length). Times are what the test can
// see: for a request over the network, from when it was sent to when its answer came back, so
// the span of a stretch is never under-estimated (a looser bound, never a tighter one).

export interface Attempt {
  sentAt: number;
  answeredAt: number;
  admitted: boolean;
}

export interface BoundCheck {
  /** The worst stretch: most admitted compared with its bound. */
  admitted: number;
  bound: number;
  spanMs: number;
}

export function worstStretch(attempts: Attempt[], policy: Pick<LimitPolicy, 'max' | 'windowSeconds'>): BoundCheck {
  const ok = attempts.filter((a) => a.admitted);
  let worst: BoundCheck = { admitted: 0, bound: policy.max, spanMs: 0 };
  for (let i = 0; i < ok.length; i++) {
    for (let j = i; j < ok.length; j++) {
      const spanMs = ok[j].answeredAt - ok[i].sentAt;
      const admitted = j - i + 1;
      const bound = limitBound(policy, spanMs);
      if (admitted - bound > worst.admitted - worst.bound) worst = { admitted, bound, spanMs };
    }
  }
  return worst;
}

/** Milliseconds to the next multiple of windowMs on the wall clock (Upstash's windows are aligned so). */
export function msToWindowEdge(windowMs: number, now = Date.now()): number {
  return windowMs - (now % windowMs);
}
