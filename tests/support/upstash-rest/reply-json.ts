import { RespError, type RespReply } from './resp';

// Upstash reply encoding, as @upstash/redis 1.39 decodes it (pkg/http.ts `decode`):
// with `Upstash-Encoding: base64` a top-level string is base64 unless it is the literal
// "OK"; strings inside arrays are always base64-decoded by the client, so there even a
// status "OK" must be base64. Numbers and null pass through; arrays go element-wise.

export type JsonValue = string | number | null | JsonValue[];
export type ResultEntry = { result: JsonValue } | { error: string };

export function replyToJson(reply: RespReply, base64: boolean, topLevel = true): JsonValue {
  if (reply === null || typeof reply === 'number') return reply;
  if (Array.isArray(reply)) return reply.map((item) => replyToJson(item, base64, false));
  if (reply instanceof RespError) return encodeText(Buffer.from(reply.message), base64);
  if (typeof reply === 'string') {
    if (topLevel && reply === 'OK') return 'OK';
    return encodeText(Buffer.from(reply), base64);
  }
  return encodeText(reply, base64);
}

export function toResultEntry(reply: RespReply, base64: boolean): ResultEntry {
  if (reply instanceof RespError) return { error: reply.message };
  return { result: replyToJson(reply, base64) };
}

function encodeText(bytes: Buffer, base64: boolean): string {
  return base64 ? bytes.toString('base64') : bytes.toString('utf8');
}
