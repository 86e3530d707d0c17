/**
 * Markdown artifacts: light checks for architecture decision records (warnings, never errors: an ADR is
 * prose), and the diagrams, specs and SQL fenced inside any Markdown file, checked like artifacts of their
 * own with their lines moved to the host file's.
 */
import { extractArtifacts } from './extract';
import { blankFences } from './sniff';
import type { Artifact, ArtifactKind, ArtifactProblem, ValidationResult } from './types';

/** The sections of Michael Nygard's ADR template, with the MADR names that stand for the same thing. */
const ADR_SECTIONS: { name: string; also: RegExp; why: string }[] = [
  { name: 'Status', also: /^status\b/, why: 'proposed, accepted, superseded...' },
  { name: 'Context', also: /^(?:context|problem|context and problem statement)\b/, why: 'the forces that make a decision necessary' },
  { name: 'Decision', also: /^(?:decision|decision outcome)\b/, why: 'what was decided, in full sentences' },
  { name: 'Consequences', also: /^(?:consequences|pros and cons|positive consequences|negative consequences)\b/, why: 'what becomes easier or harder' },
];

/** Warnings for an ADR missing its title or one of its sections. Line numbers are the ADR's own. */
export function adrProblems(text: string): ArtifactProblem[] {
  const prose = blankFences(text);
  const lines = prose.split(/\r\n?|\n/);
  const headings = lines.map((l, i) => ({ i, m: /^(#{1,6})\s+(.+?)\s*#*\s*$/.exec(l) })).filter(h => h.m);
  const problems: ArtifactProblem[] = [];
  const firstText = lines.findIndex(l => l.trim() !== '' && l.trim() !== '---');
  if (!headings.some(h => h.m![1] === '#')) {
    problems.push({ line: Math.max(firstText, 0) + 1, severity: 'warning', source: 'adr', message: 'An ADR starts with a title: `# 1. Use PostgreSQL for orders`.' });
  }
  const names = headings.map(h => h.m![2].toLowerCase().replace(/^[\d.]+\s*/, '').replace(/[*_`]/g, ''));
  // MADR keeps the status in front matter or a bullet (`* Status: accepted`) rather than a heading.
  const statusLine = /^(?:status\s*:|\s*[-*]\s*\**status\**\s*:)/im.test(prose);
  const after = headings[0] ? headings[0].i + 1 : 1;
  for (const section of ADR_SECTIONS) {
    if (names.some(n => section.also.test(n)) || (section.name === 'Status' && statusLine)) { continue; }
    problems.push({ line: after, severity: 'warning', source: 'adr', message: `No "${section.name}" section (${section.why}).` });
  }
  return problems;
}

/** Kinds worth checking when fenced inside Markdown; other code is left alone. */
const CHECKED_KINDS = new Set<ArtifactKind>(['mermaid', 'openapi', 'sql', 'json', 'yaml']);

export type BlockValidator = (artifact: Artifact) => Promise<ValidationResult>;

/**
 * Checks a Markdown file: ADR warnings when `adr`, then every checkable fenced block. A repaired block is
 * written back into the Markdown, so `repaired` holds the whole corrected file.
 */
export async function validateMarkdown(text: string, adr: boolean, validateBlock: BlockValidator): Promise<ValidationResult> {
  const problems: ArtifactProblem[] = adr ? adrProblems(text) : [];
  const changes: string[] = [];
  const lines = text.split('\n');
  // Later blocks first, so splicing a repaired block does not move the ones still to come.
  const blocks = extractArtifacts(text, { final: true }).filter(b => CHECKED_KINDS.has(b.kind)).reverse();
  for (const block of blocks) {
    const result = await validateBlock(block);
    const offset = block.startLine - 1;
    for (const p of result.problems) {
      problems.push({ ...p, line: p.line + offset, message: `${block.kind} block: ${p.message}` });
    }
    if (result.status === 'repaired' && result.repaired !== undefined) {
      const old = block.content.replace(/\n$/, '').split('\n').length;
      lines.splice(offset, old, ...result.repaired.replace(/\n$/, '').split('\n'));
      changes.unshift(...(result.changes ?? []).map(c => `${block.kind} block at line ${block.startLine}: ${c}`));
    }
  }
  problems.sort((a, b) => a.line - b.line);
  const invalid = problems.some(p => p.severity === 'error');
  if (!invalid && changes.length) { return { status: 'repaired', problems, repaired: lines.join('\n'), changes }; }
  return { status: invalid ? 'invalid' : 'valid', problems };
}
