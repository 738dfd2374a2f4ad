import bcrypt from 'bcryptjs';

/**
 * bcrypt (ASVS 5.0 appendix C lists it; cost >= 10): pure JS, so a hash made on Node verifies
 * identically on Workers. See docs/decisions for the cost chosen.
 *
 * bcrypt reads at most 72 bytes: a longer password (domain.md allows 128 characters, up to 512
 * bytes in UTF-8) is first reduced to its SHA-256 in base64 (44 bytes, no NUL), so every byte
 * counts (decision 095). Passwords of 72 bytes or fewer are hashed as they are, as before.
 */
const BCRYPT_MAX_BYTES = 72;

async function bcryptInput(plain: string): Promise<string> {
  const bytes = new TextEncoder().encode(plain);
  if (bytes.byteLength <= BCRYPT_MAX_BYTES) return plain;
  const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', bytes));
  return `sha256:${btoa(String.fromCharCode(...digest))}`;
}

export async function hashPassword(plain: string, cost: number): Promise<string> {
  return bcrypt.hash(await bcryptInput(plain), cost);
}

/**
 * Whether `plain` matches `hash`, and whether the hash should be made again: its cost is below
 * today's, or it is a long password's hash from before the SHA-256 step (it matched only its first
 * 72 bytes). The caller rehashes after a successful sign-in, when it has the password in hand.
 */
export async function checkPassword(plain: string, hash: string, cost: number): Promise<{ ok: boolean; rehash: boolean }> {
  const input = await bcryptInput(plain);
  if (await bcrypt.compare(input, hash)) return { ok: true, rehash: bcrypt.getRounds(hash) < cost };
  // A long password hashed before the SHA-256 step: bcrypt kept only its first 72 bytes.
  if (input !== plain && (await bcrypt.compare(plain, hash))) return { ok: true, rehash: true };
  return { ok: false, rehash: false };
}

export async function verifyPassword(plain: string, hash: string): Promise<boolean> {
  return (await checkPassword(plain, hash, 0)).ok;
}

// A real hash of a random string, made once per cost: unknown users cost the same compare as known ones.
const dummyHashes = new Map<number, Promise<string>>();
export function dummyHash(cost: number): Promise<string> {
  let hash = dummyHashes.get(cost);
  if (!hash) {
    hash = bcrypt.hash(crypto.randomUUID(), cost);
    dummyHashes.set(cost, hash);
  }
  return hash;
}
