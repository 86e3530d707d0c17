/**
 * An OpenAI-compatible chat server for tests, benchmarks and demos, with the streaming faults
 * S1–S21 of THREATS.md §2 built in. Node `http` only and no test-framework imports, because it is
 * loaded from mocha, from plain .mjs scripts and from inside a VS Code extension host.
 */
import * as http from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { formatMessage, formatPlan, MISTRAL_EXTRA_FORBIDDEN, PROVIDER_FORMATS, type ProviderFormat, rejectsStreamOptions } from './providerFormats';

/** Every injectable fault; the prefix is the THREATS.md §2 row it reproduces. */
export const FAULTS = [
  'S1-reset',
  'S2-no-done',
  'S3-no-trailing-blank',
  'S4-429-then-ok',
  'S5-429-quota',
  'S5-429-long',
  'S6-500',
  'S6-502',
  'S6-503',
  'S6-503-no-retry',
  'S7-error-event',
  'S8-malformed',
  'S9-keepalive',
  'S10-azure-filtered',
  'S10-azure-empty-choices',
  'S11-reasoning-content',
  'S11-reasoning',
  'S11-think-split',
  'S11-reasoning-only',
  'S12-length',
  'S12-end-turn',
  'S12-null-finish',
  'S12-tool-calls-stop',
  'S13-stall-first-token',
  'S14-slow-headers',
  'S15-stall-mid',
  'S16-buffered',
  'S16-burst-16k',
  'S17-slow',
  'S18-after-done',
  'S19-utf8-crlf',
  'S20-html',
  'S21-401',
  'S21-403',
  'S21-404',
] as const;

export type FaultName = (typeof FAULTS)[number];

/** A tool call a scripted answer makes. `arguments` as text is sent as it is (even when not valid JSON). */
export interface ScriptedToolCall {
  id?: string;
  name: string;
  arguments: string | object;
}

/**
 * How tool calls are streamed: `pieces` (OpenAI: id and name first, then the arguments in pieces of
 * `toolArgChunk` characters), `whole` (each call complete in one chunk), `same-index` (every call at index 0
 * with its own id, as some Ollama versions send parallel calls), `no-index` (no index field, as Gemini's
 * OpenAI-compatible API sends them), `object-args` (whole calls whose arguments are a JSON object).
 */
export type ToolCallStyle = 'pieces' | 'whole' | 'same-index' | 'no-index' | 'object-args';

export interface ScriptedAnswer {
  /** Tool calls made after `content` (if any); finish_reason defaults to `tool_calls`. */
  toolCalls?: ScriptedToolCall[];
  toolCallStyle?: ToolCallStyle;
  /** Characters per arguments piece in the `pieces` style (default 7). */
  toolArgChunk?: number;
  /** Answer text; split into chunks of `chunkSize` characters unless `chunks` is given. */
  content?: string;
  chunks?: string[];
  /** Characters per content chunk when `chunks` is not given (default 4, about one token). */
  chunkSize?: number;
  /** Sent as `delta.reasoning_content` before the content. */
  reasoning?: string;
  /** Default 'stop'; null sends no finish_reason at all. */
  finishReason?: string | null;
  usage?: { prompt_tokens: number; completion_tokens: number; total_tokens: number };
  /** Delay between chunks (default 2 ms; 0 writes as fast as the socket takes it). */
  chunkDelayMs?: number;
  fault?: FaultName;
  /** Stream in this provider's wire shape instead of plain strings (ignored when `fault` is set). */
  format?: ProviderFormat;
  /** Chunk objects recorded from a real server, replayed verbatim (then `[DONE]`); overrides the rest. */
  recorded?: unknown[];
  /** For the stall faults (S13, S14, S15): how long to stall; default until the client leaves (S14: 45 s). */
  stallMs?: number;
  /** How many requests this answer serves before the queue moves on (default 1; S4 and retryable S6 faults: 3). */
  repeat?: number;
  /** Non-200 answers. */
  status?: number;
  body?: unknown;
  headers?: Record<string, string>;
}

export interface RecordedRequest {
  method: string;
  path: string;
  headers: Record<string, string | string[] | undefined>;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- a recorded request body is whatever JSON the client sent; tests read fields they expect.
  body: any;
  receivedAt: number;
  /** Set when the response was fully written. */
  finishedAt?: number;
  /** Set when the client closed the connection before the response was finished. */
  clientClosedAt?: number;
}

