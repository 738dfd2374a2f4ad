/**
 * Cross-site request refusal for every non-GET (ASVS 3.5.x): the browser's Origin must be ours,
 * or, without Origin, Sec-Fetch-Site must not say cross-site. Requests with neither header come
 * from non-browser clients, which carry no ambient cookies of ours, so they pass.
 */
const safeMethods = new Set(['GET', 'HEAD', 'OPTIONS']);

export function isCrossSiteWrite(method: string, headers: Headers, selfOrigin: string): boolean {
  if (safeMethods.has(method.toUpperCase())) return false;
  const origin = headers.get('origin');
  if (origin) return origin !== selfOrigin;
  const site = headers.get('sec-fetch-site');
  return site !== null && site !== 'same-origin' && site !== 'none';
}
