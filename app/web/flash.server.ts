// The flash message of post/redirect/get (docs/decisions/085): a successful POST answers a redirect
// with a short-lived cookie holding the message; the root loader reads it once, clears it, and
// <FlashToast> in the layout shows it. Same Set-Cookie on both hosts (Node and Workers).
import { redirect } from '@remix-run/server-runtime';
import { parse, serialize } from 'cookie';
import type { AppContext } from '../platform/context';
import { cookieIsSecure } from '../platform/env';
import type { Flash, FlashDetail } from '../core/forms/form-reply';

export const FLASH_MAX_AGE_SECONDS = 60;
const MAX_MESSAGE = 300;
const MAX_DETAILS = 100;
/** Browsers keep cookies up to 4096 bytes (name, value and attributes): the value stays well below. */
const MAX_VALUE_BYTES = 3500;

/** `__Host-` in production (like the session cookie): no sub-domain or plain-http page can plant one. */
export function flashCookieName(ctx: AppContext): string {
  return ctx.env.NODE_ENV === 'production' && cookieIsSecure(ctx.env) ? '__Host-cu_flash' : 'cu_flash';
}

const options = (ctx: AppContext, maxAge: number) => ({ httpOnly: true, sameSite: 'lax', secure: cookieIsSecure(ctx.env), path: '/', maxAge }) as const;

export type FlashInput = Omit<Flash, 'id'>;

function clip(text: string, max: number) {
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

const isPath = (href: unknown): href is string => typeof href === 'string' && /^\/(?!\/)[^\s\\]{0,199}$/.test(href);

/**
 * The Set-Cookie value carrying one flash (base64url JSON; at most ~60 s; read once). Details that
 * would make the cookie too big are cut, and the last line says how many were left out.
 */
export function flashCookie(ctx: AppContext, flash: FlashInput): string {
  const all = (flash.details ?? []).map(([k, v, href]): FlashDetail => (isPath(href) ? [clip(k, 120), clip(v, 200), href] : [clip(k, 120), clip(v, 200)]));
  const base = { id: crypto.randomUUID(), type: flash.type, message: clip(flash.message, MAX_MESSAGE), ...(flash.secret ? { secret: flash.secret } : {}) };
  let kept = Math.min(all.length, MAX_DETAILS);
  const valueOf = (n: number): string => {
    const details: FlashDetail[] = all.slice(0, n);
    if (n < all.length) details.push(['…', `${all.length - n} more not shown`]);
    return encode(JSON.stringify(details.length ? { ...base, details } : base));
  };
  let value = valueOf(kept);
  while (value.length > MAX_VALUE_BYTES && kept > 0) value = valueOf(--kept);
  return serialize(flashCookieName(ctx), value, options(ctx, FLASH_MAX_AGE_SECONDS));
}

export function clearedFlashCookie(ctx: AppContext): string {
  return serialize(flashCookieName(ctx), '', options(ctx, 0));
}

/**
 * The flash of this request, validated (a damaged or foreign value is dropped), and whether a
 * cookie was there at all (then the answer must clear it).
 */
export function readFlash(ctx: AppContext, request: Request): { flash: Flash | null; present: boolean } {
  const header = request.headers.get('cookie');
  const raw = header ? parse(header)[flashCookieName(ctx)] : undefined;
  if (!raw) return { flash: null, present: false };
  try {
    return { flash: validFlash(JSON.parse(decode(raw))), present: true };
  } catch {
    return { flash: null, present: true };
  }
}

const isText = (v: unknown, max: number): v is string => typeof v === 'string' && v.length > 0 && v.length <= max;

/** Only the shape flashCookie writes: known type, bounded texts; anything else is no flash. */
export function validFlash(v: unknown): Flash | null {
  if (!v || typeof v !== 'object') return null;
  const f = v as Record<string, unknown>;
  if (!isText(f.id, 64) || (f.type !== 'success' && f.type !== 'error') || !isText(f.message, MAX_MESSAGE)) return null;
  const details =
    f.details === undefined
      ? undefined
      : Array.isArray(f.details) &&
          f.details.length <= MAX_DETAILS + 1 &&
          f.details.every(
            (d) =>
              Array.isArray(d) && (d.length === 2 || (d.length === 3 && isPath(d[2]))) && isText(d[0], 120) && typeof d[1] === 'string' && d[1].length <= 200,
          )
        ? (f.details as FlashDetail[])
        : null;
  if (details === null) return null;
  const s = f.secret as { label?: unknown; value?: unknown } | undefined;
  if (s !== undefined && (!s || !isText(s.label, 120) || !isText(s.value, 200))) return null;
  return {
    id: f.id,
    type: f.type,
    message: f.message,
    ...(details ? { details } : {}),
    ...(s ? { secret: { label: s.label as string, value: s.value as string } } : {}),
  };
}

/** After a successful write: back to `to` (the browser follows with a GET) with the message in the flash cookie. */
export function redirectWithFlash(ctx: AppContext, to: string, flash: FlashInput | string, init: { headers?: HeadersInit } = {}) {
  const headers = new Headers(init.headers);
  headers.append('Set-Cookie', flashCookie(ctx, typeof flash === 'string' ? { type: 'success', message: flash } : flash));
  return redirect(to, { headers });
}

function encode(text: string): string {
  const bytes = new TextEncoder().encode(text);
  let binary = '';
  for (const b of bytes) binary += String.fromCharCode(b);
  return btoa(binary).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

function decode(text: string): string {
  if (!/^[A-Za-z0-9_-]{1,4096}$/.test(text)) throw new Error('not base64url');
  const binary = atob(text.replace(/-/g, '+').replace(/_/g, '/'));
  return new TextDecoder('utf-8', { fatal: true }).decode(Uint8Array.from(binary, (c) => c.charCodeAt(0)));
}
