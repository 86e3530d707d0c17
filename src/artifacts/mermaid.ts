/**
 * Mermaid validation: mermaid's own parser, problems on the person's lines, then the deterministic fixes.
 * The parser is always injected: the extension passes one that asks the webview's real browser, the
 * dispatcher's default is `parseMermaidInNode` (mermaid under jsdom). Nothing here imports mermaid or jsdom,
 * so this file, `mermaidProblems.ts` and `mermaidRepair.ts` also run in the webview.
 */
import { mermaidErrorToProblems } from './mermaidProblems';
import { repairMermaid } from './mermaidRepair';
import type { ValidationResult } from './types';

/** Resolves when mermaid accepts the text; rejects with mermaid's error (or a `{ message, hash }` copy). */
export type MermaidParse = (text: string) => Promise<unknown>;

export interface MermaidValidateOptions {
  /** Mermaid's parser; without one the diagram is `unchecked`. */
  parse?: MermaidParse;
  /** Try the deterministic fixes when the diagram fails (default true; the CLI checks files as they are). */
  repair?: boolean;
}

/** Mermaid's own `maxTextSize` default; bigger diagrams are refused before parsing (THREATS T14). */
export const MAX_MERMAID_CHARS = 50_000;

/** Runs the parser; undefined when the text passes, the error otherwise. */
async function failure(parse: MermaidParse, text: string): Promise<unknown> {
  try {
    await parse(text);
    return undefined;
  } catch (err) {
    // A rejection without a value still means "invalid": keep something to describe.
    return err ?? new Error('mermaid rejected the diagram');
  }
}

/**
 * Valid, repaired (with the fixed text and what changed), or invalid (with mermaid's problems on the
 * original's lines). A parser that cannot start at all (no DOM shim) gives `unchecked`, not `invalid`.
 */
export async function validateMermaid(text: string, options: MermaidValidateOptions = {}): Promise<ValidationResult> {
  if (text.length > MAX_MERMAID_CHARS) {
    return { status: 'invalid', problems: [{ line: 1, column: 1, severity: 'error', source: 'mermaid', message: `Diagram too large: ${text.length} characters, mermaid renders at most ${MAX_MERMAID_CHARS}.` }] };
  }
  const parse = options.parse;
  if (!parse) {
    return { status: 'unchecked', problems: [{ line: 1, severity: 'info', source: 'mermaid', message: 'Mermaid validation unavailable: no mermaid parser was given.' }] };
  }
  const error = await failure(parse, text);
  if (error === undefined) { return { status: 'valid', problems: [] }; }
  if (isStartupFailure(error)) {
    return { status: 'unchecked', problems: [{ line: 1, severity: 'info', source: 'mermaid', message: `Mermaid validation unavailable: ${(error as Error).message}` }] };
  }
  const problems = mermaidErrorToProblems(text, error);
  if (options.repair === false) { return { status: 'invalid', problems }; }
  const fixed = repairMermaid(text);
  if (fixed.changes.length && (await failure(parse, fixed.text)) === undefined) {
    return { status: 'repaired', problems: [], repaired: fixed.text, changes: fixed.changes };
  }
  return { status: 'invalid', problems };
}

/** Errors that say the parser could not run, as opposed to "this diagram is wrong". */
function isStartupFailure(error: unknown): boolean {
  const message = (error as Error | undefined)?.message ?? '';
  return /mermaid could not start|Cannot find module|ERR_MODULE_NOT_FOUND|ERR_REQUIRE_ESM/.test(message);
}