export interface ModelServerOptions {
  models?: string[];
  port?: number;
  defaultAnswer?: (req: RecordedRequest) => ScriptedAnswer;
  /** No console output (the server is silent either way; kept for API compatibility with scripts). */
  quiet?: boolean;
}

/** Model names that answer 400 to a request carrying `tools`, as Ollama does for a model whose template has none. */
export const NO_TOOLS_MODEL_PREFIX = 'no-tools';

/** The tool results (role `tool` messages) a recorded request carried, in order. */
export function toolResults(rec: RecordedRequest): { toolCallId: string; content: string }[] {
  const messages: unknown = rec.body?.messages;
  if (!Array.isArray(messages)) return [];
  return messages
    .filter((m: { role?: unknown }) => m?.role === 'tool')
    .map((m: { tool_call_id?: unknown; content?: unknown }) => ({ toolCallId: String(m.tool_call_id ?? ''), content: String(m.content ?? '') }));
}

interface QueueEntry {
  answer: ScriptedAnswer;
  served: number;
  serves: number;
}

type Step =
  | { data: unknown }
  | { raw: string }
  | { comment: string }
  | { pause: number }
  | { stall: number | undefined }
  | { destroy: true };

/** Per-request context for writing one answer. */
interface Exchange {
  req: http.IncomingMessage;
  res: http.ServerResponse;
  rec: RecordedRequest;
  /** Aborted when the client disconnects or the server closes. */
  gone: AbortSignal;
}

const DEFAULT_TEXT = 'Hello from the test model. This answer arrives in small chunks.';
const EMOJI_TEXT = 'Emoji \u{1F600} and rocket \u{1F680} arrive whole.';
const RETRY_SERVES: ReadonlySet<string> = new Set(['S4-429-then-ok', 'S6-500', 'S6-502', 'S6-503']);

/** Resolves `S7`, `s7` or `S7-error-event` to a fault name; undefined when nothing matches. */
export function resolveFault(name: string | undefined | null): FaultName | undefined {
  if (!name) return undefined;
  const wanted = name.trim().toLowerCase();
  const exact = FAULTS.find((f) => f.toLowerCase() === wanted);
  return exact ?? FAULTS.find((f) => f.toLowerCase().startsWith(`${wanted}-`));
}

/** OpenAI-compatible server on 127.0.0.1 with scripted answers and fault injection. */
export class ModelServer {
  readonly url: string;
  /** `http://127.0.0.1:PORT`, the base for endpoints that are not under /v1 (Azure). */
  readonly origin: string;
  readonly requests: RecordedRequest[] = [];
  private readonly queue: QueueEntry[] = [];
  private readonly sockets = new Set<Socket>();
  private readonly faultHits = new Map<string, number>();
  private readonly closing = new AbortController();

  private constructor(
    private readonly server: http.Server,
    private readonly options: ModelServerOptions,
  ) {
    const { port } = server.address() as AddressInfo;
    this.url = `http://127.0.0.1:${port}/v1`;
    this.origin = `http://127.0.0.1:${port}`;
  }

  /**
   * The chat completion requests alone, in order: VS Code may also list the endpoint's models (GET /models)
   * at any time, for the Chat view's model picker.
   */
  get completions(): RecordedRequest[] {
    return this.requests.filter(r => r.method === 'POST' && r.path.split('?')[0].endsWith('/chat/completions'));
  }

