/**
 * Front matter through gray-matter, with every engine replaced (THREATS T11). gray-matter 4.0.3
 * registers an `eval` engine by default and picks the engine from the text after the opening `---`,
 * so `---js` would run code in the extension host. Here YAML goes to the strict `yaml` reader and
 * every other engine name refuses.
 */
import matter from 'gray-matter';
import type { AgentProblem } from './types';
import { FORBIDDEN_KEYS, readStrictYaml } from './safeYaml';
import type { YamlRead } from './types';
import { readTolerantYaml } from './tolerantYaml';
import { hasHiddenUnicode, stripHiddenUnicode } from './unicode';

/** Engine names gray-matter knows or aliases (`lib/engine.js` `aliase()`), plus other code-capable ones. */
export const REFUSED_ENGINES: readonly string[] = [
  'javascript', 'js', 'coffee', 'coffeescript', 'cson', 'json', 'json5', 'toml', 'typescript', 'ts',
];

/** Thrown by a refusing engine; carries the language the file asked for. */
export class RefusedLanguageError extends Error {
  constructor(readonly language: string) {
    super(`front matter marked "${language}" is refused: only YAML is read, and code in a definition is never run`);
    this.name = 'RefusedLanguageError';
  }
}

type Engine = { parse: (input: string) => object };

/**
 * The engine table handed to gray-matter on every call. `yaml`/`yml` go to `parseYaml`; every other
 * name refuses. Overriding `javascript` is what blocks `---js`, because gray-matter falls back to the
 * alias's canonical name.
 */
export function createSafeEngines(parseYaml: (input: string) => object): Record<string, Engine> {
  const engines: Record<string, Engine> = {};
  for (const name of REFUSED_ENGINES) {
    engines[name] = { parse: () => { throw new RefusedLanguageError(name); } };
  }
  engines.yaml = { parse: parseYaml };
  engines.yml = engines.yaml;
  return engines;
}

/** Only these may follow the opening `---`; anything else (including `constructor`) is refused up front. */
export function isAllowedLanguage(language: string): boolean {
  return language === '' || /^ya?ml$/i.test(language);
}

/** A definition's header, read. Lines are 1-based lines of the original file. */
export interface HeaderRead {
  data: Record<string, unknown>;
  keyLines: Map<string, number>;
  problems: AgentProblem[];
}

/**
 * Reads header text (already cut out of the file, one string with `\n` line ends) through gray-matter.
 * `firstLine` is the file's 1-based line of the header's first line; `columnShift` is the indentation
 * that was removed. Throws RefusedLanguageError for a language other than YAML; nothing else throws.
 */
export function readHeader(header: string, language: string, firstLine: number, columnShift = 0): HeaderRead {
  if (!isAllowedLanguage(language)) { throw new RefusedLanguageError(language); }
  let strict: YamlRead | undefined;
  const engines = createSafeEngines(input => {
    strict = readStrictYaml(input);
    return strict.data;
  });
  // Options are always passed: without them gray-matter caches every file in the global `matter.cache`.
  matter(`---${language}\n${header}\n---\n`, { engines, language: 'yaml', excerpt: noExcerpt });
  // An empty or comment-only header never reaches the engine.
  let read: YamlRead = strict ?? { syntaxFailed: false, data: {}, keyLines: new Map(), problems: [] };
  const notes: AgentProblem[] = [];
  if (read.syntaxFailed) {
    const cause = read.problems[0];
    notes.push({ ...cause, message: `front matter is not strict YAML (${cause.message}); it is read line by line instead` });
    read = readTolerantYaml(`\n${header}`);
  }
  // The engine gets "\n" + header, so its line 1 is the opening fence and line 2 the header's first line.
  const shift = firstLine - 2;
  const move = (p: AgentProblem): AgentProblem =>
    ({ ...p, line: Math.max(1, p.line + shift), ...(p.column === undefined ? {} : { column: p.column + columnShift }) });
  const keyLines = new Map([...read.keyLines].map(([key, line]) => [key, line + shift]));
  const escaped: AgentProblem[] = [];
  const data = cleanEscapedHidden(read.data, keyLines, escaped);
  return { data, keyLines, problems: [...notes.map(move), ...read.problems.map(move), ...escaped] };
}

/**
 * The text was stripped of hidden Unicode before parsing, but YAML escapes (`"\u200b"`,
 * `"\U000E0041"`) and JSON escapes in the fallback make new ones. Strip those too, and check keys
 * again afterwards: `"__pro\u200bto__"` must not become `__proto__` on an object.
 */
function cleanEscapedHidden(data: Record<string, unknown>, keyLines: Map<string, number>, problems: AgentProblem[]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [rawKey, value] of Object.entries(data)) {
    const found = { count: 0, forbidden: [] as string[] };
    const key = stripCounting(rawKey, found);
    const clean = stripDeep(value, found);
    const line = keyLines.get(rawKey) ?? 1;
    if (found.count > 0) {
      problems.push({ line, severity: 'warning', message: `${found.count} hidden Unicode character${found.count === 1 ? '' : 's'} written as escapes removed from "${key}"` });
    }
    for (const bad of FORBIDDEN_KEYS.has(key) ? [key, ...found.forbidden] : found.forbidden) {
      problems.push({ line, severity: 'error', message: `the key "${bad}" is not allowed (it could change how objects behave)` });
    }
    if (!FORBIDDEN_KEYS.has(key) && !Object.prototype.hasOwnProperty.call(out, key)) {
      out[key] = clean;
      if (key !== rawKey) { keyLines.set(key, line); }
    }
  }
  return out;
}


/** gray-matter computes an excerpt when the data holds `excerpt_separator`; a function option skips it. */
function noExcerpt(): string {
  return '';
}

interface Found { count: number; forbidden: string[] }

function stripCounting(text: string, found: Found): string {
  if (!hasHiddenUnicode(text)) { return text; }
  const clean = stripHiddenUnicode(text);
  found.count += [...text].length - [...clean].length;
  return clean;
}

function stripDeep(value: unknown, found: Found): unknown {
  if (typeof value === 'string') { return stripCounting(value, found); }
  if (Array.isArray(value)) { return value.map(v => stripDeep(v, found)); }
  if (value === null || typeof value !== 'object') { return value; }
  const out: Record<string, unknown> = {};
  for (const [rawKey, v] of Object.entries(value)) {
    const key = stripCounting(rawKey, found);
    if (FORBIDDEN_KEYS.has(key)) {
      found.forbidden.push(key);
    } else if (!Object.prototype.hasOwnProperty.call(out, key)) {
      out[key] = stripDeep(v, found);
    }
  }
  return out;
}
