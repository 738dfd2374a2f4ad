import { describe, expect, it } from 'vitest';
import { sha256Hex, sha256HexWeb } from '../../app/platform/sha256';
import { hashSessionToken } from '../../app/core/access/session-token';

describe('sha256Hex', () => {
  it('gives the known SHA-256 digests', async () => {
    expect(await sha256Hex('')).toBe('e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855');
    expect(await sha256Hex('abc')).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
  });

  it('gives what WebCrypto gives, also for text beyond ASCII (the stored session hashes stay valid)', async () => {
    for (const text of ['', 'abc', 'ñ Piñas — ₱', 'A'.repeat(43), 'x'.repeat(10_000)]) {
      expect(await sha256Hex(text)).toBe(await sha256HexWeb(text));
    }
    const token = 'k3Vw0_aQ-9zYt1PxR7mB2cN5dE8fG4hJ6iL0oS3uT1v';
    expect(await hashSessionToken(token)).toBe(await sha256HexWeb(token));
  });
});
