import { dictionary } from '@zxcvbn-ts/language-common';
import { z } from 'zod';

// zxcvbn-ts's list of ~49,000 passwords most often seen in breaches (a maintained package, not our copy).
let common: Set<string> | undefined;
function commonPasswords(): Set<string> {
  common ??= new Set((dictionary['passwords-common'] as string[]).map((p) => p.toLowerCase()));
  return common;
}

// Passwords this project itself publishes (the demo logins in the README) are as good as known.
const published = new Set(['demo-pass-2026']);

/** Common as it is, or a common word padded with digits and symbols ("dragon123456!"). */
export function isCommonPassword(password: string): boolean {
  const lower = password.toLowerCase();
  const list = commonPasswords();
  const core = lower.replace(/[^a-z]+$/, '').replace(/^[^a-z]+/, '');
  return published.has(lower) || list.has(lower) || (core.length > 0 && core.length < lower.length && list.has(core)) || new Set(lower).size <= 2;
}

/** domain.md: 12–128 characters, no composition rules, not common, not the user's own name or email. */
export function passwordProblem(password: string, user: { email: string; fullName: string }): string | null {
  if (password.length < 12) return 'Use at least 12 characters.';
  if (password.length > 128) return 'Use at most 128 characters.';
  const lower = password.toLowerCase();
  if (isCommonPassword(password)) return 'That password is too common. Choose another.';
  const local = user.email.toLowerCase().split('@')[0];
  const name = user.fullName.toLowerCase().replace(/\s+/g, '');
  // Short names and mailbox parts ("a@…", "Jo") would match nearly any password: only check 4+ characters.
  const usesEmail = lower === user.email.toLowerCase() || (local.length >= 4 && lower.includes(local));
  const usesName = name.length >= 4 && lower.replace(/\s+/g, '').includes(name);
  if (usesEmail || usesName) {
    return 'Do not use your name or email in your password.';
  }
  return null;
}

export const changePasswordSchema = z
  .object({
    currentPassword: z.string().min(1, 'Enter your current password.').max(128),
    newPassword: z.string().max(128, 'Use at most 128 characters.'),
    confirmPassword: z.string(), // only compared: its length is newPassword's problem
  })
  .refine((v) => v.newPassword === v.confirmPassword, { path: ['confirmPassword'], message: 'The two new passwords differ.' });
