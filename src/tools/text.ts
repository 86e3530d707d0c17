/**
 * A file's bytes to the text a tool may send: binaries refused (NUL bytes, or not UTF-8), hidden Unicode
 * stripped (THREATS T7), secret-looking values redacted (T13), and every line kept where it was, so the line
 * numbers the model cites are the file's own. Pure.
 */
import { hasHiddenUnicode, stripHiddenFromLines, toWellFormed } from '../agents/unicode';
import { isEnvTemplate, REDACTED, redactSecrets } from '../context/secrets';

export type PreparedText =
  | { ok: true; text: string; redactions: number; hidden: number }
  | { ok: false; why: string };

/** How far into a file the NUL-byte check looks, as git does. */
const BINARY_PROBE = 8000;
// A private key spans lines: replaced line by line here, so later lines keep their numbers.
const PRIVATE_KEY = /-----BEGIN[ A-Z0-9]*PRIVATE KEY(?: BLOCK)?-----[\s\S]*?(?:-----END[ A-Z0-9]*PRIVATE KEY(?: BLOCK)?-----|$)/g;

/** True when the bytes look binary (a NUL byte near the start). */
export function looksBinary(bytes: Uint8Array): boolean {
  return bytes.subarray(0, BINARY_PROBE).includes(0);
}

/**
 * Decodes and cleans one file's bytes.
 * @param cut the bytes are the head of a longer file (a character split at the end is dropped, not garbled)
 */
export function prepareText(bytes: Uint8Array, path: string, cut = false): PreparedText {
  if (looksBinary(bytes)) { return { ok: false, why: 'a binary file (it holds NUL bytes); only text is read' }; }
  let text = new TextDecoder('utf-8').decode(bytes, { stream: cut });
  const invalid = countInvalid(text);
  if (invalid > 8 && invalid * 100 > text.length) { return { ok: false, why: 'not UTF-8 text (binary?); only text is read' }; }
  text = text.replace(/\r\n?/g, '\n');
  let hidden = 0;
  if (hasHiddenUnicode(text)) {
    const lines = toWellFormed(text).split('\n');
    hidden = stripHiddenFromLines(lines).suspicious.count;
    text = lines.join('\n');
  }
  let keys = 0;
  if (text.includes('PRIVATE KEY')) {
    text = text.replace(PRIVATE_KEY, block => { keys++; return block.split('\n').map(() => REDACTED).join('\n'); });
  }
  const redacted = redactSecrets(text, { path, strict: isEnvTemplate(path) });
  return { ok: true, text: redacted.text, redactions: redacted.count + keys, hidden };
}

function countInvalid(text: string): number {
  let n = 0;
  for (let i = text.indexOf('\ufffd'); i >= 0; i = text.indexOf('\ufffd', i + 1)) { n++; }
  return n;
}

/** "2 values redacted, 1 hidden character removed", or '' when nothing was. */
export function cleaningNote(redactions: number, hidden: number): string {
  const parts: string[] = [];
  if (redactions) { parts.push(`${redactions} secret-looking value${redactions === 1 ? '' : 's'} replaced with ${REDACTED}`); }
  if (hidden) { parts.push(`${hidden} hidden Unicode character${hidden === 1 ? '' : 's'} removed`); }
  return parts.join(', ');
}