  /** Starts a server on 127.0.0.1 (port 0 = any free port). */
  static async start(options: ModelServerOptions = {}): Promise<ModelServer> {
    const server = http.createServer();
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(options.port ?? 0, '127.0.0.1', () => resolve());
    });
    const instance = new ModelServer(server, options);
    server.on('connection', (socket) => {
      instance.sockets.add(socket);
      socket.on('close', () => instance.sockets.delete(socket));
    });
    server.on('request', (req, res) => {
      instance.handle(req, res).catch(() => res.destroy());
    });
    return instance;
  }

  /** Answers consumed in order by POST /v1/chat/completions. */
  enqueue(...answers: ScriptedAnswer[]): void {
    for (const answer of answers) {
      const serves = answer.repeat ?? (answer.fault && RETRY_SERVES.has(answer.fault) ? 3 : 1);
      this.queue.push({ answer, served: 0, serves: Math.max(1, serves) });
    }
  }

  /** Drops the answers no request took, so a test that failed half-way leaves nothing for the next. */
  clearQueue(): void {
    this.queue.length = 0;
  }

  /** Stops listening and destroys open sockets, so stalled streams end at once. */
  async close(): Promise<void> {
    this.closing.abort();
    for (const socket of this.sockets) socket.destroy();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private async handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const rec = await this.record(req);
    const gone = this.watchClient(req, res, rec);
    const ex: Exchange = { req, res, rec, gone };
    const path = rec.path.replace(/\?.*$/, '');
    if (req.method === 'GET' && (path === '/v1/models' || path === '/openai/models')) return this.models(ex);
    if (req.method === 'POST' && path === '/v1/chat/completions') return this.chat(ex);
    // Azure OpenAI's shape: the deployment in the path, api-version in the query.
    if (req.method === 'POST' && /^\/openai\/deployments\/[^/]+\/chat\/completions$/.test(path)) return this.chat(ex);
    sendJson(res, 404, errorBody(`Unknown route ${req.method} ${path}`, 'invalid_request_error', 'not_found'));
  }

  private async record(req: http.IncomingMessage): Promise<RecordedRequest> {
    const parts: Buffer[] = [];
    for await (const part of req) parts.push(part as Buffer);
    const raw = Buffer.concat(parts).toString('utf8');
    let body: unknown = raw.length ? raw : undefined;
    try {
      body = raw.length ? JSON.parse(raw) : undefined;
    } catch {
      // Keep the raw text: a test may want to see exactly what was sent.
    }
    const rec: RecordedRequest = {
      method: req.method ?? 'GET',
      path: req.url ?? '/',
      headers: { ...req.headers },
      body,
      receivedAt: Date.now(),
    };
    this.requests.push(rec);
    return rec;
  }

  private watchClient(req: http.IncomingMessage, res: http.ServerResponse, rec: RecordedRequest): AbortSignal {
    const gone = new AbortController();
    const onClosing = () => gone.abort();
    this.closing.signal.addEventListener('abort', onClosing, { once: true });
    res.on('close', () => {
      this.closing.signal.removeEventListener('abort', onClosing);
      if (res.writableFinished) rec.finishedAt = Date.now();
      else rec.clientClosedAt = Date.now();
      gone.abort();
    });
    return gone.signal;
  }

  private models(ex: Exchange): void {
    const fault = resolveFault(header(ex.req, 'x-fault'));
    if (fault && this.statusFault(ex, fault, 1)) return;
    if (fault === 'S20-html') return sendHtml(ex.res);
    const ids = this.options.models ?? ['test-model', 'test-model-large'];
    const created = Math.floor(Date.now() / 1000);
    sendJson(ex.res, 200, {
      object: 'list',
      data: ids.map((id) => ({ id, object: 'model', created, owned_by: 'model-server' })),
    });
  }

  private async chat(ex: Exchange): Promise<void> {
    // Checked before the queue moves on: the client is expected to send the same request again without the field.
    const next = this.queue[0]?.answer ?? this.options.defaultAnswer?.(ex.rec) ?? {};
    if (!next.fault && rejectsStreamOptions(next.format ?? namedFormat(ex.rec)) && ex.rec.body?.stream_options !== undefined) {
      return sendJson(ex.res, 422, MISTRAL_EXTRA_FORBIDDEN);
    }
    const model = String(ex.rec.body?.model ?? '');
    if (model.startsWith(NO_TOOLS_MODEL_PREFIX) && Array.isArray(ex.rec.body?.tools)) {
      return sendJson(ex.res, 400, errorBody(`registry.ollama.ai/library/${model} does not support tools`, 'api_error', null));
    }
    const { answer, hit } = this.nextAnswer(ex.rec);
    const fault = answer.fault;
    if (fault && this.statusFault(ex, fault, hit)) return;
    if (answer.status !== undefined && answer.status !== 200) {
      return sendJson(ex.res, answer.status, answer.body ?? errorBody('Scripted error', 'server_error', null), answer.headers);
    }
    if (fault === 'S14-slow-headers') {
      await pause(answer.stallMs ?? 45_000, ex.gone);
      if (ex.gone.aborted) return;
    }
    if (fault === 'S20-html') return sendHtml(ex.res);
    const body = (ex.rec.body ?? {}) as { stream?: boolean };
    if (body.stream !== true) return this.completion(ex, answer);
    await this.stream(ex, answer);
  }

  /** Picks the queued answer (or the default) and applies a fault named by header or model. */
  private nextAnswer(rec: RecordedRequest): { answer: ScriptedAnswer; hit: number } {
    const entry = this.queue[0];
    let answer: ScriptedAnswer;
    let hit = 1;
    if (entry) {
      entry.served += 1;
      hit = entry.served;
      if (entry.served >= entry.serves) this.queue.shift();
      answer = entry.answer;
    } else {
      // Empty, so that each fault's own sample text (S19's emoji) applies.
      answer = this.options.defaultAnswer?.(rec) ?? {};
    }
    if (!answer.format) {
      const format = namedFormat(rec);
      if (format) answer = { ...answer, format };
    }
    if (answer.fault) return { answer, hit };
    const model = typeof rec.body?.model === 'string' ? (rec.body.model as string) : '';
    const named =
      resolveFault(headerOf(rec, 'x-fault')) ??
      (model.startsWith('fault:') ? resolveFault(model.slice('fault:'.length)) : undefined);
    if (!named) return { answer, hit };
    // Without a queue entry, requests for the same fault count up so S4 can cycle 429, 429, 200.
    const count = (this.faultHits.get(named) ?? 0) + 1;
    this.faultHits.set(named, count);
    return { answer: { ...answer, fault: named }, hit: ((count - 1) % 3) + 1 };
  }

  /** Writes the non-200 faults; false when the fault is not a status fault. */
  private statusFault(ex: Exchange, fault: FaultName, hit: number): boolean {
    const model = String(ex.rec.body?.model ?? 'test-model');
    const status = statusFaultAnswer(fault, hit, model, bearerToken(ex.req));
    if (!status) return false;
    sendJson(ex.res, status.status, status.body, status.headers);
    return true;
  }

  private completion(ex: Exchange, answer: ScriptedAnswer): void {
    const content = answer.content ?? answer.chunks?.join('') ?? DEFAULT_TEXT;
    const model = String(ex.rec.body?.model ?? 'test-model');
    const message: Record<string, unknown> = formatMessage(answer.fault ? undefined : answer.format, content, answer.reasoning);
    if (answer.toolCalls?.length) {
      message.tool_calls = answer.toolCalls.map((c, i) => ({ id: c.id ?? `call_${i + 1}`, type: 'function', function: { name: c.name, arguments: argumentText(c) } }));
      if (answer.content === undefined) message.content = null;
    }
    sendJson(ex.res, 200, {
      id: `chatcmpl-${ex.rec.receivedAt}`,
      object: 'chat.completion',
      created: Math.floor(Date.now() / 1000),
      model,
      choices: [{ index: 0, message, logprobs: null, finish_reason: answer.finishReason ?? (answer.toolCalls?.length ? 'tool_calls' : 'stop') }],
      usage: answer.usage ?? defaultUsage(content),
    });
  }

  private async stream(ex: Exchange, answer: ScriptedAnswer): Promise<void> {
    const fault = answer.fault;
    const writer = new SseWriter(ex, {
      crlf: fault === 'S19-utf8-crlf',
      splitUtf8: fault === 'S19-utf8-crlf',
      bufferBytes: fault === 'S16-buffered' ? Infinity : fault === 'S16-burst-16k' ? 16 * 1024 : 0,
    });
    ex.res.writeHead(200, {
      'content-type': 'text/event-stream',
      'cache-control': 'no-cache',
      connection: 'keep-alive',
      ...answer.headers,
    });
    ex.res.flushHeaders();
    const delay = answer.chunkDelayMs ?? (fault === 'S17-slow' ? 50 : 2);
    const steps = buildSteps(new ChunkFactory(ex.rec, answer), answer);
    for (const step of steps) {
      if (ex.gone.aborted) return;
      if ('data' in step) {
        await writer.data(step.data);
        if (delay > 0) await pause(delay, ex.gone);
      } else if ('raw' in step) await writer.raw(step.raw);
      else if ('comment' in step) await writer.comment(step.comment);
      else if ('pause' in step) await pause(step.pause, ex.gone);
      else if ('stall' in step) await writer.flush().then(() => pause(step.stall ?? Infinity, ex.gone));
      else if ('destroy' in step) {
        await writer.flush();
        ex.req.socket.destroy();
        return;
      }
    }
    await writer.flush();
    if (!ex.gone.aborted) ex.res.end();
  }
}

