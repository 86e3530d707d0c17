/**
 * `backend-architect`: the same core as the extension, on the command line (for CI and scripts).
 * Subcommands print their own help; status goes to stderr so stdout stays machine-readable.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { runAgentsCommand } from './agents/cliAgents';
import { runExtractCommand, runValidateCommand } from './artifacts/cliArtifacts';
import { runMigrateCommand } from './artifacts/cliMigrate';
import { runContextCommand } from './context/cliContext';
import { runDesignCommand } from './design/cliDesign';
import { runDriftCommand } from './drift/cliDrift';
import { runReviewCommand } from './design/cliReview';

declare const __VERSION__: string | undefined;

interface Io { stdout(s: string): void; stderr(s: string): void; }

const usage = `Usage: backend-architect <command> [options]

Commands:
  agents [--json] PATH...   Parse agent definitions (files, or folders searched for *.md) and report problems.
  design "REQUEST" [...]    Stream a design from an OpenAI-compatible endpoint to stdout (--out DIR writes its files).
  review DIR [--json] [...] Review a backend; the model reads DIR with read-only tools; findings checked against DIR.
  validate [--json] PATH... Check OpenAPI specs, mermaid diagrams, SQL (run in embedded Postgres) and ADRs.
  extract [--json] FILE     List the artifacts (fenced files) in a saved answer.
  context [--json] DIR      Show what the architect would read of a backend: stack, files, routes, models.
  migrate --from DIR --to FILE  Print the next migration from a folder's migrations to a schema (embedded Postgres).
  mcp [--root DIR]          Serve these checks to agents over MCP (stdin/stdout), for Claude Code, Cursor, VS Code.
  drift [--json] DIR        Compare the OpenAPI spec with the routes the code declares; exit 1 on drift.

Options:
  -h, --help                Show this help.
  -v, --version             Print the version.

Run "backend-architect <command> --help" for a command's options.`;

function version(): string {
  if (typeof __VERSION__ === 'string') { return __VERSION__; }
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    return (require('../package.json') as { version: string }).version;
  } catch {
    return 'unknown';
  }
}

/**
 * The MCP server is a bundle of its own (dist/mcp.js, holding the MCP SDK and zod), loaded only by `mcp` so the
 * other commands do not pay for it; from the compiled sources (tests) it is the module beside this one.
 */
function loadMcpCommand(): typeof import('./mcp/cliMcp') {
  const bundled = path.join(__dirname, 'mcp.js');
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return require(fs.existsSync(bundled) ? bundled : path.join(__dirname, 'mcp', 'cliMcp'));
}

/** Runs the CLI with these arguments; resolves with the exit code. */
export async function main(argv: string[], io: Io): Promise<number> {
  const [command, ...rest] = argv;
  switch (command) {
    case undefined:
    case '-h':
    case '--help':
    case 'help':
      io.stdout(`${usage}\n`);
      return command === undefined ? 2 : 0;
    case '-v':
    case '--version':
      io.stdout(`${version()}\n`);
      return 0;
    case 'agents':
      return runAgentsCommand(rest, io);
    case 'design':
      return runDesignCommand(rest, io);
    case 'review':
      return runReviewCommand(rest, io);
    case 'validate':
      return runValidateCommand(rest, io);
    case 'extract':
      return runExtractCommand(rest, io);
    case 'context':
      return runContextCommand(rest, io);
    case 'migrate':
      return runMigrateCommand(rest, io);
    case 'mcp':
      return loadMcpCommand().runMcpCommand(rest, io, { version: version() });
    case 'drift':
      return runDriftCommand(rest, io);
    default:
      io.stderr(`backend-architect: unknown command "${command}".\n\n${usage}\n`);
      return 2;
  }
}
