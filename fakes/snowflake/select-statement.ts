// Just enough of Snowflake's SELECT to serve the client view the way the sync reads it:
//   SELECT <*|columns> FROM <view> [WHERE <cond> [AND <cond>]…] [ORDER BY <column> [ASC|DESC]]
//   cond: UPDATED_AT > ? | UPDATED_AT >= ? | BRANCH_CODE IN (?, …)   (binds ?, :n or 'literals')
// plus SELECT 1 (a ping). Anything else is a compilation error, as the real service would say.
import { COLUMN_INDEX, VIEW_COLUMNS, type ViewColumn } from './view-columns';

export interface Binding {
  type: string;
  value: unknown;
}

export type ParsedSelect =
  | { kind: 'ping' }
  | {
      kind: 'view';
      view: string;
      columns: ViewColumn[];
      updatedAfterMs?: number;
      updatedFromMs?: number;
      branchCodes?: Set<string>;
      orderBy?: { column: ViewColumn; descending: boolean };
    };

export class SqlCompilationError extends Error {
  constructor(
    message: string,
    readonly code = '001003',
    readonly sqlState = '42000',
  ) {
    super(message);
  }
}

const TOKEN = /\s*(?:(\?)|:(\d+)|'((?:[^']|'')*)'|("(?:[^"]|"")+")|([A-Za-z_][A-Za-z0-9_$]*(?:\.[A-Za-z_][A-Za-z0-9_$]*)*)|(>=|<=|<>|!=|[>=<(),*;])|(\d+))/y;

interface Token {
  kind: 'bind' | 'string' | 'ident' | 'op' | 'number';
  text: string;
  bindIndex?: number;
  at: number;
}

function tokenize(sql: string): Token[] {
  const tokens: Token[] = [];
  let position = 0;
  let nextBind = 1;
  TOKEN.lastIndex = 0;
  while (position < sql.length) {
    if (/^\s*$/.test(sql.slice(position))) break;
    TOKEN.lastIndex = position;
    const m = TOKEN.exec(sql);
    if (!m)
      throw new SqlCompilationError(
        `SQL compilation error:\nsyntax error line 1 at position ${position} unexpected '${sql.slice(position, position + 10).trim()}'.`,
      );
    const at = m.index + m[0].length - m[0].trimStart().length;
    if (m[1]) tokens.push({ kind: 'bind', text: '?', bindIndex: nextBind++, at });
    else if (m[2]) tokens.push({ kind: 'bind', text: `:${m[2]}`, bindIndex: Number(m[2]), at });
    else if (m[3] !== undefined) tokens.push({ kind: 'string', text: m[3].replace(/''/g, "'"), at });
    else if (m[4]) tokens.push({ kind: 'ident', text: m[4].slice(1, -1).replace(/""/g, '"'), at });
    else if (m[5]) tokens.push({ kind: 'ident', text: m[5].toUpperCase(), at });
    else if (m[6]) tokens.push({ kind: 'op', text: m[6], at });
    else tokens.push({ kind: 'number', text: m[7], at });
    position = TOKEN.lastIndex;
  }
  return tokens;
}

/** A TEXT bind of a TIMESTAMP_NTZ: 'YYYY-MM-DD HH24:MI:SS[.FF]' (UTC, no zone) or ISO 8601. */
export function parseTimestampText(value: string): number {
  let text = value.trim().replace(' ', 'T');
  if (/^\d{4}-\d{2}-\d{2}$/.test(text)) text += 'T00:00:00';
  if (!/(Z|[+-]\d{2}:?\d{2})$/.test(text)) text += 'Z';
  const ms = Date.parse(text);
  if (Number.isNaN(ms)) throw new SqlCompilationError(`Timestamp '${value.slice(0, 40)}' is not recognized`, '100035', '22007');
  return ms;
}

