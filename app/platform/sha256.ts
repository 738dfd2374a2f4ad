/**
 * SHA-256 of a UTF-8 string as lowercase hex, for the per-request hashes (the session token, the
 * dashboard's scope key). On Node, node:crypto's synchronous hash: WebCrypto's digest is a thread-pool
 * job there, which cost more than the hash itself on every signed-in request (issue 13 item 3). It is
 * reached through process.getBuiltinModule so that this module imports nothing a browser or workerd
 * build would have to resolve; where it is missing, WebCrypto. Both give the same digest.
 */
type NodeHash = { update(text: string | Uint8Array, encoding?: 'utf8'): NodeHash; digest(encoding: 'hex'): string; digest(): Uint8Array };
type NodeCrypto = {
  createHash(algorithm: 'sha256'): NodeHash;
  createHmac(algorithm: 'sha256', key: string | Uint8Array): NodeHash;
  timingSafeEqual(a: Uint8Array, b: Uint8Array): boolean;
};

/** node:crypto where the runtime has it (Node), else null (browsers, workerd without the flag). */
export const nodeCrypto = (() => {
  const proc = (globalThis as { process?: { getBuiltinModule?: (id: string) => unknown } }).process;
  const mod = typeof proc?.getBuiltinModule === 'function' ? (proc.getBuiltinModule('node:crypto') as Partial<NodeCrypto> | undefined) : undefined;
  return typeof mod?.createHash === 'function' ? (mod as NodeCrypto) : null;
})();

export async function sha256Hex(text: string): Promise<string> {
  if (nodeCrypto) return nodeCrypto.createHash('sha256').update(text, 'utf8').digest('hex');
  return sha256HexWeb(text);
}

/** The WebCrypto path (exported for the test that holds both paths to one answer). */
export async function sha256HexWeb(text: string): Promise<string> {
  const digest = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(text));
  return Array.from(new Uint8Array(digest), (b) => b.toString(16).padStart(2, '0')).join('');
}
