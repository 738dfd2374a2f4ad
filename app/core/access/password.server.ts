import bcrypt from 'bcryptjs';

/**
 * bcrypt (ASVS 5.0 appendix C lists it; cost >= 10): pure JS, so a hash made on Node verifies
 * identically on Workers. See docs/decisions for the cost chosen.
 */
export async function hashPassword(plain: string, cost: number): Promise<string> {
  return bcrypt.hash(plain, cost);
}

export async function verifyPassword(plain: string, hash: string): Promise<boolean> {
  return bcrypt.compare(plain, hash);
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
