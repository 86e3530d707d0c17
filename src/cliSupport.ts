/** What every CLI subcommand shares: where output goes, and how untrusted text and file errors are shown. */
import { promises as fs } from 'node:fs';
import { parseArgs, type ParseArgsConfig } from 'node:util';

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

type OptionSpec = NonNullable<ParseArgsConfig['options']>;

/** `-h`/`--help`, which every subcommand takes: spread it into the options given to readCommandLine. */
export const HELP_OPTION = { help: { type: 'boolean', short: 'h' } } as const;

/**
 * A subcommand's arguments read by Node's own parser: `--flag value` and `--flag=value`, `--` before a path
 * that starts with a dash, `-` as a path. Returns the values and the other arguments, 'help' when `--help` was
 * given, or what is wrong in the same words for every subcommand ("unknown option --x", "--spec needs a value").
 */
export function readCommandLine<O extends OptionSpec>(args: string[], options: O): ReturnType<typeof parseArgs<{ args: string[]; options: O; allowPositionals: true; strict: true }>> | 'help' | string {
  let read;
  try {
    read = parseArgs({ args, options, allowPositionals: true, strict: true });
  } catch (err) {
    const e = err as { code?: string; message?: string };
    const flag = /'(-[^' ]+)/.exec(e.message ?? '')?.[1] ?? '';
    if (e.code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION') { return `unknown option ${flag}`; }
    if (e.code === 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE') {
      if (/does not take an argument/.test(e.message ?? '')) { return `${flag} takes no value`; }
      if (/ambiguous/.test(e.message ?? '')) { return `${flag} needs a value (write ${flag}=VALUE for one that starts with a dash)`; }
      return `${flag} needs a value`;
    }
    return e.message ?? String(err);
  }
  return (read.values as { help?: boolean }).help ? 'help' : read;
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
