// RESP2 codec: just enough for a proxy that must pass replies through byte-exact.
// Simple strings stay JS strings and bulk strings stay Buffers, so the status "OK"
// and a stored value "OK" remain distinguishable (Upstash treats them differently).

export class RespError {
  constructor(readonly message: string) {}
}

export type RespReply = string | Buffer | number | null | RespError | RespReply[];

const CRLF = Buffer.from('\r\n');

export function encodeCommand(args: ReadonlyArray<string | Buffer>): Buffer {
  const parts: Buffer[] = [Buffer.from(`*${args.length}\r\n`)];
  for (const arg of args) {
    const bytes = typeof arg === 'string' ? Buffer.from(arg, 'utf8') : arg;
    parts.push(Buffer.from(`$${bytes.length}\r\n`), bytes, CRLF);
  }
  return Buffer.concat(parts);
}

interface ArrayFrame {
  remaining: number;
  items: RespReply[];
}

/** Incremental parser: feed socket chunks, get one callback per complete top-level reply. */
export class RespParser {
  private buf = Buffer.alloc(0);
  private pos = 0;
  private pending: Buffer[] = [];
  private pendingBytes = 0;
  // Bytes (from pos) the parser is known to need before it can progress; avoids
  // re-concatenating a large bulk string on every 64 KB chunk.
  private needBytes = 0;
  private readonly stack: ArrayFrame[] = [];

  constructor(private readonly onReply: (reply: RespReply) => void) {}

  push(chunk: Buffer): void {
    this.pending.push(chunk);
    this.pendingBytes += chunk.length;
    if (this.buf.length - this.pos + this.pendingBytes < this.needBytes) return;
    this.buf = Buffer.concat([this.buf.subarray(this.pos), ...this.pending]);
    this.pos = 0;
    this.pending = [];
    this.pendingBytes = 0;
    this.needBytes = 0;
    while (this.readToken()) {
      /* keep reading */
    }
  }

  /** Consumes one complete token; false when more bytes are needed. */
  private readToken(): boolean {
    const { buf, pos } = this;
    if (pos >= buf.length) return false;
    const lineEnd = buf.indexOf(CRLF, pos);
    if (lineEnd === -1) {
      this.needBytes = buf.length - pos + 1;
      return false;
    }
    const type = String.fromCharCode(buf[pos]);
    const line = buf.toString('utf8', pos + 1, lineEnd);
    const afterLine = lineEnd + 2;
    switch (type) {
      case '+':
        return this.consume(afterLine, line);
      case '-':
        return this.consume(afterLine, new RespError(line));
      case ':':
        return this.consume(afterLine, Number(line));
      case '$': {
        const length = Number(line);
        if (length < 0) return this.consume(afterLine, null);
        const end = afterLine + length + 2;
        if (end > buf.length) {
          this.needBytes = end - pos;
          return false;
        }
        // Copy so a small value does not pin the whole read buffer.
        return this.consume(end, Buffer.from(buf.subarray(afterLine, afterLine + length)));
      }
      case '*': {
        const length = Number(line);
        if (length < 0) return this.consume(afterLine, null);
        if (length === 0) return this.consume(afterLine, []);
        this.pos = afterLine;
        this.stack.push({ remaining: length, items: [] });
        return true;
      }
      default:
        throw new Error(`RESP protocol error: unexpected type byte ${JSON.stringify(type)}`);
    }
  }

  private consume(nextPos: number, value: RespReply): boolean {
    this.pos = nextPos;
    let current = value;
    for (;;) {
      const frame = this.stack.at(-1);
      if (!frame) {
        this.onReply(current);
        return true;
      }
      frame.items.push(current);
      if (--frame.remaining > 0) return true;
      this.stack.pop();
      current = frame.items;
    }
  }
}
