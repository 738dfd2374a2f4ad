// Generated malformed requests for the fuzz suite (issue 14, issue 19 items 4–6): a seeded RNG (no
// dependency: mulberry32) and one generator per kind of bad input. A case is built from a route's
// template form (a real form the screen posts, from the access matrix) and damaged in one way, so the
// request gets past the gate and as deep into the action as that damage allows.

/** A small, fast, seeded PRNG (mulberry32): the same seed gives the same cases on every machine. */
export interface Rng {
  next(): number;
  int(n: number): number;
  pick<T>(items: readonly T[]): T;
  chance(p: number): boolean;
}

export function seededRng(seed: number): Rng {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const int = (n: number) => Math.floor(next() * n);
  return { next, int, pick: (items) => items[int(items.length)], chance: (p) => next() < p };
}

/** A stable 32-bit seed from text (FNV-1a), so each route × role × case has its own stream. */
export function seedOf(...parts: (string | number)[]): number {
  let h = 0x811c9dc5;
  for (const ch of parts.join('\u0001')) {
    h ^= ch.codePointAt(0)!;
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h;
}

/** Keys every plain object inherits: a lookup `table[input]` finds them unless it uses a Map or Object.hasOwn. */
export const INHERITED_KEYS = ['constructor', '__proto__', 'toString', 'hasOwnProperty', 'valueOf', 'isPrototypeOf', 'prototype'] as const;

export const NUMBERS = [
  '-1',
  '0',
  '-0',
  '1e309',
  '-1e309',
  '99999999999999999999',
  '9007199254740993',
  '1.5',
  'NaN',
  'Infinity',
  '0x10',
  ' 7 ',
  '٣',
  '1e3',
  '+1',
];

export const UNICODE = [
  '\u202Eevil\u202C.exe', // right-to-left override
  'مرحبا بالعالم', // Arabic (RTL)
  'שלום', // Hebrew
  '👩‍👩‍👧‍👦🏳️‍🌈', // emoji with joiners
  'e\u0301\u0301\u0301\u0301\u0301', // stacked combining marks
  'Z̤͔ͧ̑̓ä͖̭̈̇lͮ̒ͫǧ̗͚̚o̙̔ͮ̇͐̇', // zalgo
  '\uFEFFbom', // byte-order mark
  '\u200B\u200C\u200D', // zero-width characters
  'ｆｕｌｌｗｉｄｔｈ', // fullwidth
  '\uD83D', // a lone surrogate (URLSearchParams sends U+FFFD)
];

export const ODD_VALUES = [
  '',
  ' ',
  '\t\n\r',
  'a\u0000b',
  '\u0000',
  'x'.repeat(10_000),
  '<script>alert(1)</script>',
  "' OR 1=1 --",
  '../../../etc/passwd',
  '%00',
  'null',
  'undefined',
  'true',
  'on',
  '[]',
  '{}',
  '[object Object]',
  ...INHERITED_KEYS,
  ...NUMBERS,
  ...UNICODE,
];

export type Entries = Array<[string, string]>;

/** A route's real form, as the screen posts it: the base every case damages. */
export interface Template {
  label: string;
  /** The URL as Remix matches it, e.g. /clients/:id. */
  pattern: string;
  params: Record<string, string>;
  entries: Entries;
}

export interface Built {
  /** Headers and body of the request (method POST). */
  init: RequestInit & { duplex?: 'half' };
  /** The path params, possibly damaged too. */
  params: Record<string, string>;
  path: string;
  /** The intent is missing, unknown or an inherited key: once past the gate, the answer is 400. */
  unknownIntent: boolean;
  /** The status the body itself must get once past the gate (415, 413, 400), when it decides. */
  bodyStatus?: number;
}

export interface FuzzCase {
  kind: string;
  /** What the case sent, for the failure message. */
  describe: string;
  build(): Built;
}

/** The pattern with its params filled in (encoded as a browser would). */
export function fillPath(pattern: string, params: Record<string, string>): string {
  return pattern.replace(/:(\w+)/g, (_, name: string) => encodeURIComponent(params[name] ?? ''));
}

const FORM = 'application/x-www-form-urlencoded';
const encodeEntries = (entries: Entries) => new URLSearchParams(entries).toString();
const urlencoded = (entries: Entries): RequestInit => ({ headers: { 'content-type': FORM }, body: encodeEntries(entries) });
const show = (entries: Entries) => {
  const text = encodeEntries(entries);
  return text.length > 160 ? `${text.slice(0, 160)}… (${text.length} chars)` : text;
};

/** Numeric-looking or id-like fields: where a number parser sits. */
const isNumericField = (name: string, value: string) => /id$|ids$|version|year|month|quarter|sequence|order|count/i.test(name) || /^\d+$/.test(value);

function withIntent(entries: Entries, intent: string | null): Entries {
  const rest = entries.filter(([k]) => k !== 'intent');
  return intent === null ? rest : [['intent', intent], ...rest];
}

/** A chunked body (no Content-Length) of `bytes` in 1 KB chunks: the reader must stop it at its cap. */
function chunkedBody(bytes: number): ReadableStream<Uint8Array> {
  const chunk = new TextEncoder().encode(`${'a='.padEnd(1023, 'x')}&`);
  let sent = 0;
  return new ReadableStream({
    pull(controller) {
      if (sent >= bytes) return controller.close();
      controller.enqueue(chunk);
      sent += chunk.byteLength;
    },
  });
}

const TWO_MB = 2 * 1024 * 1024;
let hugeForm: string | undefined;
/** A 2 MB urlencoded form (built once). */
function hugeFormBody(): string {
  return (hugeForm ??= `intent=x&blob=${'y'.repeat(TWO_MB)}`);
}

export interface CaseOptions {
  /** The route dispatches on `intent`: these are the intents it knows. */
  intents: readonly string[] | null;
  /** Path params that take an id (fuzzed by the path-param kind). */
  idParams: readonly string[];
}

/**
 * Every kind of damage, one case each, from a template (the first set) and a seeded RNG. Body kinds
 * decide the answer by themselves (415 / 413 / 400); form kinds damage the fields of a real form.
 */
export function fuzzCases(templates: readonly Template[], rng: Rng, options: CaseOptions): FuzzCase[] {
  const cases: FuzzCase[] = [];
  type Made = {
    entries?: Entries;
    init?: RequestInit & { duplex?: 'half' };
    unknownIntent?: boolean;
    bodyStatus?: number;
    params?: Record<string, string>;
    note?: string;
  };
  const addFor = (kind: string, t: Template, made: Made) => {
    const entries = made.entries ?? t.entries;
    const params = made.params ?? t.params;
    const path = fillPath(t.pattern, params);
    cases.push({
      kind,
      describe: `${kind} [${t.label}] ${path} ${made.note ?? (made.init ? '' : show(entries))}`.trim(),
      build: () => ({
        init: { method: 'POST', ...(made.init ?? urlencoded(entries)) },
        params,
        path,
        unknownIntent: made.unknownIntent ?? false,
        bodyStatus: made.bodyStatus,
      }),
    });
  };
  /** One case of this kind, on a template the RNG picks. */
  const add = (kind: string, make: (t: Template) => Made) => {
    const t = rng.pick(templates);
    addFor(kind, t, make(t));
  };
  /** One case of this kind on EVERY template (e.g. each id of each real form sent twice). */
  const addEach = (kind: string, make: (t: Template) => Made) => {
    for (const t of templates) addFor(kind, t, make(t));
  };

  // ---- Body types: the reader answers before any field is looked at.
  const asObject = (entries: Entries) => Object.fromEntries(entries);
  add('json-object', (t) => ({
    init: { headers: { 'content-type': 'application/json' }, body: JSON.stringify(asObject(t.entries)) },
    bodyStatus: 415,
    note: 'JSON object',
  }));
  add('json-array', (t) => ({
    init: { headers: { 'content-type': 'application/json' }, body: JSON.stringify(t.entries) },
    bodyStatus: 415,
    note: 'JSON array',
  }));
  add('text-plain', (t) => ({ init: { headers: { 'content-type': 'text/plain' }, body: encodeEntries(t.entries) }, bodyStatus: 415, note: 'text/plain' }));
  add('multipart-no-boundary', (t) => ({
    init: {
      headers: { 'content-type': 'multipart/form-data' },
      body: `--x\r\nContent-Disposition: form-data; name="intent"\r\n\r\n${t.entries[0]?.[1] ?? ''}\r\n--x--\r\n`,
    },
    bodyStatus: 400,
    note: 'multipart/form-data without boundary',
  }));
  add('multipart-broken-part', () => ({
    init: { headers: { 'content-type': 'multipart/form-data; boundary=zz' }, body: '--zz\r\nContent-Disposition: form-data\r\n\r\nno name, no end' },
    bodyStatus: 400,
    note: 'multipart with a broken part',
  }));
  // A Uint8Array body: unlike a string, the platform adds no content-type of its own.
  add('no-content-type', (t) => ({ init: { body: new TextEncoder().encode(encodeEntries(t.entries)) }, bodyStatus: 415, note: 'no content-type' }));
  add('odd-content-type', (t) => ({
    init: { headers: { 'content-type': 'application/x-www-form-urlencodedx' }, body: encodeEntries(t.entries) },
    bodyStatus: 415,
    note: 'x-www-form-urlencodedx',
  }));
  add('empty-body', () => ({ init: { headers: { 'content-type': FORM }, body: '' }, unknownIntent: options.intents !== null, note: 'empty form' }));
  add('huge-form-declared', () => ({
    init: { headers: { 'content-type': FORM, 'content-length': String(hugeFormBody().length) }, body: hugeFormBody() },
    bodyStatus: 413,
    note: '2 MB urlencoded, Content-Length declared',
  }));
  add('huge-form', () => ({ init: { headers: { 'content-type': FORM }, body: hugeFormBody() }, bodyStatus: 413, note: '2 MB urlencoded, no Content-Length' }));
  add('chunked-over-cap', () => ({
    init: { headers: { 'content-type': FORM }, body: chunkedBody(70 * 1024), duplex: 'half' },
    bodyStatus: 413,
    note: '70 KB streamed, no Content-Length',
  }));
  add('multipart-form', (t) => {
    const body = new FormData();
    for (const [k, v] of t.entries) body.append(k, v);
    return { init: { body }, note: `multipart: ${show(t.entries)}` };
  });
  add('file-as-field', (t) => {
    // Wrong type: each non-intent field sent as a file.
    const body = new FormData();
    for (const [k, v] of t.entries) {
      if (k === 'intent') body.append(k, v);
      else body.append(k, new File([v], `${k}.txt`, { type: 'text/plain' }));
    }
    return { init: { body }, note: `multipart, fields as files: ${t.entries.map(([k]) => k).join(',')}` };
  });
  add('bad-percent-body', (t) => ({
    init: { headers: { 'content-type': FORM }, body: `${encodeEntries(t.entries)}&x=%E0%A4%A&%FF%FE=%C0%AF&%=%%` },
    note: 'bad percent-encoding in the body',
  }));

  // ---- Intents.
  if (options.intents !== null) {
    add('missing-intent', (t) => ({ entries: withIntent(t.entries, null), unknownIntent: true }));
    add('unknown-intent', (t) => ({
      entries: withIntent(t.entries, rng.pick(['explode', 'STATUS', 'status ', ' edit', 'save\u0000', 'delete;drop', '💥', 'x'.repeat(300)])),
      unknownIntent: true,
    }));
    for (const key of INHERITED_KEYS) add(`inherited-intent:${key}`, (t) => ({ entries: withIntent(t.entries, key), unknownIntent: true }));
    add('empty-intent', (t) => ({ entries: withIntent(t.entries, ''), unknownIntent: true }));
    add('intent-twice', (t) => {
      const intent = t.entries.find(([k]) => k === 'intent')?.[1] ?? 'x';
      // Which one wins differs (form.get takes the first, Object.fromEntries the last): only "no 5xx" holds.
      return { entries: [['intent', 'explode'], ...withIntent(t.entries, intent)] };
    });
    // Every intent the route knows, with odd values in its template's fields: reaches the parsers the matrix does not.
    for (const intent of options.intents) {
      add(`known-intent:${intent}`, (t) => ({
        entries: withIntent(t.entries, intent).map(([k, v]) => (k === 'intent' || rng.chance(0.4) ? [k, v] : [k, rng.pick(ODD_VALUES)])),
      }));
    }
  }

  // ---- Field values and names.
  const mapFields = (entries: Entries, f: (name: string, value: string) => string): Entries =>
    entries.map(([k, v]) => (k === 'intent' ? [k, v] : [k, f(k, v)]));
  add('inherited-values', (t) => ({ entries: mapFields(t.entries, () => rng.pick(INHERITED_KEYS)) }));
  add('inherited-names', (t) => ({
    entries: [
      ...t.entries,
      ...INHERITED_KEYS.map((k): [string, string] => [k, rng.pick(ODD_VALUES.slice(0, 20))]),
      ['grant:__proto__', 'all'],
      ['grant:constructor', 'all'],
      ['v__proto__', '1'],
    ],
  }));
  add('empty-values', (t) => ({ entries: mapFields(t.entries, () => '') }));
  add('long-values', (t) => ({ entries: mapFields(t.entries, (_, v) => (rng.chance(0.5) ? 'x'.repeat(10_000) : v)).slice(0, 6) }));
  add('nul-bytes', (t) => ({ entries: mapFields(t.entries, (_, v) => `${v}\u0000${v}`) }));
  add('unicode', (t) => ({ entries: mapFields(t.entries, () => rng.pick(UNICODE)) }));
  add('numbers', (t) => ({ entries: mapFields(t.entries, (k, v) => (isNumericField(k, v) ? rng.pick(NUMBERS) : v)) }));
  add('repeated-fields', (t) => ({
    entries: t.entries.flatMap(([k, v]): Entries =>
      k === 'intent'
        ? [[k, v]]
        : [
            [k, v],
            [k, rng.pick(ODD_VALUES.slice(0, 30))],
          ],
    ),
  }));
  // Issue 19: the same id twice (a territory's branch, a bulk form's client) in every real form.
  addEach('duplicate-fields', (t) => ({
    entries: t.entries.flatMap(([k, v]): Entries => [
      [k, v],
      [k, v],
    ]),
  }));
  add('dropped-field', (t) => {
    const droppable = t.entries.filter(([k]) => k !== 'intent');
    const drop = droppable.length ? rng.pick(droppable)[0] : '';
    return { entries: t.entries.filter(([k]) => k !== drop) };
  });
  add('mixed', (t) => ({
    entries: mapFields(t.entries, (k, v) => rng.pick([v, '', rng.pick(ODD_VALUES), isNumericField(k, v) ? rng.pick(NUMBERS) : v, rng.pick(UNICODE)])).flatMap(
      (e): Entries => (rng.chance(0.2) ? [e, e] : [e]),
    ),
  }));

  // ---- Path params (ids in the URL).
  for (const name of options.idParams) {
    add(`path-${name}`, (t) => ({
      params: { ...t.params, [name]: rng.pick([...INHERITED_KEYS, '-1', '0', '1e309', '99999999999999999999', '1.5', '%', 'é', ' 1']) },
    }));
  }
  return cases;
}
