import { describe, expect, it } from 'vitest';
import { isCrossSiteWrite } from '../../app/platform/origin-check';

const self = 'https://app.example.ph';
const headers = (h: Record<string, string>) => new Headers(h);

describe('cross-site write refusal (Origin, then Sec-Fetch-Site)', () => {
  it.each([
    // method, headers, refused?
    ['POST', { origin: self }, false],
    ['POST', { origin: 'https://evil.test' }, true],
    ['POST', { origin: 'http://app.example.ph' }, true], // scheme differs
    ['POST', { origin: 'https://app.example.ph:8443' }, true], // port differs
    ['POST', { origin: 'null' }, true], // sandboxed frame, data: URL
    ['POST', { origin: 'https://evil.test', 'sec-fetch-site': 'same-origin' }, true], // Origin wins
    ['POST', { 'sec-fetch-site': 'cross-site' }, true],
    ['POST', { 'sec-fetch-site': 'same-site' }, true],
    ['POST', { 'sec-fetch-site': 'same-origin' }, false],
    ['POST', { 'sec-fetch-site': 'none' }, false], // typed in the address bar
    ['POST', {}, false], // not a browser: carries no cookies of ours
    ['POST', { cookie: 'cu_session=abc' }, true], // neither header, but our session: refused
    ['POST', { cookie: 'theme=dark; __Host-cu_session=abc' }, true],
    ['POST', { cookie: 'theme=dark; not_cu_session=abc' }, false], // someone else's cookie name
    ['POST', { cookie: 'cu_session=abc', 'sec-fetch-site': 'same-origin' }, false],
    ['PUT', { origin: 'https://evil.test' }, true],
    ['DELETE', { origin: 'https://evil.test' }, true],
    ['PATCH', { 'sec-fetch-site': 'cross-site' }, true],
    ['post', { origin: 'https://evil.test' }, true],
    ['GET', { origin: 'https://evil.test' }, false],
    ['HEAD', { 'sec-fetch-site': 'cross-site' }, false],
    ['OPTIONS', { origin: 'https://evil.test' }, false],
  ] as const)('%s with %j → refused: %s', (method, h, refused) => {
    expect(isCrossSiteWrite(method, headers(h), self)).toBe(refused);
  });
});