/** Builds the chunk objects of one streamed answer. */
class ChunkFactory {
  readonly id: string;
  readonly created = Math.floor(Date.now() / 1000);
  readonly model: string;
  readonly includeUsage: boolean;

  constructor(rec: RecordedRequest, private readonly answer: ScriptedAnswer) {
    this.id = `chatcmpl-${rec.receivedAt.toString(36)}${Math.random().toString(36).slice(2, 8)}`;
    this.model = String(rec.body?.model ?? 'test-model');
    this.includeUsage = rec.body?.stream_options?.include_usage === true;
  }

  chunk(delta: Record<string, unknown> | undefined, finish: string | null = null, extra?: object): object {
    const choice: Record<string, unknown> = { index: 0, delta, logprobs: null, finish_reason: finish };
    if (delta === undefined) delete choice['delta'];
    return {
      id: this.id,
      object: 'chat.completion.chunk',
      created: this.created,
      model: this.model,
      system_fingerprint: 'fp_model_server',
      choices: [{ ...choice, ...extra }],
    };
  }

  usage(): object {
    return {
      id: this.id,
      object: 'chat.completion.chunk',
      created: this.created,
      model: this.model,
      choices: [],
      usage: this.usageFigures(),
    };
  }

  usageFigures(): object {
    return this.answer.usage ?? defaultUsage(this.text());
  }

