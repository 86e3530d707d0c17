/**
 * The model-facing half of repair: the message that sends a validator's problems back to the model, and
 * the choice of the corrected block in its reply. The loop (at most two turns) belongs to the session.
 */
import { extractArtifacts } from './extract';
import type { Artifact, ArtifactKind, ArtifactProblem } from './types';

/** What each kind is checked with, named in the prompt so the model knows whose rules it broke. */
const CHECKER: Record<ArtifactKind, string> = {
  openapi: 'an OpenAPI validator (@redocly/openapi-core)',
  mermaid: "mermaid's own parser",
  sql: 'PostgreSQL',
  adr: 'an ADR checklist',
  json: 'a JSON parser',
  yaml: 'a YAML parser',
  code: 'a checker',
};

/** Problems shown to the model; more would crowd out the diagram itself. */
const MAX_PROBLEMS = 20;

/** A fence that no backtick run in `content` can close early. */
function fenceFor(content: string): string {
  const longest = Math.max(2, ...[...content.matchAll(/`{3,}/g)].map(m => m[0].length));
  return '`'.repeat(longest + 1);
}

function formatProblem(p: ArtifactProblem): string {
  const where = `${p.file ? `${p.file}, ` : ''}line ${p.line}${p.column ? `, column ${p.column}` : ''}`;
  return `- ${where}: ${p.message}`;
}

/**
 * The user message for one repair turn: what failed, where, and the block as it stands, asking for the
 * corrected block only, with the same info string so extraction finds it again.
 */
export function repairPrompt(artifact: Pick<Artifact, 'kind' | 'language' | 'content'> & Partial<Pick<Artifact, 'path'>>, problems: ArtifactProblem[]): string {
  const errors = problems.filter(p => p.severity === 'error');
  const shown = (errors.length ? errors : problems).slice(0, MAX_PROBLEMS);
  const more = (errors.length ? errors : problems).length - shown.length;
  const language = artifact.language || (artifact.kind === 'mermaid' ? 'mermaid' : '');
  const info = `${language}${artifact.path ? ` file=${artifact.path}` : ''}`.trim();
  const fence = fenceFor(artifact.content);
  const name = artifact.path ? `\`${artifact.path}\`` : `the ${artifact.kind} block`;
  return [
    `${name} did not pass ${CHECKER[artifact.kind]}:`,
    ...shown.map(formatProblem),
    ...(more > 0 ? [`- and ${more} more.`] : []),
    '',
    'Here it is as you wrote it (line numbers above count from its first line):',
    '',
    `${fence}${info}`,
    artifact.content.replace(/\n$/, ''),
    fence,
    '',
    `Reply with the corrected block only: one fenced block with the info string \`${info || artifact.kind}\`, holding the whole file. ` +
      'Fix these problems and change nothing else. No explanation before or after the block.',
  ].join('\n');
}

/**
 * The corrected content from a repair reply, or undefined when the reply holds nothing usable. Prefers a
 * block with the same path, then the last one of the same kind, then a lone unrecognised block in the same
 * language (a fix that is still broken goes round again rather than being lost). A reply that is the
 * bare file, without a fence, counts when its content sniffs as the right kind (extraction does that).
 */
export function pickRepairedBlock(reply: string, artifact: Pick<Artifact, 'kind' | 'language'> & Partial<Pick<Artifact, 'path'>>): string | undefined {
  const blocks = extractArtifacts(reply, { final: true });
  const sameKind = blocks.filter(b => b.kind === artifact.kind);
  const chosen = (artifact.path ? sameKind.find(b => b.path === artifact.path) : undefined) ??
    (artifact.path ? blocks.find(b => b.path === artifact.path) : undefined) ??
    sameKind[sameKind.length - 1] ??
    // A lone block nothing recognised (a diagram still broken on its first line) in the same or no language.
    (blocks.length === 1 && blocks[0].kind === 'code' && ['', artifact.language].includes(blocks[0].language) ? blocks[0] : undefined);
  return chosen?.content;
}
