// The 503 of an unavailable database (issue 14 "Faults", decision 121): a refused form says nothing was
// saved; a page that was only being read does not talk about saving (it saved nothing to begin with).
import type { ServerBuild } from '@remix-run/server-runtime';
import { describe, expect, it } from 'vitest';
import { withStoreUnavailableAs503 } from '../../app/web/store-unavailable.server';

const busy = () => {
  throw Object.assign(new Error('database is locked'), { code: 'SQLITE_BUSY' });
};
const build = withStoreUnavailableAs503({
  routes: { 'routes/x': { id: 'routes/x', path: 'x', module: { loader: busy, action: busy } } },
} as unknown as ServerBuild);
const mod = build.routes['routes/x'].module as unknown as Record<'loader' | 'action', (args: { request: Request; context: unknown }) => Promise<unknown>>;

async function answer(fn: 'loader' | 'action', method: string) {
  const thrown = await mod[fn]({ request: new Request('http://localhost/x', { method }), context: {} }).catch((e: unknown) => e);
  expect(thrown).toBeInstanceOf(Response);
  const response = thrown as Response;
  return { status: response.status, retryAfter: response.headers.get('Retry-After'), message: ((await response.json()) as { message: string }).message };
}

describe('503 when the database is unavailable', () => {
  it('a page being read: try again shortly, no word about saving', async () => {
    for (const method of ['GET', 'HEAD']) {
      const got = await answer('loader', method);
      expect(got).toMatchObject({ status: 503, retryAfter: '5' });
      expect(got.message).toBe('The database is busy or out of reach for a moment. Please try again shortly.');
    }
  });

  it('a form sent: nothing was saved, try again shortly', async () => {
    for (const method of ['POST', 'PUT', 'DELETE']) {
      const got = await answer('action', method);
      expect(got).toMatchObject({ status: 503, retryAfter: '5' });
      expect(got.message).toBe('The database is busy or out of reach for a moment. Nothing was saved; please try again shortly.');
    }
  });

  it('any other error is not turned into a 503', async () => {
    const other = withStoreUnavailableAs503({
      routes: {
        r: {
          id: 'r',
          module: {
            loader: () => {
              throw new Error('a bug');
            },
          },
        },
      },
    } as unknown as ServerBuild);
    const loader = other.routes.r.module.loader as unknown as (args: { request: Request; context: unknown }) => Promise<unknown>;
    await expect(loader({ request: new Request('http://localhost/r'), context: {} })).rejects.toThrow('a bug');
  });
});
