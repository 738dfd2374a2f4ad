import { createHash } from 'node:crypto';

// @upstash/ratelimit >= 2.1 starts its scripts with `#!lua flags=allow-key-locking`.
// allow-key-locking exists only on Upstash; stock Redis 7 rejects the whole script
// ("Unexpected flag in script shebang"). We drop flags Redis does not know and
// remember which SHA1 the client computed, so its EVALSHA still finds the script.

/** The script flags Redis 7.x accepts (redis.io/docs/latest/develop/interact/programmability/eval-intro). */
const REDIS_SCRIPT_FLAGS = new Set(['no-writes', 'allow-oom', 'allow-stale', 'no-cluster', 'allow-cross-slot-keys']);

export function sha1Hex(text: string): string {
  return createHash('sha1').update(text, 'utf8').digest('hex');
}

/** Returns the script with unknown `flags=` entries removed from a `#!lua` shebang; otherwise unchanged. */
export function stripUnknownShebangFlags(script: string): string {
  if (!script.startsWith('#!lua')) return script;
  const lineEnd = script.indexOf('\n');
  const line = lineEnd === -1 ? script : script.slice(0, lineEnd);
  const [engine, ...options] = line.trim().split(/\s+/);
  if (engine !== '#!lua') return script; // e.g. "#!luajit": let Redis report it
  const kept = options.flatMap((option) => {
    if (!option.startsWith('flags=')) return [option]; // unknown options are real errors; keep them
    const flags = option
      .slice('flags='.length)
      .split(',')
      .filter((flag) => REDIS_SCRIPT_FLAGS.has(flag));
    return flags.length > 0 ? [`flags=${flags.join(',')}`] : [];
  });
  // Same line count as the original, so Redis's error line numbers still match the client's script.
  return [engine, ...kept].join(' ') + script.slice(line.length);
}

/** Client SHA1 → SHA1 of the script Redis actually stores. */
export class ScriptShaMap {
  private readonly toRedisSha = new Map<string, string>();

  /** Rewrites a script for Redis and records the SHA mapping; returns the script to send and the client's SHA. */
  rewrite(script: string): { script: string; clientSha: string } {
    const clientSha = sha1Hex(script);
    const rewritten = stripUnknownShebangFlags(script);
    if (rewritten !== script) this.toRedisSha.set(clientSha, sha1Hex(rewritten));
    return { script: rewritten, clientSha };
  }

  redisSha(clientSha: string): string {
    return this.toRedisSha.get(clientSha.toLowerCase()) ?? clientSha;
  }
}
