/**
 * `backend-architect agents [--json] PATH...`: reads agent definitions the way the extension does and
 * prints what it understood, so authors can check a file without VS Code.
 */
import { type CliIo, HELP_OPTION, helpOrUsageError, readCommandLine, terminalSafe, describeFsError } from '../cliSupport';
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { exceedsAgentFileCap, parseAgentDefinition } from './parse';
import type { ParseOptions, ParseResult } from './types';


/** What `--json` prints per file; `null` where a refused file has no agent. */
export interface AgentReport {
  file: string;
  name: string | null;
  description: string | null;
  model: string | null;
  tools: string[];
  body: string | null;
  problems: { line: number; message: string; severity: string }[];
}

export const AGENTS_USAGE = `Usage: backend-architect agents [options] PATH...

Reads agent definitions (Markdown with a YAML header) and prints what was understood.
A folder is searched recursively for *.md files (node_modules and dot-folders are skipped).

Options:
  --json                 print a JSON array, one object per file
  --model NAME=MODEL     map a model name used in definitions to your provider's model (repeatable)
  --default-model MODEL  the model named in notes for unmapped models
  -h, --help             show this help

Exit status: 0 when every path was read (even if definitions have problems), 2 when a path could
not be read or the arguments are wrong.
`;

interface CliArgs {
  json: boolean;
  paths: string[];
  options: ParseOptions & { modelMap: Record<string, string> };
}

/**
 * Runs the `agents` subcommand. `args` excludes the subcommand name. Returns the exit code; never
 * throws for bad input, unreadable paths or malformed files.
 */
export async function runAgentsCommand(args: string[], io: CliIo): Promise<number> {
  const parsed = parseArgs(args);
  const early = helpOrUsageError(parsed, 'agents', AGENTS_USAGE, io);
  if (early !== undefined || typeof parsed === 'string') { return early ?? 2; }
  let exitCode = 0;
  const results: ParseResult[] = [];
  for (const target of parsed.paths) {
    let files: string[];
    try {
      files = await markdownFiles(target);
    } catch (err) {
      io.stderr(terminalSafe(`backend-architect agents: cannot read ${target}: ${describeFsError(err)}\n`));
      exitCode = 2;
      continue;
    }
    for (const file of files) {
      try {
        results.push(await readOne(file, parsed.options));
      } catch (err) {
        io.stderr(terminalSafe(`backend-architect agents: cannot read ${file}: ${describeFsError(err)}\n`));
        exitCode = 2;
      }
    }
  }
  io.stdout(terminalSafe(parsed.json ? `${JSON.stringify(results.map(toReport), null, 2)}\n` : formatText(results)));
  return exitCode;
}

function parseArgs(args: string[]): CliArgs | 'help' | string {
  const read = readCommandLine(args, { ...HELP_OPTION, json: { type: 'boolean' }, model: { type: 'string', multiple: true }, 'default-model': { type: 'string' } });
  if (typeof read === 'string') { return read; }
  const { values, positionals } = read;
  const out: CliArgs = { json: !!values.json, paths: positionals, options: { modelMap: {} } };
  if (values['default-model'] !== undefined) { out.options.defaultModel = values['default-model']; }
  for (const value of values.model ?? []) {
    const eq = value.indexOf('=');
    if (eq <= 0 || eq === value.length - 1) { return `--model expects NAME=MODEL, got "${value}"`; }
    // defineProperty: a name such as "__proto__" must become a key, not a prototype.
    Object.defineProperty(out.options.modelMap, value.slice(0, eq), { value: value.slice(eq + 1), enumerable: true, writable: true, configurable: true });
  }
  return out.paths.length === 0 ? 'no PATH given' : out;
}

/** The file itself, or every *.md under a folder, sorted so output is stable. Symlinked folders are not followed. */
async function markdownFiles(target: string): Promise<string[]> {
  const stat = await fs.stat(target);
  if (!stat.isDirectory()) { return [target]; }
  const found: string[] = [];
  const walk = async (dir: string): Promise<void> => {
    const entries = await fs.readdir(dir, { withFileTypes: true });
    entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    for (const entry of entries) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) {
        if (!entry.name.startsWith('.') && entry.name !== 'node_modules') { await walk(full); }
      } else if ((entry.isFile() || entry.isSymbolicLink()) && /\.md$/i.test(entry.name)) {
        found.push(full);
      }
    }
  };
  await walk(target);
  return found;
}

/** Oversized files are judged on their size alone and never read. */
async function readOne(file: string, options: ParseOptions): Promise<ParseResult> {
  const { size } = await fs.stat(file);
  if (exceedsAgentFileCap(size)) { return parseAgentDefinition('', file, { ...options, size }); }
  return parseAgentDefinition(await fs.readFile(file), file, options);
}

function toReport(result: ParseResult): AgentReport {
  const a = result.agent;
  return {
    file: result.file,
    name: a?.name ?? null,
    description: a?.description ?? null,
    model: a?.model ?? null,
    tools: a?.tools ?? [],
    body: a?.body ?? null,
    problems: result.problems.map(p => ({ line: p.line, message: p.message, severity: p.severity })),
  };
}

function formatText(results: ParseResult[]): string {
  const out: string[] = [];
  for (const r of results) {
    const a = r.agent;
    out.push(a ? `${r.file}` : `${r.file}  (not loaded)`);
    if (a) {
      const model = a.model === undefined ? '-' : a.resolvedModel ? `${a.model} -> ${a.resolvedModel}` : a.model;
      out.push(`  name         ${a.name}`);
      out.push(`  description  ${oneLine(a.description, 100) || '-'}`);
      out.push(`  model        ${model}`);
      out.push(`  tools        ${a.tools.length ? a.tools.join(', ') : '-'}`);
      out.push(`  body         ${a.body.split('\n').length} lines from line ${a.bodyStartLine}: ${oneLine(a.body, 60)}`);
    }
    for (const p of r.problems) { out.push(`  ${p.severity.padEnd(7)} line ${p.line}: ${p.message}`); }
    out.push('');
  }
  const loaded = results.filter(r => r.agent).length;
  const count = (s: string): number => results.reduce((n, r) => n + r.problems.filter(p => p.severity === s).length, 0);
  out.push(`${results.length} file${results.length === 1 ? '' : 's'}, ${loaded} loaded, ${count('error')} errors, ${count('warning')} warnings`);
  return `${out.join('\n')}\n`;
}

function oneLine(text: string, max: number): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > max ? `${flat.slice(0, max - 1)}…` : flat;
}

