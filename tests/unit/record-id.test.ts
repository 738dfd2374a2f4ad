import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { idField, parseRecordId } from '../../app/core/ids/record-id';
import { idParam } from '../../app/web/route-id.server';

const notIds = ['', '0', '-1', '01', '1.5', '1e3', ' 7', '7 ', 'abc', '0x1f', '9007199254740993', '12345678901234567', '1;DROP TABLE clients'];

describe('the one id parser: a record id as text', () => {
  it.each(['1', '42', '9007199254740991'])('reads %j', (raw) => {
    expect(parseRecordId(raw)).toBe(Number(raw));
    expect(idParam(raw)).toBe(Number(raw));
    expect(idField('Choose one.').parse(raw)).toBe(Number(raw));
  });

  it.each(notIds)('refuses %j', (raw) => {
    expect(parseRecordId(raw)).toBeNull();
    expect(idParam(raw)).toBeNull();
    const parsed = idField('Choose one.').safeParse(raw);
    expect(parsed.success).toBe(false);
    expect(parsed.error?.issues[0].message).toBe('Choose one.');
  });

  it('refuses what is not text, with the same message when the field is missing', () => {
    expect(parseRecordId(undefined)).toBeNull();
    expect(parseRecordId(42)).toBeNull();
    expect(idParam(undefined)).toBeNull();
    const missing = z.object({ rowId: idField('Choose a row.') }).safeParse({});
    expect(missing.error?.issues.map((i) => [i.path.join('.'), i.message])).toEqual([['rowId', 'Choose a row.']]);
  });
});
