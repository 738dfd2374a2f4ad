// Routes own their screens (issue 10, decision 087): a screen with several forms (intents) is a route
// folder with its handlers beside it (route.tsx + *.server.ts), and app/web keeps only the HTTP
// plumbing every route shares. A new per-screen handler in app/web, or a multi-form screen left as
// one flat file, fails here with the file named.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const root = path.resolve(__dirname, '../..');
const routesDir = path.join(root, 'app/routes');

/** What app/web is for: one line each, so a newcomer sees why a file belongs there. */
const WEB_PLUMBING: Record<string, string> = {
  'authenticator.server.ts': 'sign-in strategy (remix-auth)',
  'config-gate.server.ts': 'the config screens’ gate, reach and logged 403',
  'flash.server.ts': 'the flash cookie of post/redirect/get',
  'form-errors.ts': 'zod issues → field errors',
  'form-protocol.server.ts': 'the one form protocol (read, reply, answerWrite)',
  'http-errors.server.ts': 'thrown 400/403/404/409 responses',
  'public-limit.server.ts': 'the rate limit of public pages',
  'require-staff.server.ts': 'the gate',
  'route-id.server.ts': 'the id of a route param (server only: the browser build drops it, decision 110)',
  'limits-beside-reads.server.ts': "on the Workers host, a loader's rate-limit check runs beside its reads (decision 103)",
  'safe-redirect.ts': 'same-site redirect targets',
  'session-cookie.server.ts': 'the session cookie',
  'session-hint.server.ts': 'the signed user-id cookie beside the session cookie: the limit check starts beside the session read (decision 109)',
  'store-unavailable.server.ts': 'an unreachable or locked database answered as 503 on both hosts',
};

/** The distinct intents a route module's forms post (hidden inputs, intent props, reply intents). */
function intentsOf(source: string): Set<string> {
  const found = new Set<string>();
  const patterns = [/name="intent"\s+value="([\w-]+)"/g, /\bintent="([\w-]+)"/g, /\bintent === '([\w-]+)'/g];
  for (const pattern of patterns) for (const m of source.matchAll(pattern)) found.add(m[1]);
  // A switch over the intent is a dispatcher of several forms, whatever its cases are called.
  if (/switch \([\w.]*intent\)/.test(source)) found.add('(switch over intent)').add('(its cases)');
  return found;
}

describe('route shape', () => {
  it('app/web holds only the shared HTTP plumbing', () => {
    const files = readdirSync(path.join(root, 'app/web')).sort();
    expect(files.filter((f) => !(f in WEB_PLUMBING))).toEqual([]);
  });

  it('a screen with several intents is a route folder with its handlers colocated', () => {
    const flatWithSeveral: string[] = [];
    for (const name of readdirSync(routesDir)) {
      const full = path.join(routesDir, name);
      if (statSync(full).isDirectory()) continue;
      const intents = intentsOf(readFileSync(full, 'utf8'));
      if (intents.size > 1) flatWithSeveral.push(`${name}: ${[...intents].join(', ')}`);
    }
    expect(flatWithSeveral).toEqual([]);
  });

  it('each route folder has a route module and keeps its server handlers in *.server.ts files', () => {
    const folders = readdirSync(routesDir).filter((name) => statSync(path.join(routesDir, name)).isDirectory());
    expect(folders.length).toBeGreaterThanOrEqual(9);
    for (const folder of folders) {
      const files = readdirSync(path.join(routesDir, folder));
      expect(files, folder).toContain('route.tsx');
      expect(
        files.filter((f) => f !== 'route.tsx' && !f.endsWith('.server.ts')),
        folder,
      ).toEqual([]);
    }
  });

  it('no route or app/web module asks for access again (scopeOf, permissionCodes): the gate hands it over', () => {
    const files = (dir: string): string[] =>
      readdirSync(dir).flatMap((name) => {
        const full = path.join(dir, name);
        return statSync(full).isDirectory() ? files(full) : [full];
      });
    const asking = [...files(routesDir), ...files(path.join(root, 'app/web'))]
      .filter((file) => /\b(scopeOf|permissionCodes)\(args\b|\bscopeOf\b/.test(readFileSync(file, 'utf8')))
      .map((file) => path.relative(root, file));
    expect(asking).toEqual([]);
  });

  it('the check sees a multi-form screen: the client page has every one of its intents', () => {
    const source = ['route.tsx', 'tele.server.ts'].map((f) => readFileSync(path.join(routesDir, 'clients.$id', f), 'utf8')).join('\n');
    const uiTele = readdirSync(path.join(root, 'app/ui/tele')).map((f) => readFileSync(path.join(root, 'app/ui/tele', f), 'utf8'));
    const intents = intentsOf([source, ...uiTele].join('\n'));
    for (const intent of ['contact', 'reinstate', 'status']) expect(intents.has(intent) || source.includes(`'${intent}'`), intent).toBe(true);
    expect(intentsOf(`<input type="hidden" name="intent" value="a" /> <Button intent="b" />`)).toEqual(new Set(['a', 'b']));
    expect(intentsOf(`switch (input.intent) { case 'x': }`).size).toBeGreaterThan(1);
  });
});
