import { describe, expect, it } from 'vitest';
import { parseClientListQuery } from '../../app/core/clients/list-query.server';

const parse = (qs: string) => parseClientListQuery(new URLSearchParams(qs));
const query = (qs: string) => {
  const r = parse(qs);
  if (!r.ok) throw new Error(`expected ok, got: ${r.message}`);
  return r.query;
};

describe('clients list query: paging is forgiving', () => {
  it('defaults to page 1 of 25, sorted by name ascending', () => {
    expect(query('')).toMatchObject({ page: 1, pageSize: 25, sort: 'name', dir: 'asc' });
  });

  it.each([
    ['page=-1', 1],
    ['page=0', 1],
    ['page=abc', 1],
    ['page=2.7', 2],
    ['page=Infinity', 1],
    ['page=', 1],
    ['page=3', 3],
  ])('%s → page %i', (qs, page) => {
    expect(query(qs).page).toBe(page);
  });

  it.each([
    ['pageSize=5000', 100],
    ['pageSize=100', 100],
    ['pageSize=abc', 25],
    ['pageSize=0', 1],
    ['pageSize=-20', 1],
    ['pageSize=10', 10],
  ])('%s → pageSize %i', (qs, size) => {
    expect(query(qs).pageSize).toBe(size);
  });

  it('falls back to the default sort and direction for unknown values and ignores unknown parameters', () => {
    expect(query('sort=password&dir=sideways&evil=1')).toMatchObject({ sort: 'name', dir: 'asc' });
    expect(query('sort=code&dir=desc')).toMatchObject({ sort: 'code', dir: 'desc' });
  });
});

describe('clients list query: filters are strict', () => {
  it('reads positive ids and trims the search text', () => {
    expect(query('branch=12&company=1&product=3&par=2&status=4&q=%20FC0001%20')).toMatchObject({
      branch: 12,
      company: 1,
      product: 3,
      par: 2,
      status: 4,
      q: 'FC0001',
    });
  });

  it('treats an empty filter as no filter', () => {
    const q = query('branch=&company=');
    expect(q.branch).toBeUndefined();
    expect(q.company).toBeUndefined();
  });

  it.each([
    ['branch=abc', 'Filter "branch" must be a positive whole number'],
    ['branch=-3', 'Filter "branch" must be a positive whole number'],
    ['branch=0', 'Filter "branch" must be a positive whole number'],
    ['company=1.5', 'Filter "company" must be a positive whole number'],
    ['status=NaN', 'Filter "status" must be a positive whole number'],
    ['branch=1e3', 'Filter "branch" must be a positive whole number'],
    ['branch=0x01', 'Filter "branch" must be a positive whole number'],
  ])('%s → "%s"', (qs, message) => {
    expect(parse(qs)).toEqual({ ok: false, message });
  });

  it('refuses a search longer than 100 characters with a message', () => {
    expect(parse(`q=${'a'.repeat(101)}`)).toEqual({ ok: false, message: 'Filter "q" Search is at most 100 characters.' });
    expect(query(`q=${'a'.repeat(100)}`).q).toHaveLength(100);
  });
});