  text(): string {
    return this.answer.chunks?.join('') ?? this.answer.content ?? DEFAULT_TEXT;
  }

  pieces(fallback?: string): string[] {
    if (this.answer.chunks) return this.answer.chunks;
    return splitText(this.answer.content ?? fallback ?? DEFAULT_TEXT, this.answer.chunkSize ?? 4);
  }

  contentSteps(fallback?: string): Step[] {
    return this.pieces(fallback).map((content) => ({ data: this.chunk({ content }) }));
  }

  reasoningSteps(field: 'reasoning_content' | 'reasoning', text: string | undefined): Step[] {
    if (!text) return [];
    return splitText(text, this.answer.chunkSize ?? 4).map((piece) => ({ data: this.chunk({ [field]: piece }) }));
  }

  /** Final chunk, usage chunk when asked for, then [DONE]. */
  endSteps(finish: string | null): Step[] {
    const steps: Step[] = [];
    if (finish !== null) steps.push({ data: this.chunk({}, finish) });
    if (this.includeUsage) steps.push({ data: this.usage() });
    steps.push({ raw: 'data: [DONE]\n\n' });
    return steps;
  }

  role(): Step {
    return { data: this.chunk({ role: 'assistant', content: '' }) };
  }
}

function buildSteps(f: ChunkFactory, answer: ScriptedAnswer): Step[] {
  const finish = answer.finishReason === undefined ? (answer.toolCalls?.length ? 'tool_calls' : 'stop') : answer.finishReason;
  const reasoning = f.reasoningSteps('reasoning_content', answer.reasoning);
  if (answer.toolCalls?.length && !answer.fault) {
    const text = answer.content || answer.chunks ? f.contentSteps() : [];
    return [f.role(), ...reasoning, ...text, ...toolCallSteps(f, answer), ...f.endSteps(finish)];
  }
  const normal = (): Step[] => [f.role(), ...reasoning, ...f.contentSteps(), ...f.endSteps(finish)];
  if (answer.recorded) return [...answer.recorded.map((data) => ({ data })), { raw: 'data: [DONE]\n\n' }];
  if (answer.format && !answer.fault) return formatSteps(f, answer, finish);
  switch (answer.fault) {
    case 'S1-reset':
      return [f.role(), ...f.contentSteps().slice(0, 3), { destroy: true }];
    case 'S2-no-done':
      return [f.role(), ...reasoning, ...f.contentSteps()];
    case 'S3-no-trailing-blank':
      return [f.role(), ...f.contentSteps(), { raw: `data: ${JSON.stringify(f.chunk({}, 'stop'))}\n` }];
    case 'S7-error-event':
      return [f.role(), ...f.contentSteps().slice(0, 2), { raw: 'data: {"error":{"message":"upstream overloaded"}}\n\n' }];
    case 'S8-malformed':
      return [f.role(), ...f.contentSteps().slice(0, 2), { raw: 'data: {"choices":[{"delta":{"content":"a"\n\n' }];
    case 'S9-keepalive':
      return keepAliveSteps(f, finish);
    case 'S10-azure-filtered':
    case 'S10-azure-empty-choices':
      return azureSteps(f, answer.fault === 'S10-azure-filtered' ? 'content_filter' : finish);
    case 'S11-reasoning-content':
      return [f.role(), ...f.reasoningSteps('reasoning_content', answer.reasoning ?? 'Let me think.'), ...f.contentSteps(), ...f.endSteps(finish)];
    case 'S11-reasoning':
      return [f.role(), ...f.reasoningSteps('reasoning', answer.reasoning ?? 'Let me think.'), ...f.contentSteps(), ...f.endSteps(finish)];
    case 'S11-think-split':
      return thinkSplitSteps(f, answer, finish);
    case 'S11-reasoning-only':
      return [f.role(), ...f.reasoningSteps('reasoning_content', answer.reasoning ?? 'Only thinking, no answer.'), ...f.endSteps(finish)];
    case 'S12-length':
      return [f.role(), ...f.contentSteps(), ...f.endSteps('length')];
    case 'S12-end-turn':
      return [f.role(), ...f.contentSteps(), ...f.endSteps('end_turn')];
    case 'S12-null-finish':
      return [f.role(), ...f.contentSteps(), ...f.endSteps(null)];
    case 'S12-tool-calls-stop':
      return lookupCallSteps(f);
    case 'S13-stall-first-token':
      return [{ stall: answer.stallMs }, ...normal()];
    case 'S15-stall-mid':
      return [f.role(), ...f.contentSteps().slice(0, 5), { stall: answer.stallMs }, ...f.contentSteps().slice(5), ...f.endSteps(finish)];
    case 'S18-after-done':
      return [...normal(), { data: f.chunk({ content: ' AFTER-DONE' }) }, { raw: 'data: [DONE]\n\n' }, { stall: undefined }];
    case 'S19-utf8-crlf':
      return [f.role(), ...f.contentSteps(answer.content ?? EMOJI_TEXT), ...f.endSteps(finish)];
    default:
      return normal();
  }
}

