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

/** JSON must be strict JSON (no comments, no trailing commas): tools that read it are. */
function jsonSyntax(text: string): ArtifactProblem | undefined {
  try {
    JSON.parse(text);
    return undefined;
  } catch (err) {
    const message = (err as Error).message;
    const at = /position (\d+)/.exec(message);
    const where = at ? position(text, Number(at[1])) : { line: 1, column: 1 };
    return { ...where, severity: 'error', source: 'json', message: `JSON: ${message.replace(/ in JSON at position \d+.*$/, '')}` };
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
