// The route modules as Remix 2's flat routes see them (flat files, and each folder's route module;
// remix.config.js ignores dotfiles and *.test.*) and the URL pattern each file name gives. One walk
// for every suite that covers "every route": the access matrix, the fuzz suite, the error boundaries.
import { readdirSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROUTES_DIR = resolve(dirname(fileURLToPath(import.meta.url)), '../../app/routes');
export const ROUTE_EXT = /\.(tsx|ts|jsx|js)$/;

/** Route modules as Remix's flat routes see them: flat files and each folder's route.tsx (remix.config.js ignores dotfiles and *.test.*). */
export function routeModules(): string[] {
  const found: string[] = [];
  for (const name of readdirSync(ROUTES_DIR).sort()) {
    if (name.startsWith('.') || /\.test\./.test(name)) continue;
    const full = join(ROUTES_DIR, name);
    if (statSync(full).isDirectory()) {
      const route = readdirSync(full).find((f) => /^route\.(tsx|ts|jsx|js)$/.test(f));
      if (route) found.push(`${name}/${route}`);
    } else if (ROUTE_EXT.test(name)) {
      found.push(name);
    }
  }
  return found;
}

/** The URL pattern Remix v2 flat routes give a file name ("admin.users.$id.tsx" → "/admin/users/:id"). */
export function urlPatternOf(file: string): string {
  const stem = file.replace(/\/route\.(tsx|ts|jsx|js)$/, '').replace(ROUTE_EXT, '');
  const segments: string[] = [];
  let current = '';
  let escaped = false;
  for (const ch of stem) {
    if (ch === '[') escaped = true;
    else if (ch === ']') escaped = false;
    else if (ch === '.' && !escaped) {
      segments.push(current);
      current = '';
    } else current += ch;
  }
  segments.push(current);
  const url = segments
    .filter((s) => s !== '_index' && !(s.startsWith('_') && !s.startsWith('__')))
    .map((s) => (s.endsWith('_') ? s.slice(0, -1) : s))
    .map((s) => (s === '$' ? '*' : s.startsWith('$') ? `:${s.slice(1)}` : s));
  return `/${url.join('/')}`;
}
