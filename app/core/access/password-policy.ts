import { z } from "zod";

// The most common passwords of 12+ characters (breach corpora); the access issue replaces this with a full list.
const common = new Set([
  "123456789012", "qwertyuiopas", "password1234", "passwordpassword", "iloveyou1234", "123456789abc",
  "qwerty123456", "111111111111", "000000000000", "abcdefghijkl", "password123!", "letmein12345",
  "welcome12345", "changeme1234", "administrator", "demo-pass-2026",
]);

/** domain.md: 12–128 characters, no composition rules, not common, not the user's own name or email. */
export function passwordProblem(password: string, user: { email: string; fullName: string }): string | null {
  if (password.length < 12) return "Use at least 12 characters.";
  if (password.length > 128) return "Use at most 128 characters.";
  const lower = password.toLowerCase();
  if (common.has(lower)) return "That password is too common. Choose another.";
  const local = user.email.toLowerCase().split("@")[0];
  const name = user.fullName.toLowerCase().replace(/\s+/g, "");
  // Short names and mailbox parts ("a@…", "Jo") would match nearly any password: only check 4+ characters.
  const usesEmail = lower === user.email.toLowerCase() || (local.length >= 4 && lower.includes(local));
  const usesName = name.length >= 4 && lower.replace(/\s+/g, "").includes(name);
  if (usesEmail || usesName) {
    return "Do not use your name or email in your password.";
  }
  return null;
}

export const changePasswordSchema = z
  .object({
    currentPassword: z.string().min(1, "Enter your current password.").max(128),
    newPassword: z.string().max(128, "Use at most 128 characters."),
    confirmPassword: z.string().max(128),
  })
  .refine((v) => v.newPassword === v.confirmPassword, { path: ["confirmPassword"], message: "The two new passwords differ." });
