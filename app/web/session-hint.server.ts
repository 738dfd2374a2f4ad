import { parse, serialize } from 'cookie';
import type { AppContext } from '../platform/context';
import { cookieIsSecure, exportLinkSecret } from '../platform/env';
import { nodeCrypto } from '../platform/sha256';
import { clearedSessionCookie, sessionCookie } from './session-cookie.server';

// The session's user id, signed, in a second cookie (decision 109): the gate can start the user's
// rate-limit check beside the session read instead of after it (one round trip fewer at the edge).
// The signature covers the user id AND the session token, so nobody can spend another user's budget
// by naming their id; a missing, stale or bad hint only means the check waits for the session.

const LABEL = 'client-updater session-user hint v1';
const keys = new WeakMap<object, Promise<CryptoKey | null>>();

/** An HMAC key of its own, derived from the deployment's link secret (none where that is unset in production: no hints). */
function hintKey(ctx: AppContext): Promise<CryptoKey | null> {
  let key = keys.get(ctx.env);
  if (!key) {
    key = (async () => {
      let secret: string;
      try {
        secret = exportLinkSecret(ctx.env);
      } catch {
        return null;
      }
      const master = await crypto.subtle.importKey('raw', new TextEncoder().encode(secret), { name: 'HMAC', hash: 'SHA-256' }, false, ['sign']);
      const derived = await crypto.subtle.sign('HMAC', master, new TextEncoder().encode(LABEL));
      return crypto.subtle.importKey('raw', derived, { name: 'HMAC', hash: 'SHA-256' }, false, ['sign', 'verify']);
    })();
    keys.set(ctx.env, key);
  }
  return key;
}

const message = (userId: number, token: string) => new TextEncoder().encode(`${userId}:${token}`);

function base64url(bytes: ArrayBuffer): string {
  return btoa(String.fromCharCode(...new Uint8Array(bytes)))
    .replace(/\+/g, '-')
    .replace(/\//g, '_')
    .replace(/=+$/, '');
}

function fromBase64url(text: string): Uint8Array<ArrayBuffer> {
  const binary = atob(text.replace(/-/g, '+').replace(/_/g, '/'));
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return bytes;
}

export function sessionHintCookieName(ctx: AppContext): string {
  return ctx.env.NODE_ENV === 'production' && cookieIsSecure(ctx.env) ? '__Host-cu_uid' : 'cu_uid';
}

/** The Set-Cookie headers of a new session: the token and, when a key exists, the signed user id. */
export async function sessionCookies(ctx: AppContext, token: string, userId: number, expiresAt: Date): Promise<string[]> {
  const cookies = [sessionCookie(ctx, token, expiresAt)];
  const key = await hintKey(ctx);
  if (key) {
    const signature = base64url(await crypto.subtle.sign('HMAC', key, message(userId, token)));
    cookies.push(cookie(ctx, `${userId}.${signature}`, Math.max(0, Math.floor((expiresAt.getTime() - ctx.clock.now().getTime()) / 1000))));
  }
  return cookies;
}

/** The Set-Cookie headers that end the session in the browser (both cookies). */
export function clearedSessionCookies(ctx: AppContext): string[] {
  return [clearedSessionCookie(ctx), cookie(ctx, '', 0)];
}

function cookie(ctx: AppContext, value: string, maxAge: number): string {
  return serialize(sessionHintCookieName(ctx), value, { httpOnly: true, sameSite: 'lax', secure: cookieIsSecure(ctx.env), path: '/', maxAge });
}

/** The user id the request's hint names for this session token, when its signature holds; else null. */
export async function hintedUserId(ctx: AppContext, request: Request, token: string | null): Promise<number | null> {
  const header = request.headers.get('cookie');
  if (!token || !header) return null;
  const match = /^([1-9]\d{0,15})\.([A-Za-z0-9_-]{43})$/.exec(parse(header)[sessionHintCookieName(ctx)] ?? '');
  if (!match) return null;
  const userId = Number(match[1]);
  if (!Number.isSafeInteger(userId)) return null;
  // On Node the same HMAC through node:crypto, synchronously: WebCrypto's verify is a thread-pool
  // job there, 3 % of a signed-in page's CPU and a wait (decision 112). Same key, same signature.
  if (nodeCrypto) {
    const keyBytes = nodeHintKey(ctx);
    if (!keyBytes) return null;
    const expected = nodeCrypto.createHmac('sha256', keyBytes).update(message(userId, token)).digest();
    const given = fromBase64url(match[2]);
    return given.length === expected.length && nodeCrypto.timingSafeEqual(given, expected) ? userId : null;
  }
  const key = await hintKey(ctx);
  if (!key) return null;
  const ok = await crypto.subtle.verify('HMAC', key, fromBase64url(match[2]), message(userId, token));
  return ok ? userId : null;
}

const nodeKeys = new WeakMap<object, Uint8Array | null>();

/** hintKey's derived key as bytes, for node:crypto (null where there is no link secret). */
function nodeHintKey(ctx: AppContext): Uint8Array | null {
  let key = nodeKeys.get(ctx.env);
  if (key === undefined) {
    let secret: string | null;
    try {
      secret = exportLinkSecret(ctx.env);
    } catch {
      secret = null;
    }
    key = secret === null ? null : nodeCrypto!.createHmac('sha256', new TextEncoder().encode(secret)).update(new TextEncoder().encode(LABEL)).digest();
    nodeKeys.set(ctx.env, key);
  }
  return key;
}
