/** The rate-limit policies of domain.md ("Limits"). failClosed: refuse when the store is down. */
export interface LimitPolicy {
  name: LimitPolicyName;
  max: number;
  windowSeconds: number;
  failClosed: boolean;
}

export type LimitPolicyName = "read" | "write" | "export" | "sync" | "loginUser" | "loginIp" | "public";

const defaults: Record<LimitPolicyName, Omit<LimitPolicy, "name">> = {
  read: { max: 100, windowSeconds: 60, failClosed: false },
  write: { max: 30, windowSeconds: 60, failClosed: false },
  export: { max: 5, windowSeconds: 300, failClosed: true },
  sync: { max: 2, windowSeconds: 600, failClosed: true },
  loginUser: { max: 5, windowSeconds: 300, failClosed: true },
  loginIp: { max: 30, windowSeconds: 300, failClosed: true },
  public: { max: 20, windowSeconds: 60, failClosed: false },
};

/** Applies RATE_LIMITS overrides like "read=100/60,public=20/60" on top of the defaults. */
export function resolvePolicies(overrides?: string): Record<LimitPolicyName, LimitPolicy> {
  const out = {} as Record<LimitPolicyName, LimitPolicy>;
  for (const [name, p] of Object.entries(defaults)) out[name as LimitPolicyName] = { name: name as LimitPolicyName, ...p };
  for (const part of (overrides ?? "").split(",").map((s) => s.trim()).filter(Boolean)) {
    const m = /^(\w+)=(\d+)\/(\d+)$/.exec(part);
    if (!m || !(m[1] in out)) throw new Error(`RATE_LIMITS: cannot read "${part}" (expected name=count/seconds)`);
    const name = m[1] as LimitPolicyName;
    out[name] = { ...out[name], max: Number(m[2]), windowSeconds: Number(m[3]) };
  }
  return out;
}
