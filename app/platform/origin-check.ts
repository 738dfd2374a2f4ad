/**
 * Cross-site request refusal for every non-GET (ASVS 3.5.x): the browser's Origin must be ours,
 * or, without Origin, Sec-Fetch-Site must not say cross-site. A request with neither header passes
 * only when it carries no session cookie of ours (a script or a monitor): with the cookie, it is
 * a write on someone's behalf that no browser of ours would send that way (issue 14 item 7).
 */
const safeMethods = new Set(['GET', 'HEAD', 'OPTIONS']);
/** Our session cookie under either name (cu_session, or __Host-cu_session in production). */
const SESSION_COOKIE = /(?:^|;)\s*(?:__Host-)?cu_session=/;

export function isCrossSiteWrite(method: string, headers: Headers, selfOrigin: string): boolean {
  if (safeMethods.has(method.toUpperCase())) return false;
  const origin = headers.get('origin');
  if (origin) return origin !== selfOrigin;
  const site = headers.get('sec-fetch-site');
  if (site === null) return SESSION_COOKIE.test(headers.get('cookie') ?? '');
  return site !== 'same-origin' && site !== 'none';
}
