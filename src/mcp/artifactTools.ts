/**
 * The four artifact tools' work: the same checks as `backend-architect validate` (validateArtifact, the CLI's
 * report shape), told in words a model can act on. Mermaid gets the deterministic repairs, as in the editor;
 * OpenAPI and SQL are reported as they are. Pure of `vscode`.
 */
import { toReport } from '../artifacts/cliArtifacts';
import { extractArtifacts } from '../artifacts/extract';
import type { ValidationResult } from '../artifacts/types';
import { validateArtifact } from '../artifacts/validate';
import { placeInside, refuseSecretOrEscaping, tooBroadToScan } from './folders';
import type { ToolProblem } from './toolSchemas';
import type { ArtifactToolInput, ToolEnv, ToolOutcome } from './toolTypes';

type CheckedKind = 'openapi' | 'sql' | 'mermaid';

const LABEL: Record<CheckedKind, string> = { openapi: 'OpenAPI document', sql: 'SQL script', mermaid: 'mermaid diagram' };

/**
 * A model often wraps the artifact in a Markdown fence. When the whole text is one fenced block, its inside
 * is checked and lines are counted from the text as given (`offset` is the fence line and blanks above it).
 */
export function unwrapFence(text: string): { content: string; offset: number } {
  // One whitespace class after the closing fence: two overlapping ones backtrack quadratically on long runs.
  const match = /^((?:[ \t]*\r?\n)*)[ \t]*(`{3,}|~{3,})[^\n`]*\r?\n([\s\S]*?)\r?\n[ \t]*\2\s*$/.exec(text);
  // Another fence line of the same kind inside means several blocks (or text between them): not one artifact.
  if (!match || new RegExp(`^[ \\t]*${match[2][0]}{${match[2].length},}`, 'm').test(match[3])) { return { content: text, offset: 0 }; }
  return { content: `${match[3]}\n`, offset: match[1].split('\n').length };
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

/** `file:line:col: severity: message [source]`, the compiler form editors and models both read. */
export function problemLine(p: ToolProblem, label?: string): string {
  const at = p.file ?? label;
  const where = at ? `${at}:${p.line}${p.column ? `:${p.column}` : ''}` : `line ${p.line}${p.column ? `, column ${p.column}` : ''}`;
  return `${where}: ${p.severity}: ${p.message}${p.source ? ` [${p.source}]` : ''}`;
}

function verdictText(kind: CheckedKind, result: ValidationResult, problems: ToolProblem[], label?: string): string {
  const what = LABEL[kind];
  const lines = problems.map(p => problemLine(p, label));
  switch (result.status) {
    case 'valid':
      return [`Valid ${what}.${lines.length ? ` ${plural(lines.length, 'note')}:` : ''}`, ...lines].join('\n');
    case 'repaired':
      return [`The ${what} does not parse as written; these deterministic fixes make it parse:`,
        ...(result.changes ?? []).map(c => `- ${c}`), '', 'Corrected diagram:', '```mermaid', (result.repaired ?? '').replace(/\n$/, ''), '```'].join('\n');
    case 'unchecked':
      return [`The ${what} was not checked.`, ...lines].join('\n');
    default: {
      const errors = problems.filter(p => p.severity === 'error').length;
      const others = problems.length - errors;
      return [`Invalid ${what}: ${plural(errors, 'error')}${others ? `, ${plural(others, 'other note')}` : ''}.`, ...lines].join('\n');
    }
  }
}

/** Where relative `$ref`s of a spec resolve and may be read from, when its `path` is inside a shared folder. */
async function refSettings(kind: CheckedKind, given: string | undefined, env: ToolEnv): Promise<{ settings: object; note?: string }> {
  if (kind !== 'openapi' || !given) { return { settings: {} }; }
  if (env.noReading) { return { settings: {}, note: `References to other files were not followed: ${env.noReading}.` }; }
  const placed = await placeInside(await env.roots(), given);
  if (!placed.ok) { return { settings: {}, note: `References to other files were not followed: ${placed.reason}.` }; }
  if (tooBroadToScan(placed.root)) {
    return { settings: {}, note: `References to other files were not followed: the server's folder is ${placed.root}, not a project (start it with --root).` };
  }
  return { settings: { sourcePath: placed.abs, allowFilesUnder: placed.root, refuseFile: refuseSecretOrEscaping(placed.root) } };
}

/** Runs one check by kind and tells the verdict; never throws for a bad artifact. */
export async function checkArtifact(kind: CheckedKind, input: ArtifactToolInput, env: ToolEnv): Promise<ToolOutcome> {
  const { content, offset } = unwrapFence(input.content);
  const refs = await refSettings(kind, input.path, env);
  const result = await validateArtifact({ kind, content }, {
    repair: kind === 'mermaid', parseMermaid: env.parseMermaid, loadSql: env.loadSql, ...refs.settings,
  });
  const report = toReport(input.path ?? '', kind, result);
  // Lines in other files ($ref targets) are theirs; lines in the artifact count from the text as given.
  const problems: ToolProblem[] = report.problems.map(p => (p.file ? p : { ...p, line: p.line + offset }));
  const data: Record<string, unknown> = { status: result.status };
  let text = verdictText(kind, result, problems, input.path);
  if (result.status === 'repaired') { Object.assign(data, { repaired: result.repaired, changes: result.changes }); }
  const er = result.derived?.find(d => d.kind === 'mermaid')?.content;
  if (kind === 'sql' && er) {
    data.erDiagram = er;
    text += `\n\nER diagram of the tables Postgres built:\n\`\`\`mermaid\n${er.replace(/\n$/, '')}\n\`\`\``;
  }
  if (refs.note) { text += `\n${refs.note}`; }
  return { text, ok: report.ok, problems, data };
}

/** The fenced artifacts of an answer, with the lines they span; a block left open is a warning. */
export async function extractFromAnswer(input: ArtifactToolInput): Promise<ToolOutcome> {
  const artifacts = extractArtifacts(input.content, { final: true }).map(a => {
    const lineCount = Math.max(1, a.content.replace(/\n$/, '').split('\n').length);
    return {
      id: a.id, kind: a.kind, path: a.path ?? null, language: a.language, startLine: a.startLine,
      endLine: a.startLine + lineCount - 1, content: a.content, sniffed: a.sniffed, unterminated: a.unterminated,
    };
  });
  const problems: ToolProblem[] = artifacts.filter(a => a.unterminated).map(a => ({
    line: a.startLine, column: null, severity: 'warning' as const,
    message: `${a.id} (${a.kind}) has no closing fence: the answer may have been cut off inside it.`,
  }));
  const rows = artifacts.map(a => `${a.id}  ${a.kind}  ${a.path ?? '(no path)'}  lines ${a.startLine}-${a.endLine}` +
    `${a.language ? `, ${a.language}` : ''}${a.sniffed ? ', kind guessed from the content' : ''}${a.unterminated ? ', no closing fence' : ''}`);
  const text = artifacts.length === 0
    ? 'No artifacts: the answer holds no fenced code block and does not look like a spec, diagram or SQL.'
    : [`${plural(artifacts.length, 'artifact')} (lines are the answer's):`, ...rows, '',
      'Check each with validate_openapi, validate_sql or validate_mermaid, passing its lines as content.'].join('\n');
  return { text, ok: true, problems, data: { artifacts } };
}
