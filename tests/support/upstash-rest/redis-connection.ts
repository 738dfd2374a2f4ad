import net from 'node:net';
import { encodeCommand, RespError, RespParser, type RespReply } from './resp';

// One pipelined TCP connection to redis-server. Each send() is written as a single
// chunk and replies come back in order, so a MULTI ... EXEC block from one HTTP
// request can never interleave with another request's commands.

export interface RedisTarget {
  host: string;
  port: number;
  username?: string;
  password?: string;
  db?: number;
}

export function parseRedisUrl(url: string): RedisTarget {
  const parsed = new URL(url);
  if (parsed.protocol !== 'redis:') throw new Error(`expected a redis:// URL, got ${url}`);
  const db = parsed.pathname.replace(/^\//, '');
  return {
    host: parsed.hostname || '127.0.0.1',
    port: Number(parsed.port || 6379),
    username: parsed.username ? decodeURIComponent(parsed.username) : undefined,
    password: parsed.password ? decodeURIComponent(parsed.password) : undefined,
    db: db ? Number(db) : undefined,
  };
}

interface PendingBatch {
  expected: number;
  replies: RespReply[];
  resolve: (replies: RespReply[]) => void;
  reject: (error: Error) => void;
}

export class RedisConnection {
  private readonly queue: PendingBatch[] = [];
  private isClosed = false;

  private constructor(
    private readonly socket: net.Socket,
    private readonly label: string,
  ) {
    const parser = new RespParser((reply) => this.onReply(reply));
    socket.on('data', (chunk: Buffer) => {
      try {
        parser.push(chunk);
      } catch (error) {
        socket.destroy(error as Error);
      }
    });
    socket.on('error', () => {
      /* reported through 'close' */
    });
    socket.on('close', () => this.failAll(new Error(`redis connection to ${label} closed`)));
  }

  static async open(target: RedisTarget): Promise<RedisConnection> {
    const label = `${target.host}:${target.port}`;
    const socket = await new Promise<net.Socket>((resolve, reject) => {
      const s = net.createConnection({ host: target.host, port: target.port });
      s.once('connect', () => resolve(s));
      s.once('error', (error) => reject(new Error(`cannot connect to redis at ${label}: ${error.message}`)));
    });
    socket.setNoDelay(true);
    const connection = new RedisConnection(socket, label);
    const setup: string[][] = [];
    if (target.password) {
      setup.push(target.username ? ['AUTH', target.username, target.password] : ['AUTH', target.password]);
    }
    if (target.db !== undefined) setup.push(['SELECT', String(target.db)]);
    if (setup.length > 0) {
      const failed = (await connection.send(setup)).find((r) => r instanceof RespError);
      if (failed instanceof RespError) {
        connection.close();
        throw new Error(`redis at ${label} refused setup: ${failed.message}`);
      }
    }
    return connection;
  }

  get closed(): boolean {
    return this.isClosed;
  }

  /** Sends all commands in one write; resolves with one reply per command, errors included. */
  send(commands: ReadonlyArray<ReadonlyArray<string | Buffer>>): Promise<RespReply[]> {
    if (this.isClosed) return Promise.reject(new Error(`redis connection to ${this.label} is closed`));
    if (commands.length === 0) return Promise.resolve([]);
    return new Promise((resolve, reject) => {
      this.queue.push({ expected: commands.length, replies: [], resolve, reject });
      this.socket.write(Buffer.concat(commands.map((c) => encodeCommand(c))));
    });
  }

  close(): void {
    this.isClosed = true;
    this.socket.destroy();
  }

  private onReply(reply: RespReply): void {
    const head = this.queue[0];
    if (!head) {
      this.socket.destroy(new Error('redis sent a reply nobody asked for'));
      return;
    }
    head.replies.push(reply);
    if (head.replies.length === head.expected) {
      this.queue.shift();
      head.resolve(head.replies);
    }
  }

  private failAll(error: Error): void {
    this.isClosed = true;
    for (const pending of this.queue.splice(0)) pending.reject(error);
  }
}
