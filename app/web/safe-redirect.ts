/**
 * Only same-site relative paths. Refuses "//evil.test", "/\evil.test" and any control character:
 * browsers strip tabs and newlines, so "/\t/evil.test" would become "//evil.test".
 */
export function safeRedirect(to: FormDataEntryValue | string | null | undefined, fallback = '/clients'): string {
  // eslint-disable-next-line no-control-regex -- control characters are what this refuses
  if (typeof to !== 'string' || !to.startsWith('/') || /[\u0000-\u001F\u007F\\]/.test(to)) return fallback;
  if (to.startsWith('//')) return fallback;
  // Resolve against a dummy origin: whatever the browser makes of it must stay on our origin.
  const resolved = new URL(to, 'http://self.invalid');
  return resolved.origin === 'http://self.invalid' ? to : fallback;
}
