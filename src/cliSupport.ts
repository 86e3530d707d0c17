/** What every CLI subcommand shares: where output goes, and how untrusted text and file errors are shown. */
import { promises as fs } from 'node:fs';

export interface CliIo {
  stdout(s: string): void;
  stderr(s: string): void;
}

/**
 * Printed text may come from untrusted files (agent definitions, answers, workspace files): control
 * characters (ESC, C1 CSI) could drive the terminal, and JSON escapes C0 but not DEL or C1, so every
 * output passes through here.
 */
export function terminalSafe(text: string): string {
  return text.replace(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/g, c => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/**
 * What a subcommand does with its parsed arguments when they are not a request to run: `--help` prints the
 * usage (exit 0), an argument error prints it with the error (exit 2). Undefined means: go on.
 */
export function helpOrUsageError(parsed: unknown, command: string, usage: string, io: CliIo): number | undefined {
  if (parsed === 'help') { io.stdout(usage); return 0; }
  if (typeof parsed === 'string') { io.stderr(`backend-architect ${command}: ${parsed}\n\n${usage}`); return 2; }
  return undefined;
}

/** A file-system error in a few words a person can act on. */
export function describeFsError(err: unknown): string {
  const e = err as NodeJS.ErrnoException;
  if (e?.code === 'ENOENT') { return 'no such file or folder'; }
  if (e?.code === 'ENOTDIR') { return 'not a folder'; }
  if (e?.code === 'EACCES' || e?.code === 'EPERM') { return 'permission denied'; }
  return e?.message ?? String(err);
}

/**
 * True when `dir` is a folder that can be read; otherwise prints `backend-architect COMMAND: cannot read DIR:
 * why` and returns false (the caller exits 2).
 */
export async function isReadableFolder(dir: string, command: string, io: CliIo): Promise<boolean> {
  try {
    const st = await fs.stat(dir);
    if (!st.isDirectory()) { throw Object.assign(new Error('not a folder'), { code: 'ENOTDIR' }); }
    return true;
  } catch (err) {
    io.stderr(terminalSafe(`backend-architect ${command}: cannot read ${dir}: ${describeFsError(err)}\n`));
    return false;
  }
}
