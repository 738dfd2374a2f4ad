// What the fake accepts at /session/v1/login-request: the password authenticator ('SNOWFLAKE') and
// the key-pair one ('SNOWFLAKE_JWT'). A JWT must be well formed the way Snowflake reads it:
// RS256, iss = ACCOUNT.USER.SHA256:<fingerprint of the public key>, sub = ACCOUNT.USER, not
// expired; when public keys are registered (as `ALTER USER … SET RSA_PUBLIC_KEY` would), the
// fingerprint must name one of them and the signature must verify with it.
import { createHash, createPublicKey, verify } from 'node:crypto';

export interface LoginPolicy {
  account: string;
  username: string;
  /** Accepted password; undefined = any password (demo mode). */
  password?: string;
  /** Registered RSA public keys (PEM); empty = any well-formed JWT (its signature is not checked). */
  publicKeys: string[];
}

export type LoginVerdict = { ok: true; authenticator: string } | { ok: false; code: string; message: string };

interface LoginData {
  ACCOUNT_NAME?: unknown;
  LOGIN_NAME?: unknown;
  AUTHENTICATOR?: unknown;
  PASSWORD?: unknown;
  TOKEN?: unknown;
}

const refuse = (code: string, message: string): LoginVerdict => ({ ok: false, code, message });
const BAD_PASSWORD = refuse('390100', 'Incorrect username or password was specified.');
const BAD_JWT = refuse('390144', 'JWT token is invalid.');

export function fingerprintOf(publicKeyPem: string): string {
  const der = createPublicKey(publicKeyPem).export({ format: 'der', type: 'spki' });
  return `SHA256:${createHash('sha256').update(der).digest('base64')}`;
}

function decodePart(part: string): Record<string, unknown> | null {
  try {
    const value = JSON.parse(Buffer.from(part, 'base64url').toString('utf8'));
    return value && typeof value === 'object' ? (value as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}

/** Returns why a JWT is refused, or null when it is acceptable. */
export function checkJwt(token: unknown, policy: LoginPolicy, nowMs: number): string | null {
  if (typeof token !== 'string' || token.length > 8192) return 'no token';
  const parts = token.split('.');
  if (parts.length !== 3 || parts.some((p) => !/^[A-Za-z0-9_-]+$/.test(p))) return 'not three base64url parts';
  const header = decodePart(parts[0]);
  const payload = decodePart(parts[1]);
  if (!header || !payload) return 'header or payload is not JSON';
  if (header.alg !== 'RS256') return `alg ${String(header.alg)} is not RS256`;
  const subject = `${policy.account}.${policy.username}`.toUpperCase();
  if (payload.sub !== subject) return `sub ${String(payload.sub)} is not ${subject}`;
  const iss = typeof payload.iss === 'string' ? payload.iss : '';
  if (!iss.startsWith(`${subject}.SHA256:`)) return 'iss does not name ACCOUNT.USER.SHA256:<fingerprint>';
  // The SDK sends iat/exp in milliseconds; Snowflake's docs use seconds. Accept both.
  const asMs = (v: unknown) => (typeof v === 'number' ? (v > 1e12 ? v : v * 1000) : NaN);
  const exp = asMs(payload.exp);
  const iat = asMs(payload.iat);
  if (!(exp > nowMs) || !(iat <= nowMs + 60_000) || exp - iat > 3_600_000) return 'expired or lifetime over 1 hour';
  if (policy.publicKeys.length === 0) return null;
  const fingerprint = iss.slice(subject.length + 1);
  const key = policy.publicKeys.find((pem) => fingerprintOf(pem) === fingerprint);
  if (!key) return 'no registered public key has that fingerprint';
  const signed = Buffer.from(`${parts[0]}.${parts[1]}`);
  return verify('RSA-SHA256', signed, key, Buffer.from(parts[2], 'base64url')) ? null : 'signature does not verify';
}

export function checkLogin(data: LoginData | undefined, policy: LoginPolicy, nowMs: number): LoginVerdict & { jwtProblem?: string } {
  if (!data) return BAD_PASSWORD;
  const account = String(data.ACCOUNT_NAME ?? '').toUpperCase();
  const user = String(data.LOGIN_NAME ?? '').toUpperCase();
  if (account !== policy.account.toUpperCase() || user !== policy.username.toUpperCase()) return BAD_PASSWORD;
  const authenticator = String(data.AUTHENTICATOR ?? 'SNOWFLAKE').toUpperCase();
  if (authenticator === 'SNOWFLAKE_JWT') {
    const problem = checkJwt(data.TOKEN, policy, nowMs);
    return problem ? { ...BAD_JWT, jwtProblem: problem } : { ok: true, authenticator };
  }
  if (authenticator === 'SNOWFLAKE') {
    if (typeof data.PASSWORD !== 'string' || data.PASSWORD.length === 0) return BAD_PASSWORD;
    if (policy.password !== undefined && data.PASSWORD !== policy.password) return BAD_PASSWORD;
    return { ok: true, authenticator };
  }
  return refuse('390190', `Authenticator ${authenticator} is not supported by this fake.`);
}
