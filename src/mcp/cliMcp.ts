/**
 * `backend-architect mcp [--root DIR]...`: the checks as an MCP server on stdin/stdout, for agents (Claude
 * Code, Claude Desktop, Cursor, VS Code). Built as its own bundle (dist/mcp.js, with the SDK) that the CLI
 * loads only for this command. Runs until the client closes stdin.
 */
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import type { Readable, Writable } from 'node:stream';
import { type CliIo, describeFsError, HELP_OPTION, helpOrUsageError, readCommandLine, terminalSafe } from '../cliSupport';
import { shutdownSqlValidator } from '../artifacts/sql/validateSql';
import { LineTransport } from './lineTransport';
import { createArchitectServer, screenRequest, type ArchitectServerOptions } from './server';

export const MCP_USAGE = `Usage: backend-architect mcp [--root DIR]...

Serves the checks to agents over the Model Context Protocol, on stdin/stdout (MCP clients start it; it is
not interactive). Tools: validate_openapi, validate_sql (runs the DDL in an embedded PostgreSQL),
validate_mermaid (with deterministic repairs), extract_artifacts, workspace_context. Each takes the
artifact's text as "content" and an optional "path"; workspace_context takes a folder as "path".
Nothing is written and nothing is fetched from the network.

The tools read files only inside the project folders: the --root folders, else the folders the client
shares (MCP roots), else the working folder. Secret files (.env, keys, credentials) are never read.

Options:
  --root DIR   a folder the tools may read (repeatable); the first is where relative paths start
  -h, --help   show this help
`;

export interface McpCommandOptions {
  version?: string;
  /** Replace stdin/stdout (tests); by default the process's, and the process is guarded against stray errors. */
  input?: Readable;
  output?: Writable;
  cwd?: string;
  /** Engines for the checks when not the defaults (the server shipped in the VS Code extension explains a missing mermaid). */
  engines?: ArchitectServerOptions['engines'];
}

function parseArgs(args: string[]): { roots: string[] } | 'help' | string {
  const read = readCommandLine(args, { ...HELP_OPTION, root: { type: 'string', multiple: true } });
  if (typeof read === 'string') { return read; }
  const roots = read.values.root ?? [];
  if (roots.includes('')) { return '--root needs a folder'; }
  if (read.positionals.length) { return `unexpected argument "${read.positionals[0]}" (folders are given with --root)`; }
  return { roots };
}

/** The --root folders, absolute; an error message naming the first one that is not a readable folder. */
async function checkRoots(given: string[], cwd: string): Promise<string[] | string> {
  const out: string[] = [];
  for (const root of given) {
    const abs = path.resolve(cwd, root);
    try {
      if (!(await fs.stat(abs)).isDirectory()) { return `--root ${root}: not a folder`; }
    } catch (err) {
      return `--root ${root}: ${describeFsError(err)}`;
    }
    out.push(abs);
  }
  return out;
}

/** Runs the server until stdin closes; resolves with the exit code (2 for bad arguments). */
export async function runMcpCommand(args: string[], io: CliIo, options: McpCommandOptions = {}): Promise<number> {
  const parsed = parseArgs(args);
  const early = helpOrUsageError(parsed, 'mcp', MCP_USAGE, io);
  if (early !== undefined || typeof parsed === 'string') { return early ?? 2; }
  const cwd = options.cwd ?? process.cwd();
  const roots = await checkRoots(parsed.roots, cwd);
  if (typeof roots === 'string') { return helpOrUsageError(roots, 'mcp', MCP_USAGE, io) ?? 2; }

  const log = (line: string): void => io.stderr(terminalSafe(`backend-architect mcp: ${line}\n`));
  const input = options.input ?? process.stdin;
  const output = options.output ?? process.stdout;
  const server = createArchitectServer({ version: options.version ?? 'unknown', roots, cwd, log, engines: options.engines });
  const transport = new LineTransport(input, output, { screen: screenRequest });
  const closed = new Promise<void>(resolve => { server.server.onclose = resolve; });
  // The client went away mid-answer (EPIPE): nothing more can be said; close instead of crashing.
  const onOutputError = (): void => { void transport.close(); };
  output.on('error', onOutputError);
  // A bug in one call must not take every tool away from the agent for the rest of its session.
  const onStray = (err: unknown): void => log(`unexpected error, still serving: ${(err as Error)?.stack ?? String(err)}`);
  const guardProcess = options.input === undefined;
  if (guardProcess) {
    process.on('uncaughtException', onStray);
    process.on('unhandledRejection', onStray);
  }
  try {
    await server.connect(transport);
    log(`ready on stdin/stdout; folders: ${roots.length ? roots.join(', ') : `the client's roots, else ${cwd}`}`);
    if ((input as { isTTY?: boolean }).isTTY) { log('this is an MCP server for agents, not an interactive command (see --help); Ctrl+D ends it'); }
    await closed;
  } finally {
    output.off('error', onOutputError);
    if (guardProcess) {
      process.off('uncaughtException', onStray);
      process.off('unhandledRejection', onStray);
    }
    await shutdownSqlValidator();
  }
  return 0;
}
