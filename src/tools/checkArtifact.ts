/**
 * `check_artifact`: the artifact checks run on a text the model wrote, so it can check an OpenAPI spec, a SQL
 * schema or a mermaid diagram before it answers. Reads nothing from the workspace. Pure: the checks themselves
 * come from the edge (the validators bundle; mermaid's parser in the webview or under jsdom).
 */
import type { ToolOutcome } from '../llm/toolLoop';
import type { ToolSpec } from '../llm/types';
import { type Args, capResult, refuse, textArg, type ToolContext } from './toolContext';

const KINDS = ['openapi', 'sql', 'mermaid'] as const;
type CheckKind = typeof KINDS[number];
const KIND_LABEL: Record<CheckKind, string> = { openapi: 'OpenAPI', sql: 'SQL', mermaid: 'mermaid' };
/** Longer texts are refused: an artifact in an answer is far smaller. */
const MAX_CONTENT = 200_000;

export const checkArtifactSpec: ToolSpec = {
  name: 'check_artifact',
  description: 'Check an artifact you wrote before you answer: an OpenAPI spec (validated with Redocly\'s rules), PostgreSQL DDL '
    + '(run in an embedded Postgres, rolled back) or a mermaid diagram (mermaid\'s own parser). Returns "valid" or the problems with their lines.',
  parameters: {
    type: 'object',
    properties: {
      kind: { type: 'string', enum: [...KINDS], description: 'What the content is.' },
      content: { type: 'string', description: 'The whole artifact, as it would go in the answer (without the ``` fence).' },
    },
    required: ['kind', 'content'],
    additionalProperties: false,
  },
};

function kindOf(args: Args): CheckKind | undefined {
  const k = textArg(args, 'kind')?.trim().toLowerCase();
  return KINDS.find(x => x === k);
}

/** "Checked OpenAPI (120 lines)". */
export function checkArtifactLabel(args: Args): string {
  const kind = kindOf(args);
  const lines = (textArg(args, 'content') ?? '').split('\n').length;
  return `Checked ${kind ? KIND_LABEL[kind] : 'an artifact'} (${lines} line${lines === 1 ? '' : 's'})`;
}

export async function checkArtifact(args: Args, ctx: ToolContext): Promise<ToolOutcome> {
  if (!ctx.checker) { return refuse('Artifact checks are not available here.'); }
  const kind = kindOf(args);
  if (!kind) { return refuse(`Give kind: one of ${KINDS.join(', ')}.`); }
  const content = textArg(args, 'content') ?? '';
  if (!content.trim()) { return refuse('Give content: the artifact to check.'); }
  if (content.length > MAX_CONTENT) { return refuse(`The content is longer than ${MAX_CONTENT} characters.`); }
  const result = await ctx.checker(kind, content);
  const problems = result.problems.map(p => `line ${p.line}${p.column ? `:${p.column}` : ''} ${p.severity}: ${p.message}`);
  const head = result.status === 'valid' ? `valid (${KIND_LABEL[kind]})`
    : result.status === 'repaired' ? `valid after repair; change these in your answer: ${(result.changes ?? []).join('; ')}`
      : result.status === 'unchecked' ? 'could not be checked here'
        : `invalid (${problems.length} problem${problems.length === 1 ? '' : 's'})`;
  const errors = result.problems.filter(p => p.severity === 'error').length;
  const summary = result.status === 'invalid' ? `invalid, ${errors || problems.length} problem${(errors || problems.length) === 1 ? '' : 's'}` : result.status;
  return { ok: result.status !== 'unchecked', content: capResult([head, ...problems].join('\n')), summary };
}
