/**
 * SensorThings query options ($top, $skip, $count, $orderby, $select, $expand, $filter) parsed from a request.
 */
import type { TimeBound } from './observations';
import { MAX_EXPAND_DEPTH, MAX_TOP, bad } from './sensorthings-model';

export interface TimeFilter { from?: TimeBound; to?: TimeBound }

export interface QueryOptions {
  top?: number;
  skip: number;
  count: boolean;
  orderBy?: { field: 'phenomenonTime' | 'id' | 'name'; desc: boolean };
  filter?: TimeFilter;
  select?: Set<string>;
  expand: Map<string, QueryOptions>;
  /** The options as given, to rebuild paging links. */
  raw: Array<[string, string]>;
}

const emptyOptions = (): QueryOptions => ({ skip: 0, count: false, expand: new Map(), raw: [] });

const KNOWN_OPTIONS = new Set(['$top', '$skip', '$count', '$orderby', '$select', '$expand', '$filter', '$resultFormat']);

/** `depth`: how many $expand levels these options sit below the request (0: the request's own). */
export function parseOptions(pairs: Array<[string, string]>, depth = 0): QueryOptions {
  const o = emptyOptions();
  for (const [key, value] of pairs) {
    if (!key.startsWith('$')) continue;
    if (!KNOWN_OPTIONS.has(key)) throw bad(`Unsupported query option ${key}`);
    o.raw.push([key, value]);
    switch (key) {
      case '$top': o.top = Math.min(MAX_TOP, nonNegativeInt(key, value)); break;
      case '$skip': o.skip = nonNegativeInt(key, value); break;
      case '$count':
        if (value !== 'true' && value !== 'false') throw bad(`$count must be true or false, not "${value}"`);
        o.count = value === 'true';
        break;
      case '$orderby': o.orderBy = parseOrderBy(value); break;
      case '$select': o.select = new Set(value.split(',').map((s) => s.trim()).filter((s) => s.length > 0)); break;
      case '$expand': parseExpand(value, o.expand, depth + 1); break;
      case '$filter': o.filter = parseFilter(value); break;
      case '$resultFormat': if (value !== 'default') throw bad(`Unsupported $resultFormat ${value}`); break;
    }
  }
  return o;
}

function nonNegativeInt(key: string, value: string): number {
  if (!/^\d{1,9}$/.test(value.trim())) throw bad(`${key} must be a non-negative integer, not "${value}"`);
  return Number(value.trim());
}

function parseOrderBy(value: string): QueryOptions['orderBy'] {
  const parts = value.split(',').map((p) => p.trim()).filter((p) => p.length > 0);
  const parsed = parts.map((p) => {
    const m = /^(phenomenonTime|id|@iot\.id|name)(?:\s+(asc|desc))?$/i.exec(p);
    if (!m) throw bad(`Unsupported $orderby "${p}": phenomenonTime, id or name, asc or desc`);
    const f = m[1]!.toLowerCase();
    return { field: f === 'phenomenontime' ? 'phenomenonTime' as const : f === 'name' ? 'name' as const : 'id' as const, desc: m[2]?.toLowerCase() === 'desc' };
  });
  const first = parsed[0];
  if (!first) throw bad('Empty $orderby');
  // A second key is accepted only as the id tie-break every ordering already has.
  for (const extra of parsed.slice(1)) if (extra.field !== 'id' || extra.desc !== first.desc) throw bad(`Unsupported $orderby "${value}": one key (id as a second key in the same direction)`);
  return first;
}

/** Split at the separator outside parentheses and quotes. */
function splitTop(s: string, sep: string): string[] {
  const out: string[] = [];
  let depth = 0, quoted = false, start = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s[i];
    if (c === "'") quoted = !quoted;
    else if (!quoted && c === '(') depth++;
    else if (!quoted && c === ')') {
      depth--;
      if (depth < 0) throw bad(`Unbalanced parentheses in "${s}"`);
    } else if (!quoted && depth === 0 && c === sep) {
      out.push(s.slice(start, i));
      start = i + 1;
    }
  }
  if (depth !== 0 || quoted) throw bad(`Unbalanced parentheses or quotes in "${s}"`);
  out.push(s.slice(start));
  return out.map((x) => x.trim()).filter((x) => x.length > 0);
}