export function parseSelect(sql: string, bindings: Record<string, Binding> | undefined, knownView: string): ParsedSelect {
  const tokens = tokenize(sql);
  let i = 0;
  const peek = () => tokens[i];
  const unexpected = (t: Token | undefined): never => {
    throw new SqlCompilationError(
      t
        ? `SQL compilation error:\nsyntax error line 1 at position ${t.at} unexpected '${t.text}'.`
        : 'SQL compilation error:\nsyntax error: unexpected end of statement.',
    );
  };
  const keyword = (word: string) => {
    const t = tokens[i];
    if (t?.kind === 'ident' && t.text === word) {
      i++;
      return true;
    }
    return false;
  };
  const expectKeyword = (word: string) => {
    if (!keyword(word)) unexpected(peek());
  };
  const op = (text: string) => {
    if (peek()?.kind === 'op' && peek().text === text) {
      i++;
      return true;
    }
    return false;
  };
  const column = (): ViewColumn => {
    const t = tokens[i++];
    if (t?.kind !== 'ident') return unexpected(t);
    const name = t.text.toUpperCase();
    if (!COLUMN_INDEX.has(name))
      throw new SqlCompilationError(`SQL compilation error: error line 1 at position ${t.at}\ninvalid identifier '${name}'`, '000904');
    return name as ViewColumn;
  };
  const value = (): string => {
    const t = tokens[i++];
    if (t?.kind === 'string' || t?.kind === 'number') return t.text;
    if (t?.kind === 'bind') {
      const bound = bindings?.[String(t.bindIndex)];
      if (!bound) throw new SqlCompilationError(`SQL compilation error:\nBind variable ${t.text} not set.`, '002049');
      if (bound.value === null || typeof bound.value === 'object') throw new SqlCompilationError(`Unsupported bind value for ${t.text}`, '002049');
      return String(bound.value);
    }
    return unexpected(t);
  };

  expectKeyword('SELECT');
  if (peek()?.kind === 'number' && tokens.length - i <= 2) return { kind: 'ping' };
  const columns: ViewColumn[] = [];
  if (op('*')) columns.push(...VIEW_COLUMNS);
  else {
    do columns.push(column());
    while (op(','));
  }
  expectKeyword('FROM');
  const from = tokens[i++];
  if (from?.kind !== 'ident') return unexpected(from);
  if (from.text.toUpperCase() !== knownView.toUpperCase()) {
    throw new SqlCompilationError(`SQL compilation error:\nObject '${from.text}' does not exist or not authorized.`, '002003', '42S02');
  }
  const parsed: Extract<ParsedSelect, { kind: 'view' }> = { kind: 'view', view: from.text, columns };
  if (keyword('WHERE')) {
    do {
      const name = column();
      if (name === 'UPDATED_AT' && (peek()?.text === '>' || peek()?.text === '>=')) {
        const strict = tokens[i++].text === '>';
        const ms = parseTimestampText(value());
        if (strict) parsed.updatedAfterMs = Math.max(parsed.updatedAfterMs ?? -Infinity, ms);
        else parsed.updatedFromMs = Math.max(parsed.updatedFromMs ?? -Infinity, ms);
      } else if (name === 'BRANCH_CODE' && keyword('IN')) {
        if (!op('(')) unexpected(peek());
        const codes = new Set<string>();
        do codes.add(value());
        while (op(','));
        if (!op(')')) unexpected(peek());
        parsed.branchCodes = parsed.branchCodes ? new Set([...codes].filter((c) => parsed.branchCodes!.has(c))) : codes;
      } else {
        unexpected(peek());
      }
    } while (keyword('AND'));
  }
  if (keyword('ORDER')) {
    expectKeyword('BY');
    const name = column();
    const descending = keyword('DESC');
    if (!descending) keyword('ASC');
    parsed.orderBy = { column: name, descending };
  }
  op(';');
  if (i < tokens.length) unexpected(peek());
  return parsed;
}