/** An answer in a provider's own wire shape (providerFormats.ts). */
function formatSteps(f: ChunkFactory, answer: ScriptedAnswer, finish: string | null): Step[] {
  const size = answer.chunkSize ?? 4;
  const plan = formatPlan(answer.format as ProviderFormat, f.pieces(), answer.reasoning ? splitText(answer.reasoning, size) : []);
  const steps: Step[] = plan.deltas.map((d) => (typeof d === 'string' ? { comment: d } : { data: f.chunk(d) }));
  if (finish !== null) {
    const last = f.chunk(plan.last, finish);
    steps.push({ data: plan.usageOnFinish ? { ...last, usage: f.usageFigures() } : last });
  }
  if (f.includeUsage && !plan.usageOnFinish) steps.push({ data: f.usage() });
  steps.push({ raw: 'data: [DONE]\n\n' });
  return steps;
}

function keepAliveSteps(f: ChunkFactory, finish: string | null): Step[] {
  const steps: Step[] = [
    { comment: 'OPENROUTER PROCESSING' },
    { pause: 100 },
    { comment: 'OPENROUTER PROCESSING' },
    { pause: 100 },
    f.role(),
  ];
  for (const content of f.contentSteps()) {
    steps.push({ comment: 'ping' }, { pause: 100 }, { comment: 'ping' }, { pause: 100 }, content);
  }
  return [...steps, ...f.endSteps(finish)];
}

const AZURE_SAFE = {
  hate: { filtered: false, severity: 'safe' },
  self_harm: { filtered: false, severity: 'safe' },
  sexual: { filtered: false, severity: 'safe' },
  violence: { filtered: false, severity: 'safe' },
};

function azureSteps(f: ChunkFactory, finish: string | null): Step[] {
  const promptFilter = {
    id: '',
    object: '',
    choices: [],
    created: 0,
    model: '',
    prompt_filter_results: [{ prompt_index: 0, content_filter_results: AZURE_SAFE }],
  };
  const extra = { content_filter_results: AZURE_SAFE };
  const content = f.pieces().map((piece) => ({ data: f.chunk({ content: piece }, null, extra) }));
  const noDelta = { data: f.chunk(undefined, null, { content_filter_offsets: { check_offset: 0, start_offset: 0, end_offset: 10 } }) };
  return [{ data: promptFilter }, f.role(), ...content, noDelta, ...f.endSteps(finish)];
}

function thinkSplitSteps(f: ChunkFactory, answer: ScriptedAnswer, finish: string | null): Step[] {
  const thought = answer.reasoning ?? 'The user wants a queue.';
  const pieces = ['<th', 'ink>', ...splitText(thought, 5), '</thi', 'nk>', '\n\n', ...f.pieces()];
  return [f.role(), ...pieces.map((content) => ({ data: f.chunk({ content }) })), ...f.endSteps(finish)];
}

