/**
 * Plain JSON and YAML artifacts (configs, schemas, manifests): they must parse, and URLs that other tools
 * fetch on their own (`$schema`, `$ref`, ... THREATS T10) are reported for the person to confirm.
 * Uses the `yaml` package with an alias limit (THREATS T11), loaded on first use.
 */
import type * as Yaml from 'yaml';
import { FETCHED_KEYS, isRemoteUrl, remoteReferenceMessage } from './remoteRefs';
import type { ArtifactProblem, ValidationResult } from './types';

const MAX_ALIAS_COUNT = 100;

/** 1-based line and column of an offset in text. */
function position(text: string, offset: number): { line: number; column: number } {
  const before = text.slice(0, Math.max(0, offset));
  const line = before.split('\n').length;
  return { line, column: offset - before.lastIndexOf('\n') };
}

/**
 * Where strict JSON first goes wrong, and why. Node 20's `JSON.parse` names no position for many errors
 * (a trailing comma says only `Unexpected token ']'`), so this small scanner finds it; it runs only after
 * `JSON.parse` has failed.
 */
export function jsonErrorAt(text: string): { offset: number; message: string } | undefined {
  let i = 0;
  const fail = (message: string): never => { throw Object.assign(new Error(message), { offset: i }); };
  const ws = (): void => { while (i < text.length && ' \t\n\r'.includes(text[i])) { i++; } };
  const string = (): void => {
    for (i++; i < text.length; i++) {
      if (text[i] === '"') { i++; return; }
      if (text[i] === '\\') { i++; } else if (text[i] < ' ') { fail('control character in a string'); }
    }
    fail('unterminated string');
  };
  const members = (close: string, member: () => void): void => {
    i++;
    ws();
    if (text[i] === close) { i++; return; }
    for (;;) {
      member();
      ws();
      if (text[i] === close) { i++; return; }
      if (text[i] !== ',') { fail(`expected ',' or '${close}'`); }
      i++;
      ws();
      if (text[i] === close) { fail('trailing comma'); }
    }
  };
  const value = (): void => {
    ws();
    const literal = /^(?:true|false|null|-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?)/.exec(text.slice(i, i + 400));
    if (text[i] === '{') {
      members('}', () => { ws(); if (text[i] !== '"') { fail('expected a property name in double quotes'); } string(); ws(); if (text[i] !== ':') { fail("expected ':'"); } i++; value(); });
    } else if (text[i] === '[') {
      members(']', value);
    } else if (text[i] === '"') {
      string();
    } else if (literal) {
      i += literal[0].length;
    } else {
      fail(i >= text.length ? 'unexpected end of input' : `unexpected ${JSON.stringify(text[i])}`);
    }
  };
  try {
    value();
    ws();
    if (i < text.length) { fail('unexpected text after the JSON value'); }
    return undefined;
  } catch (err) {
    const e = err as Error & { offset?: number };
    return { offset: e.offset ?? 0, message: e.offset === undefined ? 'nested too deeply' : e.message };
  }
}

/** JSON must be strict JSON (no comments, no trailing commas): the tools that read it are. */
function jsonSyntax(text: string): ArtifactProblem | undefined {
  try {
    JSON.parse(text);
    return undefined;
  } catch (err) {
    const at = jsonErrorAt(text) ?? { offset: 0, message: (err as Error).message.split('\n')[0] };
    return { ...position(text, at.offset), severity: 'error', source: 'json', message: `JSON: ${at.message}` };
  }
}

/** Remote URLs under fetched keys, found in the YAML node tree so each keeps its line. */
function remoteUrls(yaml: typeof Yaml, docs: Yaml.Document[], counter: Yaml.LineCounter): ArtifactProblem[] {
  const out: ArtifactProblem[] = [];
  for (const doc of docs) {
    yaml.visit(doc, {
      Pair(_key, pair) {
        const key = yaml.isScalar(pair.key) ? String(pair.key.value) : undefined;
        const value = yaml.isScalar(pair.value) ? pair.value.value : undefined;
        if (!key || !(FETCHED_KEYS as readonly string[]).includes(key) || typeof value !== 'string' || !isRemoteUrl(value)) { return; }
        const at = counter.linePos((pair.key as Yaml.Scalar).range?.[0] ?? 0);
        out.push({ line: at.line, column: at.col, severity: 'warning', source: 'remote-url', message: remoteReferenceMessage({ pointer: '', key, url: value }) });
      },
    });
  }
  return out;
}

/**
 * Checks a JSON (`json: true`) or YAML document: syntax errors and duplicate keys are errors, remote URLs
 * warnings. A YAML stream may hold several documents (`---`), as Kubernetes manifests do.
 */
export async function validateDataFile(text: string, json: boolean): Promise<ValidationResult> {
  const yaml = await import('yaml');
  const counter = new yaml.LineCounter();
  const docs = yaml.parseAllDocuments(text, { lineCounter: counter, uniqueKeys: true, prettyErrors: true });
  const list = Array.isArray(docs) ? docs : [];
  const problems: ArtifactProblem[] = [];
  const syntax = json ? jsonSyntax(text) : undefined;
  if (syntax) { problems.push(syntax); }
  for (const doc of list) {
    for (const e of json ? [] : [...doc.errors, ...doc.warnings]) {
      const at = e.linePos?.[0] ?? { line: 1, col: 1 };
      problems.push({ line: at.line, column: at.col, severity: doc.errors.includes(e) ? 'error' : 'warning', source: 'yaml', message: `YAML: ${e.message.split('\n')[0]}` });
    }
    try {
      doc.toJS({ maxAliasCount: MAX_ALIAS_COUNT });
    } catch (err) {
      if (/alias/i.test((err as Error).message)) {
        problems.push({ line: 1, severity: 'error', source: 'yaml', message: `YAML aliases expand too far: ${(err as Error).message}` });
      }
    }
  }
  if (!problems.some(p => p.severity === 'error')) { problems.push(...remoteUrls(yaml, list, counter)); }
  problems.sort((a, b) => a.line - b.line);
  return { status: problems.some(p => p.severity === 'error') ? 'invalid' : 'valid', problems };
}
