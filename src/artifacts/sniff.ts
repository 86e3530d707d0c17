/**
 * Deciding what kind of file a block of text is, from its fence language, its suggested path and its
 * content. Pure; shared by extraction (answers) and the CLI (files on disk).
 */
import type { ArtifactKind } from './types';

const MERMAID_LANGS = new Set(['mermaid', 'mmd']);
const SQL_LANGS = new Set(['sql', 'postgresql', 'postgres', 'psql', 'pgsql', 'plpgsql', 'ddl']);
const YAML_LANGS = new Set(['yaml', 'yml']);
const JSON_LANGS = new Set(['json']);
/** JSON with comments: checked as strict JSON it would fail for no fault of its own, so it stays `code`. */
const JSONC = /(?:^|[\\/])(?:tsconfig[^\\/]*|jsconfig[^\\/]*|devcontainer|\.vscode[\\/][^\\/]+)\.json$/i;
const OPENAPI_LANGS = new Set(['openapi', 'swagger']);
const MARKDOWN_LANGS = new Set(['markdown', 'md']);
/** Languages that say nothing about the content: a model that ignored the contract often writes these. */
const GENERIC_LANGS = new Set(['', 'text', 'txt', 'plaintext', 'plain', 'none', 'code', 'output']);

/** Every diagram keyword mermaid 12 accepts on its first line. */
const MERMAID_START = new RegExp(
  '^(?:(?:flowchart|graph)(?:[ \\t]+(?:TB|TD|BT|RL|LR))?[ \\t;]*$|(?:flowchart|graph)[ \\t]+(?:TB|TD|BT|RL|LR)\\b|' +
  '(?:sequenceDiagram|classDiagram(?:-v2)?|stateDiagram(?:-v2)?|erDiagram|gantt|pie|journey|gitGraph|mindmap|timeline|' +
  'quadrantChart|requirementDiagram|C4Context|C4Container|C4Component|C4Dynamic|C4Deployment|zenuml|kanban|' +
  '(?:sankey|xychart|block|packet|architecture|radar|treemap)(?:-beta)?)\\b)',
);

/** True when the text's first meaningful line names a mermaid diagram (front matter and `%%` lines skipped). */
export function looksLikeMermaid(text: string): boolean {
  const lines = text.split(/\r\n?|\n/);
  let i = 0;
  if (/^\s*---\s*$/.test(lines[0] ?? '')) {
    // Front matter (title, config): skip to its closing fence.
    const close = lines.findIndex((l, n) => n > 0 && /^\s*---\s*$/.test(l));
    if (close < 0) { return false; }
    i = close + 1;
  }
  for (; i < lines.length; i++) {
    const line = lines[i].trim();
    if (line === '' || line.startsWith('%%')) { continue; }
    return MERMAID_START.test(line);
  }
  return false;
}

/**
 * True for an OpenAPI 3.x or Swagger document, in YAML or JSON. Swagger 1.x (`swaggerVersion`) counts too,
 * so it is told it is not supported rather than passed as plain JSON.
 */
export function looksLikeOpenApi(text: string): boolean {
  const head = text.slice(0, 4000);
  return /^["']?(?:openapi|swagger)["']?[ \t]*:[ \t]*["']?[123]\./m.test(head) ||
    /"(?:openapi|swagger)"\s*:\s*"[123]\./.test(head) || /^\s*["']?swaggerVersion["']?\s*:/m.test(head);
}

/** A file whose name says it is an API description (`openapi.yaml`, `swagger.json`, `orders.openapi.yml`). */
export function namedLikeApiDescription(path: string | undefined): boolean {
  const base = (path ?? '').split(/[\\/]/).pop() ?? '';
  // Tool settings (`openapi-generator-config.yaml`, `openapitools.json`) are not descriptions.
  return /(?:^|[._-])(?:openapi|swagger)(?:[._-][^.]*)?\.(?:ya?ml|json)$/i.test(base) && !/config|generator|lint/i.test(base);
}

