/**
 * String values of the expressions routes are declared with: literals, concatenations, templates and
 * f-strings, constants defined in the same file or (when one value is unambiguous) anywhere in the
 * project, and the default of an environment lookup (`process.env.X || '/api'`, `os.getenv('X', '/api')`).
 * What cannot be resolved is named, so the route can say its prefix is partial. Pure.
 */
import { type Lang, literalAt, splitArgs, type SourceText } from './lexer';

/** A string-valued expression: what is known of it, and the parts that could not be resolved (left out). */
export interface StringValue {
  value: string;
  unresolved: string[];
}

/** Resolves a name (`API_PREFIX`, `settings.api_prefix`) to a string, when it can. */
export type Lookup = (name: string) => string | undefined;

/** Constants by name, each with every distinct value seen (more than one means ambiguous). */
export type Constants = Map<string, Set<string>>;

const NAME = /^(?:this\.|self\.|\$)?[A-Za-z_$][\w$]*(?:(?:\.|->|::)[A-Za-z_$][\w$]*)*$/;

/** Evaluates the expression in [start, end) of `src` as a string; undefined when it is not one. */
export function evalString(src: SourceText, start: number, end: number, lookup: Lookup): StringValue | undefined {
  const shape = src.shape.slice(start, end);
  // Fallbacks: `a || 'x'`, `a ?? 'x'`, `a or 'x'`: the left side when known, else the default.
  const alt = topLevelSplit(shape, src.lang === 'python' ? /\s+or\s+|\|\||\?\?/y : /\|\||\?\?|\?:/y, src.lang === 'python' ? ' \t|?' : '|?');
  if (alt.length > 1) {
    const [ls, le] = alt[0];
    const left = evalString(src, start + ls, start + le, lookup);
    if (left && left.unresolved.length === 0) { return left; }
    const [rs, re] = alt[alt.length - 1];
    return evalString(src, start + rs, start + re, lookup) ?? left;
  }
  const terms = topLevelSplit(shape, src.lang === 'php' ? /\s*\.(?![\d.])\s*/y : /\+/y, src.lang === 'php' ? ' \t.' : '+');
  let value = '';
  const unresolved: string[] = [];
  let stringy = false;
  for (const [ts, te] of terms) {
    const t = term(src, start + ts, start + te, lookup);
    if (t === undefined) { unresolved.push(src.code.slice(start + ts, start + te).trim()); continue; }
    stringy = true;
    value += t.value;
    unresolved.push(...t.unresolved);
  }
  return stringy ? { value, unresolved } : undefined;
}

