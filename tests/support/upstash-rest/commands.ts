import { ScriptShaMap } from './lua-shebang';
import type { RespReply } from './resp';

// Turns one Upstash JSON command into the RESP command we send to redis-server.

export type Translation = { kind: 'send'; args: string[]; fixReply?: (reply: RespReply) => RespReply } | { kind: 'reject'; error: string };

/** Thrown for a request body that is not a command at all; the whole request gets a 400. */
export class BadRequestError extends Error {}

// All requests share one redis connection, so commands that change or block that
// connection's state would leak into other requests. Upstash does not offer them
// over REST either (pub/sub there is a separate streaming endpoint).
const CONNECTION_STATE_COMMANDS = new Set([
  'multi',
  'exec',
  'discard',
  'watch',
  'unwatch',
  'select',
  'swapdb',
  'auth',
  'hello',
  'quit',
  'reset',
  'client',
  'monitor',
  'subscribe',
  'psubscribe',
  'ssubscribe',
  'unsubscribe',
  'punsubscribe',
  'sunsubscribe',
  'sync',
  'psync',
  'replicaof',
  'slaveof',
  'shutdown',
  'debug',
  'blpop',
  'brpop',
  'brpoplpush',
  'blmove',
  'blmpop',
  'bzpopmin',
  'bzpopmax',
  'bzmpop',
  'wait',
  'waitaof',
]);

export function toCommandArgs(raw: unknown): string[] {
  if (!Array.isArray(raw) || raw.length === 0) {
    throw new BadRequestError('ERR a command must be a non-empty JSON array like ["GET","key"]');
  }
  return raw.map((arg) => {
    if (typeof arg === 'string') return arg;
    if (typeof arg === 'number' || typeof arg === 'boolean') return String(arg);
    throw new BadRequestError(`ERR command arguments must be strings, numbers or booleans, got ${JSON.stringify(arg)}`);
  });
}

export class CommandTranslator {
  private readonly scripts = new ScriptShaMap();

  translate(raw: unknown): Translation {
    const args = toCommandArgs(raw);
    const name = args[0].toLowerCase();
    const blocksStream = (name === 'xread' || name === 'xreadgroup') && args.some((a) => a.toLowerCase() === 'block');
    if (CONNECTION_STATE_COMMANDS.has(name) || blocksStream) {
      return { kind: 'reject', error: `ERR ${args[0]} is not supported by the local Upstash REST stand-in` };
    }
    if ((name === 'eval' || name === 'eval_ro') && args.length > 1) {
      args[1] = this.scripts.rewrite(args[1]).script;
    } else if ((name === 'evalsha' || name === 'evalsha_ro') && args.length > 1) {
      args[1] = this.scripts.redisSha(args[1]);
    } else if (name === 'script' && args.length > 1) {
      return this.translateScript(args);
    }
    return { kind: 'send', args };
  }

  private translateScript(args: string[]): Translation {
    const sub = args[1].toLowerCase();
    if (sub === 'load' && args.length === 3) {
      const { script, clientSha } = this.scripts.rewrite(args[2]);
      // The client compares the answer with sha1(its own script), so answer with that.
      const fixReply = (reply: RespReply) => (Buffer.isBuffer(reply) ? Buffer.from(clientSha) : reply);
      return { kind: 'send', args: [args[0], args[1], script], fixReply };
    }
    if (sub === 'exists') {
      return { kind: 'send', args: [...args.slice(0, 2), ...args.slice(2).map((sha) => this.scripts.redisSha(sha))] };
    }
    return { kind: 'send', args };
  }
}