function argumentText(call: ScriptedToolCall): string {
  return typeof call.arguments === 'string' ? call.arguments : JSON.stringify(call.arguments);
}

/** The chunks of a scripted answer's tool calls, in its style. */
function toolCallSteps(f: ChunkFactory, answer: ScriptedAnswer): Step[] {
  const calls = answer.toolCalls ?? [];
  const style = answer.toolCallStyle ?? 'pieces';
  const steps: Step[] = [];
  calls.forEach((c, i) => {
    const id = c.id ?? `call_${i + 1}`;
    const args = argumentText(c);
    const head = (extra: object): Record<string, unknown> =>
      style === 'no-index' ? { id, type: 'function', ...extra } : { index: style === 'same-index' ? 0 : i, id, type: 'function', ...extra };
    if (style === 'pieces') {
      steps.push({ data: f.chunk({ tool_calls: [head({ function: { name: c.name, arguments: '' } })] }) });
      for (const piece of splitText(args, answer.toolArgChunk ?? 7)) {
        steps.push({ data: f.chunk({ tool_calls: [{ index: i, function: { arguments: piece } }] }) });
      }
    } else {
      const value = style === 'object-args' && typeof c.arguments === 'object' ? c.arguments : args;
      steps.push({ data: f.chunk({ tool_calls: [head({ function: { name: c.name, arguments: value } })] }) });
    }
  });
  return steps;
}

function lookupCallSteps(f: ChunkFactory): Step[] {
  const call = {
    tool_calls: [{ index: 0, id: 'call_1', type: 'function', function: { name: 'lookup', arguments: '{"q":"x"}' } }],
  };
  return [f.role(), { data: f.chunk(call) }, ...f.endSteps('stop')];
}

interface StatusAnswer {
  status: number;
  body: unknown;
  headers?: Record<string, string>;
}

function statusFaultAnswer(fault: FaultName, hit: number, model: string, token: string | undefined): StatusAnswer | undefined {
  switch (fault) {
    case 'S4-429-then-ok':
      if (hit >= 3) return undefined;
      return { status: 429, headers: { 'retry-after': '1' }, body: errorBody('Rate limit reached for requests. Please try again in 1s.', 'requests', 'rate_limit_exceeded') };
    case 'S5-429-quota':
      return {
        status: 429,
        headers: { 'retry-after': '3600' },
        body: errorBody('You exceeded your current quota, please check your plan and billing details.', 'insufficient_quota', 'insufficient_quota'),
      };
    case 'S5-429-long':
      return { status: 429, headers: { 'retry-after': '3600' }, body: errorBody('Rate limit reached for requests per day. Try again in 1 hour.', 'requests', 'rate_limit_exceeded') };
    case 'S6-500':
      return { status: 500, body: errorBody('The server had an error while processing your request.', 'server_error', null) };
    case 'S6-502':
      return { status: 502, body: errorBody('Bad gateway.', 'server_error', null) };
    case 'S6-503':
      return { status: 503, body: errorBody('The engine is currently overloaded, please try again later.', 'server_error', null) };
    case 'S6-503-no-retry':
      return { status: 503, headers: { 'x-should-retry': 'false' }, body: errorBody('Service unavailable; do not retry.', 'server_error', null) };
    case 'S21-401':
      // Echoes the whole key, as the worst providers do, so tests can prove the client redacts it.
      return { status: 401, body: errorBody(`Incorrect API key provided: ${token ?? '(none)'}.`, 'invalid_request_error', 'invalid_api_key') };
    case 'S21-403':
      return { status: 403, body: errorBody('You are not allowed to use this model.', 'invalid_request_error', 'permission_denied') };
    case 'S21-404':
      return { status: 404, body: errorBody(`The model \`${model}\` does not exist or you do not have access to it.`, 'invalid_request_error', 'model_not_found') };
    default:
      return undefined;
  }
}

interface WriterOptions {
  crlf: boolean;
  splitUtf8: boolean;
  /** 0 = write each event at once; Infinity = hold everything until the end (proxy buffering). */
  bufferBytes: number;
}

/** Writes SSE events, honouring socket backpressure, with the framing faults S16 and S19. */
class SseWriter {
  private held: Buffer[] = [];
  private heldBytes = 0;
  private readonly eol: string;

  constructor(private readonly ex: Exchange, private readonly options: WriterOptions) {
    this.eol = options.crlf ? '\r\n' : '\n';
  }

  data(value: unknown): Promise<void> {
    return this.event(`data: ${JSON.stringify(value)}${this.eol}${this.eol}`);
  }

