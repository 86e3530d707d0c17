/**
 * The MCP server: the five agent tools on the SDK's McpServer, read-only, with the folders they may read
 * taken from `--root`, else from the client's roots, else the working folder. Also the screen the transport
 * runs before the SDK sees a request, so malformed requests get JSON-RPC errors that name the problem.
 */
import { fileURLToPath } from 'node:url';
import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { ClientRequestSchema, ErrorCode, RootsListChangedNotificationSchema, type JSONRPCMessage } from '@modelcontextprotocol/sdk/types.js';
import type { ScreenError } from './lineTransport';
import { ARCHITECT_TOOLS, findArchitectTool, structuredResult } from './tools';
import type { ToolEnv } from './toolTypes';

export interface ArchitectServerOptions {
  version: string;
  /** Folders named with `--root`: when given, the client's roots are not asked for. */
  roots: readonly string[];
  /** The working folder: the tools' folder when neither `--root` nor the client says otherwise. */
  cwd: string;
  /** Diagnostics, one line each (stderr: stdout carries only protocol messages). */
  log(line: string): void;
  /** Engines for the checks (tests); defaults otherwise. */
  engines?: Pick<ToolEnv, 'loadSql' | 'parseMermaid'>;
}

const INSTRUCTIONS = 'Checks for backend architecture artifacts. Pass an artifact\'s text as `content` (and, if you know it, ' +
  'its path in the project as `path`): validate_openapi, validate_sql (runs it in PostgreSQL), validate_mermaid (with ' +
  'deterministic repairs). extract_artifacts lists the fenced files of a Markdown answer; workspace_context describes the ' +
  'project (stack, routes, models, migrations, specs). Every result has `ok` and `problems` with 1-based lines; an invalid ' +
  'artifact comes back with isError. Nothing is written, and nothing is fetched from the network.';

/** The request schemas the SDK knows, by method, to check a request's params before the SDK does. */
const REQUEST_SCHEMAS = new Map(ClientRequestSchema.options.map(schema => [schema.shape.method.value as string, schema]));

/**
 * -32602 for a request whose params do not fit its method (the SDK would answer -32603 "internal error" with
 * a dump of zod's issues) and for tools/call naming a tool that does not exist (the SDK answers with a tool
 * result instead, where the MCP specification asks for a protocol error).
 */
export function screenRequest(message: JSONRPCMessage): ScreenError | undefined {
  if (!('method' in message) || !('id' in message)) { return undefined; }
  const schema = REQUEST_SCHEMAS.get(message.method);
  if (!schema) { return undefined; }
  const parsed = schema.safeParse(message);
  if (!parsed.success) {
    const issues = parsed.error.issues.map(i => `${i.path.join('.') || '(request)'}: ${i.message}`).join('; ');
    return { code: ErrorCode.InvalidParams, message: `Invalid params for ${message.method}: ${issues}` };
  }
  if (message.method === 'tools/call') {
    const name = (message.params as { name: string }).name;
    if (!findArchitectTool(name)) {
      return { code: ErrorCode.InvalidParams, message: `Unknown tool: ${name} (the tools are ${ARCHITECT_TOOLS.map(t => t.name).join(', ')})` };
    }
  }
  return undefined;
}

/** Builds the server; connect it to a transport to start it. */
export function createArchitectServer(options: ArchitectServerOptions): McpServer {
  const server = new McpServer(
    { name: 'backend-architect', title: 'Backend Architect', version: options.version },
    { instructions: INSTRUCTIONS },
  );
  let clientRoots: Promise<readonly string[]> | undefined;
  const roots = async (): Promise<readonly string[]> => {
    if (options.roots.length > 0) { return options.roots; }
    if (!server.server.getClientCapabilities()?.roots) { return [options.cwd]; }
    clientRoots ??= server.server.listRoots(undefined, { timeout: 5000 }).then(
      answer => answer.roots.filter(r => r.uri.startsWith('file:')).map(r => fileURLToPath(r.uri)),
      (err: unknown) => {
        options.log(`the client did not list its roots (${(err as Error).message}); using ${options.cwd}`);
        clientRoots = undefined;
        return [options.cwd];
      });
    return clientRoots;
  };
  server.server.setNotificationHandler(RootsListChangedNotificationSchema, () => { clientRoots = undefined; });

  for (const tool of ARCHITECT_TOOLS) {
    server.registerTool(tool.name, {
      title: tool.title,
      description: tool.description,
      inputSchema: tool.inputSchema,
      outputSchema: tool.outputSchema,
      annotations: { readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: false },
    }, async (args: unknown, extra: { signal: AbortSignal }) => {
      const started = performance.now();
      const outcome = await tool.run(args, { ...options.engines, roots, signal: extra.signal });
      options.log(`${tool.name}: ${outcome.ok ? 'ok' : 'not ok'}, ${outcome.problems.length} problem(s), ${(performance.now() - started).toFixed(1)} ms`);
      return {
        content: [{ type: 'text' as const, text: outcome.text }],
        structuredContent: structuredResult(outcome),
        ...(outcome.ok ? {} : { isError: true }),
      };
    });
  }
  return server;
}
