/**
 * MCP over stdio, one JSON-RPC message per line, for a server that must answer every line it is sent.
 *
 * Why not the SDK's StdioServerTransport: a line that is not JSON, or not JSON-RPC, only reaches its
 * `onerror` and the client waits for an answer that never comes; and its buffer throws away everything
 * pending once 10 MB arrive without a newline. Here a bad line gets the JSON-RPC error the specification
 * names (-32700 parse error, -32600 invalid request), an over-long line is skipped to its end and answered
 * with -32600 (with the request's id when it can be seen near the start), and the lines after it go on as
 * before. Everything written to the output is a protocol message.
 */
import type { Readable, Writable } from 'node:stream';
import type { Transport } from '@modelcontextprotocol/sdk/shared/transport.js';
import { ErrorCode, JSONRPCMessageSchema, type JSONRPCMessage } from '@modelcontextprotocol/sdk/types.js';

type RequestId = string | number;

/** A JSON-RPC error to send instead of delivering a message (see `LineTransportOptions.screen`). */
export interface ScreenError {
  code: number;
  message: string;
}

export interface LineTransportOptions {
  /** Longest line accepted, in bytes (default 16 MiB). */
  maxLineBytes?: number;
  /** Looks at each well-formed message before the server does: an error to answer with, or undefined to deliver it. */
  screen?: (message: JSONRPCMessage) => ScreenError | undefined;
}

const DEFAULT_MAX_LINE_BYTES = 16 * 1024 * 1024;
/** How much of the start and of the end of an over-long line is kept to find its id in. */
const HEAD_BYTES = 4096;
const TAIL_BYTES = 512;

/** The request id of a message, when it has a usable one. */
function idOf(value: unknown): RequestId | null {
  const id = (value as { id?: unknown } | null)?.id;
  return typeof id === 'string' || (typeof id === 'number' && Number.isFinite(id)) ? id : null;
}

const ID_VALUE = String.raw`(-?\d{1,15}(?![\d.eE])|"(?:[^"\\]|\\.){0,200}")`;

/**
 * The id of an over-long request, which is never parsed: the top-level `id` is the last member of the
 * object (`…,"id":7}` at the very end, as the TypeScript SDK writes it) or comes before `"params"` (as
 * other clients write it). An `"id"` inside the arguments matches neither.
 */
export function idOfLongLine(head: string, tail: string): RequestId | null {
  const match = new RegExp(`"id"\\s*:\\s*${ID_VALUE}\\s*}\\s*$`).exec(tail) ??
    new RegExp(`"id"\\s*:\\s*${ID_VALUE}`).exec(head.split('"params"')[0]);
  if (!match) { return null; }
  try {
    return JSON.parse(match[1]) as RequestId;
  } catch {
    return null;
  }
}

/** The server's side of MCP over a pair of streams (stdin/stdout), answering every line it cannot deliver. */
export class LineTransport implements Transport {
  onclose?: () => void;
  onerror?: (error: Error) => void;
  onmessage?: (message: JSONRPCMessage) => void;

  private readonly maxLineBytes: number;
  private chunks: Buffer[] = [];
  private size = 0;
  /** Set while skipping the rest of an over-long line: its start and its latest end, kept to find the id. */
  private skipping: { head: Buffer; tail: Buffer } | undefined;
  private closed = false;

  constructor(private readonly input: Readable, private readonly output: Writable, private readonly options: LineTransportOptions = {}) {
    this.maxLineBytes = options.maxLineBytes ?? DEFAULT_MAX_LINE_BYTES;
  }

  private readonly onData = (chunk: Buffer | string): void => {
    const buf = typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
    let start = 0;
    for (;;) {
      const newline = buf.indexOf(10, start);
      this.take(buf.subarray(start, newline < 0 ? buf.length : newline));
      if (newline < 0) { return; }
      this.endLine();
      start = newline + 1;
    }
  };

  private readonly onEnd = (): void => { void this.close(); };
  private readonly onStreamError = (err: Error): void => { this.onerror?.(err); };

  /** Adds part of the current line, or starts skipping it once it is too long. */
  private take(part: Buffer): void {
    if (part.length === 0) { return; }
    if (this.skipping) {
      this.skipping.tail = Buffer.concat([this.skipping.tail, part]).subarray(-TAIL_BYTES);
      return;
    }
    if (this.size + part.length > this.maxLineBytes) {
      const all = Buffer.concat([...this.chunks, part]);
      this.skipping = { head: Buffer.from(all.subarray(0, HEAD_BYTES)), tail: Buffer.from(all.subarray(-TAIL_BYTES)) };
      this.chunks = [];
      this.size = 0;
      return;
    }
    this.chunks.push(part);
    this.size += part.length;
  }

  private endLine(): void {
    if (this.skipping) {
      const id = idOfLongLine(this.skipping.head.toString('utf8'), this.skipping.tail.toString('utf8'));
      this.skipping = undefined;
      this.reply(id, ErrorCode.InvalidRequest, `Invalid Request: the message is longer than ${this.maxLineBytes} bytes`);
      return;
    }
    const line = Buffer.concat(this.chunks, this.size).toString('utf8').replace(/\r$/, '');
    this.chunks = [];
    this.size = 0;
    if (line.trim() !== '') { this.handleLine(line); }
  }

  private handleLine(line: string): void {
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch (err) {
      this.reply(null, ErrorCode.ParseError, `Parse error: ${(err as Error).message}`);
      return;
    }
    if (Array.isArray(value)) {
      this.reply(null, ErrorCode.InvalidRequest, 'Invalid Request: batches are not supported by MCP; send one message per line');
      return;
    }
    const parsed = JSONRPCMessageSchema.safeParse(value);
    if (!parsed.success) {
      // A notification (no id) is never answered, even a malformed one; anything else gets the error.
      const id = idOf(value);
      if (id !== null || (value as { method?: unknown } | null)?.method === undefined) {
        this.reply(id, ErrorCode.InvalidRequest, 'Invalid Request: not a JSON-RPC 2.0 message (expected "jsonrpc": "2.0" with a method, or a result or error)');
      }
      return;
    }
    const refusal = this.options.screen?.(parsed.data);
    if (refusal) {
      const id = idOf(parsed.data);
      if (id !== null) { this.reply(id, refusal.code, refusal.message); }
      return;
    }
    this.onmessage?.(parsed.data);
  }

  private reply(id: RequestId | null, code: number, message: string): void {
    // When the id cannot be known it is left out, as MCP's schema has it (plain JSON-RPC would say null,
    // which MCP clients such as the SDK's refuse to parse).
    void this.send({ jsonrpc: '2.0', ...(id === null ? {} : { id }), error: { code, message } });
  }

  async start(): Promise<void> {
    this.input.on('data', this.onData);
    this.input.on('end', this.onEnd);
    this.input.on('error', this.onStreamError);
  }

  send(message: JSONRPCMessage): Promise<void> {
    if (this.closed) { return Promise.resolve(); }
    return new Promise(resolve => {
      if (this.output.write(`${JSON.stringify(message)}\n`)) { resolve(); } else { this.output.once('drain', resolve); }
    });
  }

  async close(): Promise<void> {
    if (this.closed) { return; }
    this.closed = true;
    this.input.off('data', this.onData);
    this.input.off('end', this.onEnd);
    this.input.off('error', this.onStreamError);
    this.input.pause();
    this.onclose?.();
  }
}
