/**
 * Strict YAML for front matter, through the `yaml` package (eemeli), never js-yaml (THREATS T11).
 * The document tree is converted by hand so that aliases, merge keys and prototype keys are refused
 * with a line number and never reach an object.
 */
import { isAlias, isMap, isScalar, isSeq, LineCounter, parseDocument, visit, type Document, type Node } from 'yaml';
import { readFlatYaml } from './flatYaml';
import type { AgentProblem, YamlRead } from './types';

/** Keys that could reach an object's prototype if assigned; always reported and dropped. */
export const FORBIDDEN_KEYS: ReadonlySet<string> = new Set(['__proto__', 'constructor', 'prototype']);

/** Deeper nesting than this is not a plausible agent header, and recursion must stay bounded. */
export const MAX_YAML_DEPTH = 32;

const PARSE_OPTIONS = {
  schema: 'core',
  version: '1.2',
  merge: false,
  uniqueKeys: true,
  prettyErrors: true,
  strict: true,
  // Aliases are refused while walking the tree; this is the same rule at the library level.
  maxAliasCount: 0,
} as const;

/** Parses `text` as strict YAML 1.2 (core schema): flat headers by the fast path, the rest by `yaml`. Never throws. */
export function readStrictYaml(text: string): YamlRead {
  return readFlatYaml(text) ?? readWithYamlPackage(text);
}

/** readStrictYaml through the `yaml` package alone, for any header (exported so tests can hold the fast path to it). */
export function readWithYamlPackage(text: string): YamlRead {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { ...PARSE_OPTIONS, lineCounter });
  const result: YamlRead = { syntaxFailed: false, data: {}, keyLines: new Map(), problems: [] };
  if (doc.errors.length > 0) {
    result.syntaxFailed = true;
    const first = doc.errors[0];
    const pos = first.linePos?.[0];
    result.problems.push({ line: pos?.line ?? 1, column: pos?.col, severity: 'warning', message: firstLine(first.message) });
    return result;
  }
  const root = doc.contents;
  if (root === null || (isScalar(root) && (root.value === null || root.value === ''))) { return result; }
  if (!isMap(root)) {
    result.syntaxFailed = true;
    result.problems.push({ line: lineOf(root, lineCounter), severity: 'warning', message: 'front matter is not a list of "key: value" lines' });
    return result;
  }
  const dangling = text.includes('*') ? danglingAlias(doc) : undefined;
  if (dangling) {
    // "**Expert**" or "*nix" in a plain value reads as an alias to nothing: a text mistake, not an attack.
    result.syntaxFailed = true;
    result.problems.push({ line: lineOf(dangling, lineCounter), severity: 'warning', message: `"*${dangling.source}" reads as a YAML alias with no anchor` });
    return result;
  }
  const walker = new TreeWalker(lineCounter, result.problems);
  result.data = walker.mapping(root, 0, result.keyLines);
  walker.reportAliases();
  for (const w of doc.warnings) {
    const pos = w.linePos?.[0];
    result.problems.push({ line: pos?.line ?? 1, column: pos?.col, severity: 'warning', message: firstLine(w.message) });
  }
  return result;
}

/** The first alias whose anchor is defined nowhere in the document, if any. */
function danglingAlias(doc: Document): (Node & { source: string }) | undefined {
  const anchors = new Set<string>();
  const aliases: (Node & { source: string })[] = [];
  visit(doc, {
    Alias(_key, node) { aliases.push(node); },
    Node(_key, node) { if (node.anchor) { anchors.add(node.anchor); } },
  });
  return aliases.find(a => !anchors.has(a.source));
}

/** The yaml package's message without its " at line L, column C:" tail and code excerpt. */
function firstLine(message: string): string {
  return message.split('\n')[0].replace(/ at line \d+, column \d+:?$/, '');
}

function lineOf(node: Node | null | undefined, lineCounter: LineCounter): number {
  const offset = node?.range?.[0];
  return offset === undefined ? 1 : lineCounter.linePos(offset).line;
}

class TreeWalker {
  private aliases: { count: number; first?: Node & { source: string } } = { count: 0 };

  constructor(private readonly lines: LineCounter, private readonly problems: AgentProblem[]) {}

  /** One error for all aliases: a billion-laughs header has dozens of them. */
  reportAliases(): void {
    const { count, first } = this.aliases;
    if (!first) { return; }
    const more = count > 1 ? ` (${count} aliases in all)` : '';
    this.error(lineOf(first, this.lines), `YAML aliases ("*${first.source}") are not allowed in agent definitions${more}`);
  }

  mapping(node: Node, depth: number, keyLines?: Map<string, number>): Record<string, unknown> {
    const out: Record<string, unknown> = {};
    if (!isMap(node)) { return out; }
    for (const pair of node.items) {
      const keyNode = pair.key as Node | null;
      const line = lineOf(keyNode, this.lines);
      if (!isScalar(keyNode) || keyNode.value === null || typeof keyNode.value === 'object') {
        this.error(line, 'only plain keys are allowed in front matter');
        continue;
      }
      const key = String(keyNode.value);
      if (key === '<<') {
        this.error(line, 'YAML merge keys ("<<") are not allowed in agent definitions');
        continue;
      }
      if (FORBIDDEN_KEYS.has(key)) {
        this.error(line, `the key "${key}" is not allowed (it could change how objects behave)`);
        continue;
      }
      out[key] = this.value(pair.value as Node | null, depth + 1);
      keyLines?.set(key, line);
    }
    return out;
  }

  private value(node: Node | null, depth: number): unknown {
    if (node === null || node === undefined) { return null; }
    if (depth > MAX_YAML_DEPTH) {
      this.error(lineOf(node, this.lines), `front matter nests deeper than ${MAX_YAML_DEPTH} levels`);
      return null;
    }
    if (isAlias(node)) {
      this.aliases.count++;
      this.aliases.first ??= node;
      return null;
    }
    if (isScalar(node)) { return typeof node.value === 'bigint' ? String(node.value) : node.value; }
    if (isSeq(node)) { return node.items.map(item => this.value(item as Node | null, depth + 1)); }
    if (isMap(node)) { return this.mapping(node, depth); }
    return null;
  }

  private error(line: number, message: string): void {
    this.problems.push({ line, severity: 'error', message });
  }
}
