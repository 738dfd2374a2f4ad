// Sign-in hardening (issue 14 item 7, decision 095), on a real libSQL file with the real core:
// long passwords count past bcrypt's 72 bytes, old hashes are made again at today's cost, and a
// temporary password works only for its lifetime.
import bcrypt from 'bcryptjs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { checkPassword, hashPassword } from '../../app/core/access/password.server';
import { signIn } from '../../app/core/access/sign-in.server';
import { testContext, type TestAppContext } from '../support/app-context';
import { createTestDb, type TestDb } from '../support/db';
import { sqlRows } from '../support/sql';
import { createTestUser } from '../support/user-factory';

const EMAIL = 'hardened@demo.test';
const HOUR = 3_600_000;
let t: TestDb;
let ctx: TestAppContext;

beforeEach(async () => {
  t = await createTestDb();
  ctx = testContext({ db: t.db, env: { BCRYPT_COST: '5' } });
});
afterEach(() => t.close());

const hashOf = async (id: number) => String((await sqlRows(t.client, 'SELECT password_hash FROM users WHERE id = ?', [id]))[0].password_hash);
const setHash = (id: number, hash: string) => t.client.execute({ sql: 'UPDATE users SET password_hash = ? WHERE id = ?', args: [hash, id] });
const attempt = (password: string) => signIn(ctx, { email: EMAIL, password, userAgent: null });

describe('passwords longer than bcrypt reads (72 bytes)', () => {
  // 100 characters; the two differ only in their last character, far past byte 72.
  const long = 'correct horse battery staple '.repeat(4).slice(0, 99);
  it('every character counts: a password differing only after byte 72 is refused', async () => {
    await createTestUser(t.client, { email: EMAIL, password: long + 'A' });
    expect((await attempt(long + 'A')).ok).toBe(true);
    expect((await attempt(long + 'B')).ok).toBe(false);
    // bcrypt alone (the old way) could not tell them apart:
    const raw = await bcrypt.hash(long + 'A', 4);
    expect(await bcrypt.compare(long + 'B', raw)).toBe(true);
  });

  it('multi-byte characters are counted in bytes: 40 "ñ" (80 bytes) are pre-hashed too', async () => {
    const hash = await hashPassword('ñ'.repeat(40), 4);
    expect((await checkPassword('ñ'.repeat(40), hash, 4)).ok).toBe(true);
    expect((await checkPassword('ñ'.repeat(36) + 'n'.repeat(8), hash, 4)).ok).toBe(false);
  });

  it('a long password hashed the old way still signs in once, and its hash is made again the new way', async () => {
    const id = await createTestUser(t.client, { email: EMAIL, password: 'placeholder password' });
    await setHash(id, await bcrypt.hash(long + 'A', 5)); // before the SHA-256 step: only 72 bytes counted
    expect((await attempt(long + 'A')).ok).toBe(true);
    const rehashed = await hashOf(id);
    expect(await bcrypt.compare(long + 'A', rehashed)).toBe(false); // no longer the raw-bytes hash
    expect((await attempt(long + 'B')).ok).toBe(false); // and now the last character counts
    expect((await attempt(long + 'A')).ok).toBe(true);
  });
});

describe('rehash when the cost rises', () => {
  it("a hash below today's cost is replaced at the next successful sign-in; a failed one changes nothing", async () => {
    const id = await createTestUser(t.client, { email: EMAIL, password: 'a long enough password' }); // cost 4
    expect(bcrypt.getRounds(await hashOf(id))).toBe(4);
    expect((await attempt('a wrong password!!')).ok).toBe(false);
    expect(bcrypt.getRounds(await hashOf(id))).toBe(4);
    expect((await attempt('a long enough password')).ok).toBe(true);
    expect(bcrypt.getRounds(await hashOf(id))).toBe(5);
    expect((await attempt('a long enough password')).ok).toBe(true);
  });
});

describe('temporary passwords expire', () => {
  async function temporaryUser(issuedHoursAgo: number) {
    const id = await createTestUser(t.client, { email: EMAIL, password: 'temporary pass 1234' });
    await t.client.execute({
      sql: 'UPDATE users SET must_change_password = 1, password_changed_at = ? WHERE id = ?',
      args: [ctx.clock.now().getTime() - issuedHoursAgo * HOUR, id],
    });
    return id;
  }

  it('works within 72 hours of being issued', async () => {
    await temporaryUser(71);
    expect(await attempt('temporary pass 1234')).toMatchObject({ ok: true, user: { mustChangePassword: true } });
  });

  it('is refused (with the one generic failure) after 72 hours, and the refusal is logged', async () => {
    const id = await temporaryUser(73);
    expect(await attempt('temporary pass 1234')).toEqual({ ok: false, code: 'INVALID_CREDENTIALS' });
    const rows = await sqlRows(t.client, "SELECT action FROM activity_logs WHERE user_id = ? AND action LIKE 'auth.%'", [id]);
    expect(rows.map((r) => r.action)).toEqual(['auth.login_refused_expired_temporary']);
  });

  it('a password the user chose (must_change_password off) never expires this way', async () => {
    const id = await createTestUser(t.client, { email: EMAIL, password: 'chosen password 99' });
    await t.client.execute({ sql: 'UPDATE users SET password_changed_at = ? WHERE id = ?', args: [ctx.clock.now().getTime() - 5000 * HOUR, id] });
    expect((await attempt('chosen password 99')).ok).toBe(true);
  });

  it('an admin reset starts a new lifetime', async () => {
    const { resetPassword } = await import('../../app/core/users/lifecycle.server');
    const id = await temporaryUser(500);
    const admin = Number((await sqlRows(t.client, "SELECT id FROM users WHERE email = 'admin@demo.test'"))[0].id);
    const fresh = await resetPassword(ctx, admin, id);
    expect(await attempt(fresh)).toMatchObject({ ok: true });
  });
});
