/**
 * `read_file`: lines of a text file, numbered as in the file, so the findings the model writes name real
 * lines. Secrets, binaries, links and anything outside the folder are refused; secret-looking values are
 * redacted and hidden Unicode removed without moving a line. Pure.
 */
import type { ToolOutcome } from '../llm/toolLoop';
import type { ToolSpec } from '../llm/types';
import { checkReadPath } from './readPaths';
import { cleaningNote, prepareText } from './text';
import { type Args, describeReadError, intArg, refuse, RESULT_CHARS, textArg, type ToolContext } from './toolContext';

/** The most of a file read at all; later lines of a larger file are out of reach. */
export const MAX_READ_BYTES = 2 * 1024 * 1024;
/** The most lines one call returns. */
const MAX_LINES = 400;
/** Longer lines are cut (minified code would otherwise fill a result with one line). */
const MAX_LINE_CHARS = 400;

export const readFileSpec: ToolSpec = {
  name: 'read_file',
  description: `Read a text file of the folder under review, with line numbers. At most ${MAX_LINES} lines per call: `
    + 'pass startLine and endLine to read a part or to continue. Secret-looking values come back as [redacted]; '
    + 'secret files, binaries and symbolic links are refused.',
  parameters: {
    type: 'object',
    properties: {
      path: { type: 'string', description: 'Path relative to the folder, e.g. "src/routes/orders.js".' },
      startLine: { type: 'integer', description: 'First line to read, 1-based (default 1).' },
      endLine: { type: 'integer', description: `Last line to read (default startLine + ${MAX_LINES - 1}).` },
    },
    required: ['path'],
    additionalProperties: false,
  },
};

/** "Read src/routes/orders.js 1-80". */
export function readFileLabel(args: Args): string {
  const start = intArg(args, 'startLine', 1, Number.MAX_SAFE_INTEGER);
  const end = intArg(args, 'endLine', 1, Number.MAX_SAFE_INTEGER);
  const range = start !== undefined || end !== undefined ? ` ${start ?? 1}-${end ?? ''}` : '';
  return `Read ${textArg(args, 'path') ?? '(no path)'}${range}`;
}

export async function readFile(args: Args, ctx: ToolContext): Promise<ToolOutcome> {
  const verdict = checkReadPath(textArg(args, 'path'));
  if (!verdict.ok) { return refuse(`Not read: ${verdict.reason}.`); }
  const path = verdict.path;
  let bytes: Uint8Array;
  try {
    bytes = await ctx.head(path, MAX_READ_BYTES + 1);
  } catch (e) {
    return refuse(`Not read: ${path}: ${describeReadError(e)}.`, /no such file/.test(describeReadError(e)) ? 'no such file' : 'refused');
  }
  const cut = bytes.length > MAX_READ_BYTES;
  const prepared = prepareText(cut ? bytes.subarray(0, MAX_READ_BYTES) : bytes, path, cut);
  if (!prepared.ok) { return refuse(`Not read: ${path} is ${prepared.why}.`); }
  const lines = prepared.text.split('\n');
  if (lines.length > 1 && lines[lines.length - 1] === '') { lines.pop(); }
  const total = lines.length;
  const start = intArg(args, 'startLine', 1, Number.MAX_SAFE_INTEGER) ?? 1;
  if (start > total) { return refuse(`Not read: ${path} has ${total} line${total === 1 ? '' : 's'}${cut ? ' in its first 2 MB' : ''}; line ${start} is past the end.`, 'past the end'); }
  const wanted = Math.min(total, intArg(args, 'endLine', start, Number.MAX_SAFE_INTEGER) ?? start + MAX_LINES - 1, start + MAX_LINES - 1);
  const width = String(wanted).length;
  const body: string[] = [];
  let chars = 0;
  let last = start - 1;
  for (let n = start; n <= wanted; n++) {
    const text = lines[n - 1];
    const line = `${String(n).padStart(width)}| ${text.length > MAX_LINE_CHARS ? `${text.slice(0, MAX_LINE_CHARS)}… [line cut]` : text}`;
    if (chars + line.length + 1 > RESULT_CHARS - 400 && body.length > 0) { break; }
    body.push(line);
    chars += line.length + 1;
    last = n;
  }
  const of = cut ? `${total}+ (only the first 2 MB is read)` : String(total);
  const note = cleaningNote(prepared.redactions, prepared.hidden);
  const head = `${path}, lines ${start}-${last} of ${of}${note ? ` (${note})` : ''}:`;
  const more = last < total ? `\n[${total - last} more lines: read on with startLine ${last + 1}]` : '';
  const summary = `${last - start + 1} of ${total} lines${prepared.redactions ? `, ${prepared.redactions} redacted` : ''}`;
  return { ok: true, content: `${head}\n${body.join('\n')}${more}`, summary };
}
