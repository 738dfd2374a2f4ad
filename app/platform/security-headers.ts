/** HSTS for a year, sub-domains included: sent only when the app is served over https (Secure cookies). */
const HSTS = 'max-age=31536000; includeSubDomains';

/**
 * Security headers shared by both hosts. The CSP allows scripts only with the request's nonce.
 * `https`: the deployment serves over TLS (cookies are Secure), so browsers are told never to use
 * plain http for it again (HSTS); a plain-http local demo must not send it (issue 14 item 7).
 */
export function securityHeaders(nonce: string, options: { https: boolean }): Record<string, string> {
  return {
    ...(options.https ? { 'Strict-Transport-Security': HSTS } : {}),
    'Content-Security-Policy': [
      "default-src 'self'",
      `script-src 'self' 'nonce-${nonce}'`,
      "style-src 'self'",
      "img-src 'self' data:",
      "connect-src 'self'",
      "form-action 'self'",
      "frame-ancestors 'none'",
      "base-uri 'none'",
      "object-src 'none'",
    ].join('; '),
    'X-Content-Type-Options': 'nosniff',
    'Referrer-Policy': 'strict-origin-when-cross-origin',
    'X-Frame-Options': 'DENY',
    'Permissions-Policy': 'camera=(), microphone=(), geolocation=()',
    'Cross-Origin-Opener-Policy': 'same-origin',
  };
}

export function randomNonce(): string {
  const bytes = new Uint8Array(16);
  crypto.getRandomValues(bytes);
  return btoa(String.fromCharCode(...bytes));
}