  raw(text: string): Promise<void> {
    return this.event(this.options.crlf ? text.replace(/\n/g, '\r\n') : text);
  }

  comment(text: string): Promise<void> {
    return this.event(`: ${text}${this.eol}${this.eol}`);
  }

  async flush(): Promise<void> {
    if (!this.heldBytes) return;
    const all = Buffer.concat(this.held);
    this.held = [];
    this.heldBytes = 0;
    await this.write(all);
  }

  private async event(text: string): Promise<void> {
    const bytes = Buffer.from(text, 'utf8');
    if (this.options.bufferBytes > 0) {
      this.held.push(bytes);
      this.heldBytes += bytes.length;
      if (this.heldBytes >= this.options.bufferBytes) await this.flush();
      return;
    }
    const cut = this.options.splitUtf8 ? fourByteCut(bytes) : -1;
    if (cut < 0) return this.write(bytes);
    await this.write(bytes.subarray(0, cut));
    // A pause makes the two halves separate reads on the client, not one coalesced packet.
    await pause(5, this.ex.gone);
    await this.write(bytes.subarray(cut));
  }

  private async write(bytes: Buffer): Promise<void> {
    const { res, gone } = this.ex;
    if (gone.aborted || res.destroyed) return;
    if (res.write(bytes)) return;
    await new Promise<void>((resolve) => {
      const done = () => {
        res.off('drain', done);
        gone.removeEventListener('abort', done);
        resolve();
      };
      res.on('drain', done);
      gone.addEventListener('abort', done, { once: true });
    });
  }
}

/** Byte offset inside the first 4-byte UTF-8 sequence (its middle), or -1. */
function fourByteCut(bytes: Buffer): number {
  for (let i = 0; i < bytes.length; i++) {
    if ((bytes[i] & 0xf8) === 0xf0) return i + 2;
  }
  return -1;
}

/** Splits text into pieces of about `size` UTF-16 units without cutting a surrogate pair. */
function splitText(text: string, size: number): string[] {
  const pieces: string[] = [];
  let start = 0;
  while (start < text.length) {
    let end = Math.min(start + Math.max(1, size), text.length);
    const code = text.charCodeAt(end - 1);
    if (end < text.length && code >= 0xd800 && code <= 0xdbff) end += 1;
    pieces.push(text.slice(start, end));
    start = end;
  }
  return pieces;
}

function defaultUsage(text: string): { prompt_tokens: number; completion_tokens: number; total_tokens: number } {
  const completion = Math.max(1, Math.ceil(text.length / 4));
  return { prompt_tokens: 10, completion_tokens: completion, total_tokens: 10 + completion };
}

function errorBody(message: string, type: string, code: string | null): object {
  return { error: { message, type, param: null, code } };
}

function sendJson(res: http.ServerResponse, status: number, body: unknown, headers?: Record<string, string>): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text), ...headers });
  res.end(text);
}

function sendHtml(res: http.ServerResponse): void {
  const html = '<!DOCTYPE html>\n<html><head><title>Welcome</title></head>\n<body><h1>Sign in to the network</h1><p>Captive portal.</p></body></html>\n';
  res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'content-length': Buffer.byteLength(html) });
  res.end(html);
}

function header(req: http.IncomingMessage, name: string): string | undefined {
  const value = req.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

/** A provider format asked for by the `x-format` header or a model named `format:NAME` (for UI tests and demos). */
function namedFormat(rec: RecordedRequest): ProviderFormat | undefined {
  const model = typeof rec.body?.model === 'string' ? (rec.body.model as string) : '';
  const name = headerOf(rec, 'x-format') ?? (model.startsWith('format:') ? model.slice('format:'.length) : undefined);
  return PROVIDER_FORMATS.find((f) => f === name?.trim().toLowerCase());
}

function headerOf(rec: RecordedRequest, name: string): string | undefined {
  const value = rec.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

function bearerToken(req: http.IncomingMessage): string | undefined {
  const auth = header(req, 'authorization');
  return auth?.replace(/^Bearer\s+/i, '');
}

/** Resolves after `ms`, or at once when `signal` aborts; never rejects. Infinity waits for the signal. */
function pause(ms: number, signal: AbortSignal): Promise<void> {
  if (signal.aborted) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = Number.isFinite(ms) ? setTimeout(done, ms) : undefined;
    function done(): void {
      if (timer) clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    }
    signal.addEventListener('abort', done, { once: true });
  });
}