/** True when the first statement (after `--` and block comments) is DDL or other PostgreSQL a schema file holds. */
export function looksLikeSql(text: string): boolean {
  const body = text.replace(/\/\*[\s\S]*?\*\//g, '').replace(/^\s*--.*$/gm, '').trimStart();
  return /^(?:CREATE\s+(?:OR\s+REPLACE\s+)?(?:TABLE|(?:UNIQUE\s+)?INDEX|TYPE|SCHEMA|EXTENSION|VIEW|MATERIALIZED\s+VIEW|SEQUENCE|DOMAIN|FUNCTION|TRIGGER)|ALTER\s+TABLE|DROP\s+(?:TABLE|INDEX|TYPE)|INSERT\s+INTO|COMMENT\s+ON|BEGIN\s*;)/i.test(body);
}

/**
 * The text with every fenced code block's lines (fences included) emptied, so headings inside a fenced
 * example are not read as the document's own. Line numbers stay as they were.
 */
export function blankFences(text: string): string {
  let fence: string | undefined;
  return text.split('\n').map(line => {
    const m = /^\s*(`{3,}|~{3,})/.exec(line);
    if (fence === undefined) {
      if (!m) { return line; }
      fence = m[1];
      return '';
    }
    if (m && m[1][0] === fence[0] && m[1].length >= fence.length && line.trim() === m[1]) { fence = undefined; }
    return '';
  }).join('\n');
}

/** True for an architecture decision record: a title plus at least two of the usual sections. */
export function looksLikeAdr(text: string, path?: string): boolean {
  if (path && /(?:^|[\\/])(?:adrs?|decisions?|architecture-decisions?)[\\/][^\\/]+\.md$/i.test(path)) { return true; }
  const prose = blankFences(text);
  const headings = [...prose.matchAll(/^#{1,3}\s+(.+?)\s*#*\s*$/gm)].map(m => m[1].toLowerCase());
  const sections = ['status', 'context', 'decision', 'consequences'];
  const found = sections.filter(s => headings.some(h => h === s || h.startsWith(`${s} `) || h.includes(s)));
  return found.length >= 2 && /^#\s+\S/m.test(prose);
}

function extensionOf(path: string | undefined): string {
  const m = /\.([A-Za-z0-9]+)$/.exec(path ?? '');
  return m ? m[1].toLowerCase() : '';
}

/** The kind, and whether it was guessed from the content because neither language nor path said. */
export interface KindDecision {
  kind: ArtifactKind;
  sniffed: boolean;
}

/**
 * Decides a block's kind. Language and path win when they are specific; YAML and JSON are OpenAPI when the
 * document says so (that is the output contract's own form, so not "sniffed"); generic or missing
 * languages fall back to the content.
 */
export function decideKind(language: string, path: string | undefined, content: string): KindDecision {
  const lang = language.toLowerCase();
  const ext = extensionOf(path);
  if (MERMAID_LANGS.has(lang) || ext === 'mmd' || ext === 'mermaid') { return { kind: 'mermaid', sniffed: false }; }
  if (SQL_LANGS.has(lang) || ext === 'sql') { return { kind: 'sql', sniffed: false }; }
  if (OPENAPI_LANGS.has(lang)) { return { kind: 'openapi', sniffed: false }; }
  if (lang === 'jsonc' || lang === 'json5' || JSONC.test(path ?? '')) { return { kind: 'code', sniffed: false }; }
  const yamlLike = YAML_LANGS.has(lang) || ext === 'yaml' || ext === 'yml';
  const jsonLike = JSON_LANGS.has(lang) || ext === 'json';
  if (yamlLike || jsonLike) {
    // A file named as a spec is checked as one, so a non-API document there is reported, not passed.
    if (looksLikeOpenApi(content) || namedLikeApiDescription(path)) { return { kind: 'openapi', sniffed: false }; }
    return { kind: jsonLike && !yamlLike ? 'json' : 'yaml', sniffed: false };
  }
  if (MARKDOWN_LANGS.has(lang) || ext === 'md') {
    return { kind: looksLikeAdr(content, path) ? 'adr' : 'code', sniffed: false };
  }
  if (GENERIC_LANGS.has(lang)) { return sniffKind(content); }
  return { kind: 'code', sniffed: false };
}

/** Content-only guess, for blocks whose fence says nothing and for whole answers with no fence at all. */
export function sniffKind(content: string): KindDecision {
  if (looksLikeMermaid(content)) { return { kind: 'mermaid', sniffed: true }; }
  if (looksLikeOpenApi(content)) { return { kind: 'openapi', sniffed: true }; }
  if (looksLikeSql(content)) { return { kind: 'sql', sniffed: true }; }
  if (looksLikeAdr(content)) { return { kind: 'adr', sniffed: true }; }
  return { kind: 'code', sniffed: false };
}
