import { describe, expect, it } from 'vitest';
import { parsePhilippinePhone } from '../../app/core/clients/phone-numbers';

describe('parsePhilippinePhone', () => {
  it.each([
    ['09171234567', 'mobile', '09171234567'],
    [' 0917 123 4567 ', 'mobile', '09171234567'],
    ['+63-917-123-4567', 'mobile', '09171234567'],
    ['63 917 123 4567', 'mobile', '09171234567'],
    ['(02) 8123 4567', 'landline', '(02) 8123 4567'],
    ['0281234567', 'landline', '(02) 8123 4567'],
    ['+63 2 8123 4567', 'landline', '(02) 8123 4567'],
    ['032 234 5678', 'landline', '(032) 234 5678'],
    ['(088) 856.1234', 'landline', '(088) 856 1234'],
    ['+63 32 2345 6789', 'landline', '(032) 2345 6789'],
  ])('%j is a %s number stored as %j', (input, kind, canonical) => {
    expect(parsePhilippinePhone(input)).toEqual({ ok: true, kind, canonical });
  });

  it.each([
    '',
    '12345',
    '0917123456',
    '091712345678',
    '021234567',
    '0112345678',
    '+14155550100',
    '0917 123 4567 loc 2',
    '0917+1234567',
    '0063 917 123 4567',
    '0912345',
  ])('refuses %j', (input) => {
    expect(parsePhilippinePhone(input).ok).toBe(false);
  });
});
