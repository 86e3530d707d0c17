/**
 * Front matter through gray-matter, with every engine replaced (THREATS T11). gray-matter 4.0.3
 * registers an `eval` engine by default and picks the engine from the text after the opening `---`,
 * so `---js` would run code in the extension host. Here YAML goes to the strict `yaml` reader and
 * every other engine name refuses.
 */
import matter from 'gray-matter';
import type { AgentProblem } from './parse';
import { readStrictYaml, type YamlRead } from './safeYaml';
import { readTolerantYaml } from './tolerantYaml';

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
  /** True when strict YAML failed and the line-wise reader was used. */
  tolerant: boolean;
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
  return {
    data: read.data,
    keyLines: new Map([...read.keyLines].map(([key, line]) => [key, line + shift])),
    problems: [...notes, ...read.problems].map(move),
    tolerant: notes.length > 0,
  };
}

/** gray-matter computes an excerpt when the data holds `excerpt_separator`; a function option skips it. */
function noExcerpt(): string {
  return '';
}
