// What the server log says when a route throws (issue 19 item 6): a thrown response or Remix's
// ErrorResponse is one line with its status (a warning when it is a refusal), never
// "[object Object]"; an unexpected error is an error line with its name and message.
import { describe, expect, it } from 'vitest';
import { handleError } from '../../app/entry.server';
import { createLogger } from '../../app/platform/logger';

function run(error: unknown) {
  const lines: string[] = [];
  const logger = createLogger({ level: 'debug', write: (line) => lines.push(line) });

  handleError(error, { request: new Request('http://127.0.0.1/clients?_data=routes%2Fnope'), context: { app: { logger } } as any });
  return lines.map((line) => JSON.parse(line) as Record<string, unknown>);
}

describe('handleError log lines', () => {
  it('a thrown 404 Response: one warning with the status and the path', () => {
    const [line, ...rest] = run(new Response('Not found', { status: 404 }));
    expect(rest).toEqual([]);
    expect(line).toMatchObject({ level: 'warn', msg: 'route answered an error response', status: 404, path: '/clients' });
    expect(JSON.stringify(line)).not.toContain('[object Object]');
  });

  it("Remix's ErrorResponse (status, statusText, data): the same, by its status", () => {
    const [line] = run({ status: 403, statusText: 'Forbidden', data: 'Route "routes/nope" does not match URL "/clients"', internal: true });
    expect(line).toMatchObject({ level: 'warn', status: 403 });
    expect(JSON.stringify(line)).not.toContain('[object Object]');
  });

  it('a thrown 503 stays an error line', () => {
    expect(run(new Response('', { status: 503 }))[0]).toMatchObject({ level: 'error', status: 503 });
  });

  it('an unexpected error: an error line naming it', () => {
    const [line] = run(new TypeError('x is undefined'));
    expect(line).toMatchObject({ level: 'error', msg: 'unhandled route error' });
    expect(JSON.stringify(line)).toContain('x is undefined');
  });
});
