/**
 * What `@architect` writes under an answer in VS Code's Chat view: each file the answer proposes with its
 * check, the review's findings, and how the answer ended. Markdown text only; the edge adds the buttons. Pure.
 */
import type { AnswerStatusName, ArtifactView, FindingView } from '../protocol';

const statusWords: Record<ArtifactView['status'], string> = {
  checking: 'still being checked', valid: 'valid', repaired: 'repaired', invalid: 'invalid', unchecked: 'not checked',
};
const kindWords: Record<string, string> = { openapi: 'OpenAPI', mermaid: 'diagram', sql: 'SQL', adr: 'ADR', json: 'JSON', yaml: 'YAML', code: 'code' };

/** How many problems are listed per file; the panel lists them all. */
const problemsShown = 5;

/**
 * Text from a model or a validator, made inert for Markdown: no link, image, emphasis or HTML can be formed
 * from it (the Chat view renders Markdown, and a path or a message is data).
 */
export function escapeMarkdown(text: string): string {
  return text.replace(/[\\`*_{}[\]()<>#+!|~]/g, m => `\\${m}`).replace(/\r?\n/g, ' ');
}

/** A path as inline code, whatever backticks it holds. */
export function inlineCode(text: string): string {
  const longest = Math.max(0, ...(text.match(/`+/g) ?? []).map(r => r.length));
  const fence = '`'.repeat(longest + 1);
  return `${fence}${longest ? ' ' : ''}${text.replace(/\r?\n/g, ' ')}${longest ? ' ' : ''}${fence}`;
}

/**
 * What to append so text written after an answer is not swallowed by a code block the answer left open (an
 * answer cut off inside a fence). The Chat view joins consecutive Markdown parts into one document.
 */
export function closeOpenFence(answer: string): string {
  let open: string | undefined;
  for (const line of answer.split('\n')) {
    const m = /^ {0,3}(`{3,}|~{3,})/.exec(line);
    if (!m) { continue; }
    if (!open) { open = m[1]; } else if (m[1][0] === open[0] && m[1].length >= open.length && line.trim() === m[1]) { open = undefined; }
  }
  return open ? `\n${open}\n` : '';
}

/**
 * A command link (`[title](command:id?args)`): clickable only in Markdown that trusts that command. Titles
 * are ours; the arguments are ids the command looks up again, never paths or content.
 */
export function commandLink(title: string, command: string, args: readonly unknown[]): string {
  // encodeURIComponent leaves ( ) ' ! * alone; a ) would end the link early.
  const query = encodeURIComponent(JSON.stringify(args)).replace(/[()'!*]/g, c => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
  return `[${escapeMarkdown(title)}](command:${command}?${query} "${title.replace(/"/g, '\'')}")`;
}

/** One file of an answer: its path, kind and check, then what changed, the first problems, and its links. */
export function artifactMarkdown(a: ArtifactView, links?: string): string {
  const name = a.path ? inlineCode(a.path) : '(no path given)';
  const kind = a.title ? escapeMarkdown(a.title) : kindWords[a.kind] ?? escapeMarkdown(a.kind);
  const status = a.partial ? 'cut off (the answer ended inside it)' : statusWords[a.status];
  const lines = [`**${name}** · ${kind} · ${status}`];
  if (a.written) { lines.push(`  - written to ${inlineCode(a.written)}`); }
  for (const c of a.changes ?? []) { lines.push(`  - ${escapeMarkdown(c)}`); }
  for (const p of a.problems.slice(0, problemsShown)) {
    lines.push(`  - line ${p.line}${p.column ? `:${p.column}` : ''}: ${p.severity}: ${escapeMarkdown(p.message)}`);
  }
  if (a.problems.length > problemsShown) { lines.push(`  - … ${a.problems.length - problemsShown} more (Open in Panel lists them all)`); }
  if (a.write && !a.written && !a.partial) { lines.push(`  - Write: ${escapeMarkdown(a.write.words)}`); }
  if (links) { lines.push(`  - ${links}`); }
  return `${lines.join('\n')}\n\n`;
}

/** The heading over the files, counting how many passed. */
export function artifactsHeading(views: readonly ArtifactView[]): string {
  const ok = views.filter(v => v.status === 'valid' || v.status === 'repaired').length;
  const bad = views.filter(v => v.status === 'invalid').length;
  const counts = [`${ok} passed`, bad ? `${bad} invalid` : '', views.length - ok - bad ? `${views.length - ok - bad} not checked` : ''].filter(Boolean).join(', ');
  return `\n\n---\n\n**Files in this answer** (${views.length}: ${counts})\n\n`;
}

/**
 * A review's findings, most severe first; `fileLink` turns a finding's file and line into a link target (the
 * edge gives the file's URI), or undefined to show the place as plain code.
 */
export function findingsMarkdown(findings: readonly FindingView[], fileLink?: (file: string, line: number | undefined) => string | undefined): string {
  if (!findings.length) { return ''; }
  const order = { error: 0, warning: 1, info: 2 };
  const place = (f: FindingView): string => {
    const where = `${f.file}${f.line ? `:${f.line}` : ''}`;
    const target = fileLink?.(f.file!, f.line);
    return target ? `[${escapeMarkdown(where)}](<${target.replace(/[<>\s]/g, encodeURIComponent)}>)` : inlineCode(where);
  };
  const rows = findings.slice().sort((a, b) => order[a.severity] - order[b.severity])
    .map(f => `- ${f.severity}: **${escapeMarkdown(f.title)}**${f.file ? ` (${place(f)})` : ''}`);
  return `\n\n**Findings** (${findings.length}, also in the Problems panel)\n\n${rows.join('\n')}\n`;
}

/** A line saying how an answer ended, for every ending but a complete one. */
export function endingMarkdown(status: AnswerStatusName, note: string | undefined): string {
  if (status === 'complete') { return note ? `\n\n_${escapeMarkdown(note)}_\n` : ''; }
  const what: Record<AnswerStatusName, string> = {
    complete: '', streaming: 'still streaming', stopped: 'Stopped: the rest of the answer was not asked for.',
    truncated: 'The answer was cut off: the stream ended early.', filtered: 'The provider filtered the answer.',
    length: 'The answer hit the length limit.', empty: 'The model ended without writing an answer.',
    refused: 'The model declined to answer.', failed: 'The request failed.',
  };
  return `\n\n_${[what[status], note ? escapeMarkdown(note) : ''].filter(Boolean).join(' ')}_\n`;
}