function parseExpand(value: string, into: Map<string, QueryOptions>, depth = 1): void {
  for (const item of splitTop(value, ',')) {
    const m = /^([A-Za-z]+(?:\/[A-Za-z]+)*)(?:\((.*)\))?$/s.exec(item);
    if (!m) throw bad(`Cannot parse $expand item "${item}"`);
    const path = m[1]!.split('/');
    if (depth + path.length - 1 > MAX_EXPAND_DEPTH) throw bad(`$expand is answered ${MAX_EXPAND_DEPTH} levels deep at most ("${item}" goes deeper)`);
    let level = into;
    path.forEach((nav, i) => {
      let node = level.get(nav);
      if (!node) level.set(nav, (node = emptyOptions()));
      if (i === path.length - 1 && m[2] !== undefined) {
        const nested = parseOptions(splitTop(m[2], ';').map((kv) => {
          const eq = kv.indexOf('=');
          if (eq < 0) throw bad(`Cannot parse nested option "${kv}" in $expand`);
          return [kv.slice(0, eq).trim(), kv.slice(eq + 1).trim()] as [string, string];
        }), depth + i);
        for (const [k, v] of node.expand) if (!nested.expand.has(k)) nested.expand.set(k, v);
        level.set(nav, nested);
        node = nested;
      }
      level = node.expand;
    });
  }
}

const INSTANT = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?)(Z|[+-]\d{2}:?\d{2})$/;

function parseInstant(text: string): number {
  // A '+' in an unencoded query string arrives as a space.
  const s = text.trim().replace(/^'(.*)'$/, '$1').replace(/ (\d{2}:?\d{2})$/, '+$1');
  const m = INSTANT.exec(s);
  const t = m ? Date.parse(s) : NaN;
  if (!Number.isFinite(t)) throw bad(`"${text}" is not an ISO 8601 instant with a time zone (e.g. 2025-01-31T12:00:00Z)`);
  return t;
}

function parseFilter(value: string): TimeFilter {
  const f: TimeFilter = {};
  const lower = (b: TimeBound): void => {
    if (!f.from || b.tMs > f.from.tMs || (b.tMs === f.from.tMs && !b.inclusive)) f.from = b;
  };
  const upper = (b: TimeBound): void => {
    if (!f.to || b.tMs < f.to.tMs || (b.tMs === f.to.tMs && !b.inclusive)) f.to = b;
  };
  const clauses = value.trim().split(/\s+and\s+/i);
  for (const raw of clauses) {
    const clause = raw.trim().replace(/^\((.*)\)$/s, '$1').trim();
    const cmp = /^phenomenonTime\s+(ge|gt|le|lt|eq)\s+(.+)$/.exec(clause);
    if (cmp) {
      const t = parseInstant(cmp[2]!);
      switch (cmp[1]) {
        case 'ge': lower({ tMs: t, inclusive: true }); break;
        case 'gt': lower({ tMs: t, inclusive: false }); break;
        case 'le': upper({ tMs: t, inclusive: true }); break;
        case 'lt': upper({ tMs: t, inclusive: false }); break;
        case 'eq': lower({ tMs: t, inclusive: true }); upper({ tMs: t, inclusive: true }); break;
      }
      continue;
    }
    const ov = /^overlaps\(\s*phenomenonTime\s*,\s*'?([^/']+)\/([^/']+)'?\s*\)$/.exec(clause);
    if (ov) {
      lower({ tMs: parseInstant(ov[1]!), inclusive: true });
      upper({ tMs: parseInstant(ov[2]!), inclusive: false });
      continue;
    }
    throw bad(`Unsupported $filter "${raw.trim()}": only phenomenonTime ge|gt|le|lt|eq <instant> joined by and, or overlaps(phenomenonTime, <start>/<end>)`);
  }
  return f;
}