function term(src: SourceText, start: number, end: number, lookup: Lookup): StringValue | undefined {
  const code = src.code.slice(start, end).trim();
  const lead = start + src.code.slice(start, end).search(/\S/);
  const lit = literalAt(src, lead);
  if (lit && lit.end >= start + src.code.slice(start, end).trimEnd().length) {
    let value = '';
    const unresolved: string[] = [];
    const parts = lit.value.split('\u0000');
    parts.forEach((part, i) => {
      value += part;
      if (i < lit.exprs.length) {
        const v = NAME.test(lit.exprs[i]) ? lookup(lit.exprs[i]) : undefined;
        if (v === undefined) { unresolved.push(lit.exprs[i]); } else { value += v; }
      }
    });
    return { value, unresolved };
  }
  if (/^\(/.test(code) && code.endsWith(')')) {
    return evalString(src, lead + 1, start + src.code.slice(start, end).trimEnd().length - 1, lookup);
  }
  if (NAME.test(code)) {
    const v = lookup(code);
    return v === undefined ? undefined : { value: v, unresolved: [] };
  }
  // `os.getenv('X', '/api')`, `os.environ.get('X', '/api')`, `env('X', '/api')`, `config('x', '/api')`: the default.
  const call = /^(?:os\.getenv|os\.environ\.get|getenv|env|config|Environment\.GetEnvironmentVariable)\s*\(/.exec(code);
  if (call) {
    const open = lead + call[0].length - 1;
    const { args } = splitArgs(src.shape, open);
    if (args.length >= 2) { return evalString(src, args[1][0], args[1][1], lookup); }
  }
  return undefined;
}

/**
 * [start, end) ranges of `shape` split at top-level (bracket depth 0) matches of `sep` (a sticky regex), tried only
 * where a character of `starts` is: this runs for every route's path, and a regex at every offset was the cost.
 */
function topLevelSplit(shape: string, sep: RegExp, starts: string): [number, number][] {
  const out: [number, number][] = [];
  let depth = 0;
  let from = 0;
  for (let i = 0; i < shape.length; i++) {
    const c = shape[i];
    if (c === '(' || c === '[' || c === '{') { depth++; continue; }
    if (c === ')' || c === ']' || c === '}') { depth--; continue; }
    if (depth !== 0 || !starts.includes(c)) { continue; }
    sep.lastIndex = i;
    const m = sep.exec(shape);
    if (m && m[0].length > 0) {
      out.push([from, i]);
      from = i + m[0].length;
      i = from - 1;
    }
  }
  out.push([from, shape.length]);
  return out;
}

const CONSTANT_PATTERNS: Record<Lang, RegExp[]> = {
  js: [/\b(?:const|let|var)\s+([A-Za-z_$][\w$]*)\s*(?::\s*string\s*)?=\s*/g, /(?:^|[{,\s])([A-Za-z_$][\w$]*)\s*:\s*(?=['"`])/g],
  python: [/^[ \t]*([A-Za-z_]\w*)\s*(?::\s*[\w[\], .|]+)?=\s*(?=[rRbBuUfF]{0,2}['"])/gm],
  java: [/\b(?:String|val|var)\s+([A-Za-z_]\w*)\s*(?::\s*String\s*)?=\s*/g],
  go: [/\b([A-Za-z_]\w*)\s*(?:string\s*)?(?::=|=)\s*(?=["`])/g],
  csharp: [/\b(?:const\s+)?string\s+([A-Za-z_]\w*)\s*=\s*/g],
  php: [/\$([A-Za-z_]\w*)\s*=\s*(?=['"])/g, /\bconst\s+([A-Za-z_]\w*)\s*=\s*/g, /\bdefine\(\s*['"](\w+)['"]\s*,\s*/g],
  ruby: [/\b([A-Z]\w*)\s*=\s*(?=['"])/g],
};

/** Names bound to a single string literal in `src` (`const API = '/api'`, `api_prefix: str = "/api"`). */
export function collectConstants(src: SourceText, into: Constants = new Map()): Constants {
  for (const pattern of CONSTANT_PATTERNS[src.lang]) {
    pattern.lastIndex = 0;
    for (let m = pattern.exec(src.shape); m; m = pattern.exec(src.shape)) {
      const lit = literalAt(src, m.index + m[0].length);
      if (!lit || lit.exprs.length > 0) { continue; }
      // Only a whole literal: `const A = '/a' + b` is not a constant.
      const after = src.shape.slice(lit.end, lit.end + 40);
      if (!/^\s*(?:[;,)}\]\n]|$)/.test(after)) { continue; }
      let set = into.get(m[1]);
      if (!set) { set = new Set(); into.set(m[1], set); }
      set.add(lit.value);
    }
  }
  return into;
}

/**
 * A lookup that tries the file's own constants first, then the project's, each by the full name and then by
 * its last part (`settings.api_prefix` finds `api_prefix: str = "/api"`); a name with two values is unknown.
 */
export function makeLookup(file: Constants, project: Constants): Lookup {
  const one = (map: Constants, name: string): string | undefined => {
    const set = map.get(name);
    return set && set.size === 1 ? [...set][0] : undefined;
  };
  return (raw: string) => {
    const name = raw.replace(/^(?:this\.|self\.|\$)/, '');
    const last = name.split(/\.|->|::/).pop() ?? name;
    // A project-wide guess only for compound names (`api_prefix`, `API_V1_STR`, `basePath`), never for `prefix` or `path`.
    const specific = last.length >= 6 && /_|[a-z][A-Z]/.test(last);
    return one(file, name) ?? one(file, last) ?? one(project, name) ?? (specific ? one(project, last) : undefined);
  };
}
