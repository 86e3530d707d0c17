/**
 * Shared by the MCP tests: the built CLI, a connected SDK client over stdio, and a raw line session for what
 * the SDK's client cannot send (lines that are not JSON, batches).
 */
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { repoRoot } from '../agents/agentPaths';

/** A protocol message or structured result: arbitrary JSON, each test asserts the fields it expects. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- see the line above
export type JsonObject = Record<string, any>;

export const cliPath: string = path.join(repoRoot, 'dist', 'cli.js');

/** True when `node scripts/build.mjs` has produced the CLI and its MCP bundle. */
export function builtCliExists(): boolean {
  return fs.existsSync(cliPath) && fs.existsSync(path.join(repoRoot, 'dist', 'mcp.js'));
}

/** Generous: the first mermaid check loads jsdom and mermaid, the first SQL check starts Postgres, on a busy machine. */
export const CALL_OPTIONS = { timeout: 180_000 };

export interface Connected {
  client: Client;
  transport: StdioClientTransport;
  /** Everything the server wrote to stderr so far. */
  stderr(): string;
  /** Errors the client met reading the server's stdout (a line that is not a protocol message lands here). */
  clientErrors: Error[];
  close(): Promise<void>;
}

/** Starts `node dist/cli.js mcp ARGS` and connects the SDK's client to it (initialize included). */
export async function connectServer(args: string[], options: { cwd?: string; client?: Client } = {}): Promise<Connected> {
  const transport = new StdioClientTransport({
    command: process.execPath, args: [cliPath, 'mcp', ...args], cwd: options.cwd ?? repoRoot, stderr: 'pipe',
  });
  let stderr = '';
  transport.stderr?.on('data', (d: Buffer) => { stderr += d.toString('utf8'); });
  const client = options.client ?? new Client({ name: 'backend-architect-tests', version: '1.0.0' });
  const clientErrors: Error[] = [];
  client.onerror = err => { clientErrors.push(err); };
  await client.connect(transport, CALL_OPTIONS);
  return { client, transport, stderr: () => stderr, clientErrors, close: () => client.close() };
}

/** The text of a tool result's first content block. */
export function textOf(result: CallToolResult): string {
  const first = result.content[0];
  return first?.type === 'text' ? first.text : '';
}

/** A tool call's result, typed as the tools return it. */
export async function call(client: Client, name: string, args: Record<string, unknown>): Promise<CallToolResult & { structuredContent: JsonObject }> {
  return await client.callTool({ name, arguments: args }, undefined, CALL_OPTIONS) as CallToolResult & { structuredContent: JsonObject };
}

/** A server spoken to line by line, for messages no well-behaved client sends. */
export interface RawSession {
  child: ChildProcessWithoutNullStreams;
  /** Every stdout line so far. */
  lines: string[];
  send(line: string): void;
  /** Resolves with the next stdout line, parsed. */
  next(): Promise<JsonObject>;
  /** Sends a request and resolves with the response carrying its id (other lines are kept in `lines`). */
  request(id: number, method: string, params?: unknown): Promise<JsonObject>;
  stderr(): string;
  end(): Promise<number | null>;
}

export function rawSession(args: string[] = []): RawSession {
  const child = spawn(process.execPath, [cliPath, 'mcp', ...args], { cwd: repoRoot, stdio: ['pipe', 'pipe', 'pipe'] });
  const lines: string[] = [];
  const waiting: Array<(line: string) => void> = [];
  let consumed = 0;
  let pending = '';
  let stderr = '';
  child.stderr.on('data', (d: Buffer) => { stderr += d.toString('utf8'); });
  child.stdout.on('data', (d: Buffer) => {
    pending += d.toString('utf8');
    let nl: number;
    while ((nl = pending.indexOf('\n')) >= 0) {
      lines.push(pending.slice(0, nl));
      pending = pending.slice(nl + 1);
      while (waiting.length && consumed < lines.length) { waiting.shift()!(lines[consumed++]); }
    }
  });
  const nextLine = (): Promise<string> => (consumed < lines.length ? Promise.resolve(lines[consumed++]) : new Promise(resolve => waiting.push(resolve)));
  const session: RawSession = {
    child,
    lines,
    send: line => { child.stdin.write(`${line}\n`); },
    next: async () => JSON.parse(await nextLine()) as JsonObject,
    request: async (id, method, params) => {
      session.send(JSON.stringify({ jsonrpc: '2.0', id, method, ...(params === undefined ? {} : { params }) }));
      for (;;) {
        const message = await session.next();
        if (message.id === id) { return message; }
      }
    },
    stderr: () => stderr,
    end: () => new Promise(resolve => {
      child.once('exit', code => resolve(code));
      child.stdin.end();
    }),
  };
  return session;
}

/** The initialize handshake of a raw session. */
export async function initializeRaw(session: RawSession): Promise<JsonObject> {
  const answer = await session.request(0, 'initialize', { protocolVersion: '2025-11-25', capabilities: {}, clientInfo: { name: 'raw', version: '1' } });
  session.send(JSON.stringify({ jsonrpc: '2.0', method: 'notifications/initialized' }));
  return answer;
}
