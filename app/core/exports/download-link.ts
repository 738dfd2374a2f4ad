// Signed download links (decision 093): "<export id>.<user id>.<expires ms>.<HMAC-SHA-256>", the MAC
// over the first three parts with EXPORT_LINK_SECRET. crypto.subtle: the same on Node and Workers;
// verify() compares in constant time. Runtime-neutral.

export interface DownloadClaim {
  exportId: number;
  userId: number;
  expiresAt: number;
}

const encoder = new TextEncoder();

async function keyOf(secret: string, usage: 'sign' | 'verify'): Promise<CryptoKey> {
  return crypto.subtle.importKey('raw', encoder.encode(secret), { name: 'HMAC', hash: 'SHA-256' }, false, [usage]);
}

function base64url(bytes: ArrayBuffer): string {
  let binary = '';
  for (const b of new Uint8Array(bytes)) binary += String.fromCharCode(b);
  return btoa(binary).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

function fromBase64url(text: string): Uint8Array<ArrayBuffer> | null {
  if (!/^[A-Za-z0-9_-]{43}$/.test(text)) return null;
  const binary = atob(text.replace(/-/g, '+').replace(/_/g, '/') + '=');
  const out = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) out[i] = binary.charCodeAt(i);
  return out;
}

export async function signDownload(claim: DownloadClaim, secret: string): Promise<string> {
  const payload = `${claim.exportId}.${claim.userId}.${claim.expiresAt}`;
  const mac = await crypto.subtle.sign('HMAC', await keyOf(secret, 'sign'), encoder.encode(payload));
  return `${payload}.${base64url(mac)}`;
}

/** The claim when the MAC is ours (expiry NOT checked here: the caller logs an expired link), else null. */
export async function verifyDownload(token: string, secret: string): Promise<DownloadClaim | null> {
  const m = /^([1-9]\d{0,15})\.([1-9]\d{0,15})\.(\d{1,16})\.([A-Za-z0-9_-]{43})$/.exec(token);
  if (!m) return null;
  const mac = fromBase64url(m[4]);
  if (!mac) return null;
  const ok = await crypto.subtle.verify('HMAC', await keyOf(secret, 'verify'), mac, encoder.encode(`${m[1]}.${m[2]}.${m[3]}`));
  return ok ? { exportId: Number(m[1]), userId: Number(m[2]), expiresAt: Number(m[3]) } : null;
}
