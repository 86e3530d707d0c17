/**
 * A fast path for the header nearly every agent definition has: flat `key: value` lines (358 of the 363
 * fenced headers in the corpus). For that shape YAML's meaning is fixed and simple, so it is read here
 * without the `yaml` package, whose cold start dominated the first read of a folder of definitions.
 *
 * The rule is to answer only when the answer is certain: anything this reader is not sure of (nesting,
 * lists, block scalars, escapes, numbers, booleans, `: ` or ` #` inside a value, odd characters, duplicate
 * or dangerous keys) returns undefined and the strict `yaml` reader decides. A unit test holds this reader
 * to the `yaml` reader's result on every header of the corpus, the seeds and the quirk fixtures.
 */
import type { YamlRead } from './types';

/** A plain top-level key and the rest of its line. */
const KEY_LINE = /^([A-Za-z_][A-Za-z0-9_-]*):(?: +(.*))?$/;
/** Characters that start something other than a plain string (YAML 1.2 indicators, numbers, `~`, `.`). */
const NOT_PLAIN_START = /^[-?:,[\]{}#&*!|>'"%@`+.~0-9]/;
/** Words the core schema reads as null or booleans. */
const SPECIAL_WORDS = new Set(['null', 'Null', 'NULL', 'true', 'True', 'TRUE', 'false', 'False', 'FALSE']);
/** Controls, tabs, byte-order marks, non-characters and Unicode line separators: left to the real parser. */
const UNSURE_CHARS = /[\u0000-\u001f\u007f-\u009f\u2028\u2029\ufeff\ufffe\uffff]/;
const UNSAFE_KEYS = new Set(['__proto__', 'constructor', 'prototype']);

/**
 * Reads `text` when it is a flat list of `key: value` lines with plain or simply quoted string values;
 * undefined otherwise. Lines in the result are 1-based lines of `text`, as the strict reader gives them.
 */
export function readFlatYaml(text: string): YamlRead | undefined {
  const data: Record<string, unknown> = {};
  const keyLines = new Map<string, number>();
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i];
    if (line.trim() === '' || line.startsWith('#')) { continue; }
    const m = KEY_LINE.exec(line);
    if (!m) { return undefined; }
    const key = m[1];
    if (UNSAFE_KEYS.has(key) || keyLines.has(key)) { return undefined; }
    const value = m[2] === undefined ? null : scalar(m[2]);
    if (value === undefined) { return undefined; }
    data[key] = value;
    keyLines.set(key, i + 1);
  }
  if (keyLines.size === 0) { return undefined; }
  return { syntaxFailed: false, data, keyLines, problems: [] };
}

/** The string a one-line value stands for, null for an empty one, undefined when not certain. */
function scalar(raw: string): string | null | undefined {
  const value = raw.replace(/ +$/, '');
  if (value === '') { return null; }
  if (UNSURE_CHARS.test(value)) { return undefined; }
  if (value.startsWith('"')) { return doubleQuoted(value); }
  if (value.startsWith("'")) { return singleQuoted(value); }
  if (NOT_PLAIN_START.test(value) || SPECIAL_WORDS.has(value)) { return undefined; }
  // `: ` starts a nested mapping, ` #` a comment, and a trailing `:` is a key: none of it is a plain string.
  if (value.includes(': ') || value.includes(' #') || value.endsWith(':')) { return undefined; }
  return value;
}

/** `"text"` with no escapes and no other quote: the text between the quotes. */
function doubleQuoted(value: string): string | undefined {
  if (value.length < 2 || !value.endsWith('"')) { return undefined; }
  const inner = value.slice(1, -1);
  return inner.includes('"') || inner.includes('\\') ? undefined : inner;
}

/** `'text'` where a quote inside is written twice: the text with each pair made one. */
function singleQuoted(value: string): string | undefined {
  if (value.length < 2 || !value.endsWith("'")) { return undefined; }
  const inner = value.slice(1, -1);
  // Every quote inside must be half of a doubled pair; a lone one ends the string early.
  if (inner.replace(/''/g, '').includes("'")) { return undefined; }
  return inner.replace(/''/g, "'");
}
