/** Only same-site relative paths: never "//evil.test" or "https://…" (open redirect). */
export function safeRedirect(to: FormDataEntryValue | string | null | undefined, fallback = "/clients"): string {
  if (typeof to !== "string" || !to.startsWith("/") || to.startsWith("//") || to.startsWith("/\\")) return fallback;
  return to;
}
