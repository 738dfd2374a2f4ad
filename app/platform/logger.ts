/** Structured JSON logs, one line per event. Secrets and personal data never go out whole. */
export type LogLevel = 'debug' | 'info' | 'warn' | 'error';
export type LogFields = Record<string, unknown>;

export interface Logger {
  debug(msg: string, fields?: LogFields): void;
  info(msg: string, fields?: LogFields): void;
  warn(msg: string, fields?: LogFields): void;
  error(msg: string, fields?: LogFields): void;
  child(fields: LogFields): Logger;
}

const levelRank: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40 };
const secretKey = /pass(word)?|token|secret|cookie|authorization|session/i;
const personalKey = /^(email|phone|contact|pension_?number|full_?name)$/i;

/** Replaces secrets with "[redacted]" and masks personal data (keeps 2 first chars). */
export function redact(value: unknown, key = '', depth = 0): unknown {
  if (value === null || value === undefined) return value;
  if (secretKey.test(key)) return '[redacted]';
  if (typeof value === 'string' && personalKey.test(key)) return maskText(value);
  if (depth > 4) return '[deep]';
  if (Array.isArray(value)) return value.map((v) => redact(v, key, depth + 1));
  if (value instanceof Error) return { name: value.name, message: value.message };
  if (typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value as Record<string, unknown>)) out[k] = redact(v, k, depth + 1);
    return out;
  }
  return value;
}

export function maskText(text: string): string {
  return text.length <= 2 ? '**' : `${text.slice(0, 2)}${'*'.repeat(Math.min(text.length - 2, 6))}`;
}

export function createLogger(opts: { level?: LogLevel; base?: LogFields; write?: (line: string) => void }): Logger {
  const min = levelRank[opts.level ?? 'info'];
  const base = opts.base ?? {};
  const write = opts.write ?? ((line: string) => console.log(line));
  const emit = (level: LogLevel, msg: string, fields?: LogFields) => {
    if (levelRank[level] < min) return;
    const record = { ts: new Date().toISOString(), level, msg, ...base, ...(redact(fields ?? {}) as LogFields) };
    write(JSON.stringify(record));
  };
  return {
    debug: (m, f) => emit('debug', m, f),
    info: (m, f) => emit('info', m, f),
    warn: (m, f) => emit('warn', m, f),
    error: (m, f) => emit('error', m, f),
    child: (fields) => createLogger({ level: opts.level, base: { ...base, ...fields }, write }),
  };
}
