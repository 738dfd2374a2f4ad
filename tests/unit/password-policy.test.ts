import { describe, expect, it } from 'vitest';
import { changePasswordSchema, passwordProblem } from '../../app/core/access/password-policy.server';

const jose = { email: 'branch.mnla01@demo.test', fullName: 'Jose Dela Cruz' };

describe('password policy (12–128 characters, no composition rules)', () => {
  it('accepts a long passphrase without digits or symbols', () => {
    expect(passwordProblem('correct horse battery staple', jose)).toBeNull();
  });

  it('enforces the length bounds exactly', () => {
    expect(passwordProblem('x'.repeat(11), jose)).toBe('Use at least 12 characters.');
    expect(passwordProblem('kx7-plum-tea', jose)).toBeNull(); // 12
    expect(passwordProblem('quiet river '.repeat(11).slice(0, 128), jose)).toBeNull();
    expect(passwordProblem('quiet river '.repeat(11).slice(0, 129), jose)).toBe('Use at most 128 characters.');
    expect(passwordProblem('q'.repeat(20), jose)).toBe('That password is too common. Choose another.'); // one repeated character
  });

  it('rejects the most common passwords, whatever the case', () => {
    expect(passwordProblem('password1234', jose)).toBe('That password is too common. Choose another.');
    expect(passwordProblem('PassWord1234', jose)).toBe('That password is too common. Choose another.');
    expect(passwordProblem('demo-pass-2026', jose)).toBe('That password is too common. Choose another.');
  });

  it("rejects the user's own email or name inside the password", () => {
    const own = 'Do not use your name or email in your password.';
    expect(passwordProblem('branch.mnla01@demo.test', jose)).toBe(own);
    expect(passwordProblem('my-BRANCH.MNLA01-secret', jose)).toBe(own);
    expect(passwordProblem('Jose Dela Cruz 2026!', jose)).toBe(own);
    expect(passwordProblem('josedelacruz rocks', jose)).toBe(own);
  });
});

describe('change-password form', () => {
  it('needs the current password and two equal new ones', () => {
    const r = changePasswordSchema.safeParse({ currentPassword: '', newPassword: 'a long new passphrase', confirmPassword: 'a long new passphrase!' });
    expect(r.success).toBe(false);
    const messages = Object.fromEntries(r.error!.issues.map((i) => [String(i.path[0]), i.message]));
    expect(messages).toEqual({ currentPassword: 'Enter your current password.', confirmPassword: 'The two new passwords differ.' });
  });
});
