/**
 * Streaming chat against any OpenAI-compatible endpoint through the `openai` package, with the
 * guards the SDK lacks (THREATS.md §2, §3.1): first-token and idle watchdogs, truncation
 * detection, our own 429 classification, reasoning separation, content in every shape providers
 * send (strings, Mistral's part arrays, refusals), empty answers never reported as complete, and
 * key-free error messages. Pure: no `vscode` import.
 */
import { APIError, AzureOpenAI, OpenAI } from 'openai';
import { DeltaReader, type LooseDelta } from './deltaReader';
import {
  classifyRequestError,
  classifyStreamError,
  endpointOrigin,
  type ErrorContext,
  ModelClientError,
  planRetry,
} from './errors';
import { emptyAnswerError, finishStatus, hasAnswerText, refusedError } from './outcome';
import type { AnswerError, AnswerStatus, ChatMessage, ChatRequest, ChatResult, EndpointConfig, StreamHandlers, TokenUsage } from './types';
import { StreamWatchdog } from './watchdog';

export { ModelClientError } from './errors';

/** Defaults applied when `EndpointConfig` leaves a limit out. */
export const STREAM_DEFAULTS = {
  requestTimeoutMs: 120_000,
  firstTokenTimeoutMs: 60_000,
  idleTimeoutMs: 30_000,
  maxRetries: 2,
} as const;

/** Knobs that are not endpoint settings; tests shorten them. */
export interface StreamOptions {
  /** After this long without a first delta, `onStatus` says the model may still be loading (default 5000). */
  waitNoticeMs?: number;
  /** First retry backoff when the server gives no Retry-After (default 500, doubled per retry). */
  retryBaseDelayMs?: number;
}

/**
 * The SDK refuses to start without a key. Keyless endpoints get this placeholder together with
 * an explicit `Authorization: null` default header, which the SDK documents as "explicitly
 * omitted": the header is then never sent, so the placeholder never leaves the process.
 */
const KEYLESS_PLACEHOLDER = 'keyless';

/**
 * Base URLs that refused `stream_options` (Mistral answers 422 "Extra inputs are not permitted"); later
 * requests leave it out at once. Such servers send usage unasked.
 */
const refusesStreamOptions = new Set<string>();

interface LooseChunk {
  model?: string;
  choices?: Array<{ delta?: LooseDelta | null; finish_reason?: string | null }> | null;
  usage?: { prompt_tokens?: number; completion_tokens?: number; total_tokens?: number } | null;
}

/**
 * Builds an `OpenAI` client for one endpoint. Retries are ours (`maxRetries: 0`), so that 429s
 * can be classified before anything waits. Settings the SDK would otherwise read from the
 * environment (organisation, project, admin key, log level) are pinned, because they belong to
 * the person's OpenAI setup and must not leak to other endpoints.
 */
export function createClient(endpoint: EndpointConfig): OpenAI {
  const headers: Record<string, string | null> = {};
  if (!endpoint.apiKey) headers['Authorization'] = null;
  Object.assign(headers, endpoint.headers);
  if (endpoint.azure) {
    // Azure routes by deployment (taken from the request's model) and authenticates with an api-key header.
    return new AzureOpenAI({
      endpoint: endpoint.baseURL,
      apiKey: endpoint.apiKey || KEYLESS_PLACEHOLDER,
      apiVersion: endpoint.azure.apiVersion,
      organization: null,
      project: null,
      timeout: endpoint.requestTimeoutMs ?? STREAM_DEFAULTS.requestTimeoutMs,
      maxRetries: 0,
      defaultHeaders: headers,
      logLevel: 'off',
    });
  }
  return new OpenAI({
    apiKey: endpoint.apiKey || KEYLESS_PLACEHOLDER,
    adminAPIKey: null,
    organization: null,
    project: null,
    webhookSecret: null,
    baseURL: endpoint.baseURL,
    timeout: endpoint.requestTimeoutMs ?? STREAM_DEFAULTS.requestTimeoutMs,
    maxRetries: 0,
    defaultHeaders: headers,
    logLevel: 'off',
  });
}

/**
 * Streams one chat answer. Never throws: every failure ends as `status: 'failed'` with an
 * `error` a person can act on, and the text received so far is kept in every outcome.
 * `error` is set when `status` is `failed`, `empty` (the model said it was done but wrote no
 * text and called no tool) or `refused`. The first-token watchdog restarts with each attempt,
 * so time spent waiting out a 429 does not count against it.
 * @param request endpoint, messages and sampling settings
 * @param handlers receive answer text, reasoning and transient status messages as they arrive
 * @param signal aborting it stops the answer (`status: 'stopped'`)
 * @param options timing knobs for tests
 */
export async function streamChat(
  request: ChatRequest,
  handlers: StreamHandlers,
  signal?: AbortSignal,
  options: StreamOptions = {},
): Promise<ChatResult> {
  return new ChatRun(request, handlers, options).run(signal);
}

/** State of one `streamChat` call. */
class ChatRun {
  private finishReason: string | undefined;
  private usage: TokenUsage | undefined;
  private model: string | undefined;
  private events = 0;
  private gotToken = false;
  private caught: unknown;
  private streamed = false;
  private retries = 0;
  private readonly controller = new AbortController();
  private readonly watchdog: StreamWatchdog;
  private readonly reader: DeltaReader;
  private readonly endpoint: EndpointConfig;

  constructor(
    private readonly request: ChatRequest,
    private readonly handlers: StreamHandlers,
    private readonly options: StreamOptions,
  ) {
    this.endpoint = request.endpoint;
    const notice = handlers.onStatus
      ? () => {
          try {
            handlers.onStatus?.('Waiting for the model to start answering (it may still be loading)…');
          } catch {
            // Runs in a timer: a failing status display must not become an uncaught exception.
          }
        }
      : undefined;
    this.watchdog = new StreamWatchdog(
      this.controller,
      this.endpoint.firstTokenTimeoutMs ?? STREAM_DEFAULTS.firstTokenTimeoutMs,
      this.endpoint.idleTimeoutMs ?? STREAM_DEFAULTS.idleTimeoutMs,
      options.waitNoticeMs ?? 5000,
      notice,
    );
    this.reader = new DeltaReader(handlers, () => this.token());
  }

  async run(signal?: AbortSignal): Promise<ChatResult> {
    if (signal?.aborted) return this.finish('stopped');
    const onAbort = () => this.controller.abort('user-cancel');
    signal?.addEventListener('abort', onAbort, { once: true });
    try {
      const client = createClient(this.endpoint);
      const stream = await this.open(client);
      this.streamed = true;
      await this.consume(stream);
    } catch (err) {
      this.caught = err;
    } finally {
      this.watchdog.stop();
      signal?.removeEventListener('abort', onAbort);
    }
    try {
      this.reader.flush();
    } catch (err) {
      this.caught ??= err;
    }
    return this.settle();
  }

  /** Sends the request, retrying before the response starts; resolves once headers arrived. */
  private async open(client: OpenAI): Promise<AsyncIterable<unknown>> {
    const { endpoint } = this;
    const { temperature, maxTokens, tools, toolChoice } = this.request;
    const messages = wireMessages(this.request.messages);
    let usageOption = !refusesStreamOptions.has(endpoint.baseURL);
    const maxRetries = endpoint.maxRetries ?? STREAM_DEFAULTS.maxRetries;
    for (;;) {
      const body = {
        model: endpoint.model,
        messages,
        stream: true as const,
        ...(usageOption && { stream_options: { include_usage: true } }),
        ...(temperature !== undefined && { temperature }),
        ...(maxTokens !== undefined && { max_tokens: maxTokens }),
        ...(tools?.length && {
          tools: tools.map(t => ({ type: 'function' as const, function: { name: t.name, description: t.description, parameters: t.parameters } })),
          ...(toolChoice && { tool_choice: toolChoice }),
        }),
      };
      this.watchdog.startAttempt();
      try {
        // The wire messages are built from our own ChatMessage shape, which the SDK's union cannot see through.
        return await client.chat.completions.create(body as Parameters<typeof client.chat.completions.create>[0] & { stream: true }, { signal: this.controller.signal });
      } catch (err) {
        this.watchdog.stop();
        if (this.controller.signal.aborted) throw err;
        if (usageOption && rejectsStreamOptions(err)) {
          // Not a retry: the same request without the field the server does not know.
          refusesStreamOptions.add(endpoint.baseURL);
          usageOption = false;
          continue;
        }
        const plan = planRetry(err, this.retries, maxRetries, this.options.retryBaseDelayMs);
        if (!plan) throw err;
        this.retries += 1;
        this.handlers.onStatus?.(plan.status);
        await sleep(plan.delayMs, this.controller.signal);
        if (this.controller.signal.aborted) throw err;
      }
    }
  }

  /** The hot path: keep the work per chunk to a few property reads. */
  private async consume(stream: AsyncIterable<unknown>): Promise<void> {
    const watchdog = this.watchdog;
    for await (const raw of stream) {
      const chunk = raw as LooseChunk;
      this.events++;
      watchdog.last = Date.now();
      const choices = chunk.choices;
      // Azure sends chunks with `choices: []` (prompt filter results, usage), so never assume [0].
      if (choices && choices.length > 0) {
        const choice = choices[0];
        const delta = choice?.delta;
        if (delta) this.reader.read(delta);
        if (choice?.finish_reason) this.finishReason = choice.finish_reason;
      }
      if (chunk.usage) this.usage = toUsage(chunk.usage);
      if (this.model === undefined && chunk.model) this.model = chunk.model;
    }
  }

  /** Called for every delta that carries something; only the first one matters. */
  private token(): void {
    if (this.gotToken) return;
    this.gotToken = true;
    this.watchdog.firstToken();
  }

  /** THREATS §3.1 order: our abort reason, then finish_reason, then errors, then what is missing. */
  private settle(): ChatResult {
    const signal = this.controller.signal;
    if (signal.aborted) return this.settleAbort(signal.reason);
    if (this.finishReason) return this.ended(finishStatus(this.finishReason));
    if (this.caught !== undefined) {
      const ctx = this.context();
      return this.fail(this.streamed ? classifyStreamError(this.caught, ctx) : classifyRequestError(this.caught, ctx));
    }
    if (this.events === 0) {
      return this.fail({
        kind: 'not-a-stream',
        message: 'The endpoint did not return a stream; check the base URL (does it end in /v1?)',
        actions: ['openSettings', 'retry'],
      });
    }
    return this.ended('truncated');
  }

  /**
   * A stream that ended on its own. A refusal outranks the finish reason; an answer with no text and
   * no tool calls is `empty`, never `complete`.
   */
  private ended(status: AnswerStatus): ChatResult {
    const { reader } = this;
    if (status === 'refused' || (reader.refusal && (status === 'complete' || status === 'length' || status === 'truncated'))) {
      return { ...this.finish('refused'), error: refusedError(reader.refusal) };
    }
    if (status === 'complete' && !reader.toolCalls && !hasAnswerText(reader.text)) {
      return { ...this.finish('empty'), error: emptyAnswerError(reader.reasoning.length > 0) };
    }
    return this.finish(status);
  }

  private settleAbort(reason: unknown): ChatResult {
    if (reason === 'first-token-timeout') {
      const seconds = formatSeconds(this.watchdog.firstTokenMs);
      return this.fail({ kind: 'first-token-timeout', message: `No response from the model in ${seconds} s`, actions: ['retry', 'openSettings'] });
    }
    if (reason === 'idle-timeout') {
      const seconds = formatSeconds(this.watchdog.idleMs);
      return this.fail({ kind: 'idle-timeout', message: `The model stopped sending for ${seconds} s`, actions: ['retry'] });
    }
    return this.finish('stopped');
  }

  private context(): ErrorContext {
    return {
      baseURL: this.endpoint.baseURL,
      apiKey: this.endpoint.apiKey,
      model: this.endpoint.model,
      requestTimeoutMs: this.endpoint.requestTimeoutMs ?? STREAM_DEFAULTS.requestTimeoutMs,
      retries: this.retries,
    };
  }

  private fail(error: AnswerError): ChatResult {
    return { ...this.finish('failed'), error };
  }

  private finish(status: AnswerStatus): ChatResult {
    const { reader } = this;
    const result: ChatResult = { status, text: reader.text, reasoning: reader.reasoning };
    if (this.finishReason) result.finishReason = this.finishReason;
    if (this.usage) result.usage = this.usage;
    if (this.model) result.model = this.model;
    if (reader.refusal) result.refusal = reader.refusal;
    if (reader.notes.length > 0) result.notes = [...reader.notes];
    const calls = reader.calls.result();
    if (calls.length > 0) result.toolCalls = calls;
    return result;
  }
}

/**
 * Lists the model ids an endpoint offers (`GET {baseURL}/models`), with the same retries and
 * error classification as `streamChat`.
 * @throws ModelClientError whose `answerError` says what went wrong (kind `cancelled` when `signal` aborted,
 *   `bad-response` when the endpoint did not answer like an OpenAI-compatible API)
 */
export async function listModels(endpoint: EndpointConfig, signal?: AbortSignal): Promise<string[]> {
  const ctx: ErrorContext = {
    baseURL: endpoint.baseURL,
    apiKey: endpoint.apiKey,
    model: endpoint.model,
    requestTimeoutMs: endpoint.requestTimeoutMs ?? STREAM_DEFAULTS.requestTimeoutMs,
  };
  const client = createClient(endpoint);
  const maxRetries = endpoint.maxRetries ?? STREAM_DEFAULTS.maxRetries;
  for (let retries = 0; ; retries++) {
    let text: string;
    try {
      // The raw body, because the SDK turns a non-JSON 200 (a captive portal) into an empty list.
      const response = await client.models.list({ signal }).asResponse();
      text = await response.text();
    } catch (err) {
      if (signal?.aborted) throw new ModelClientError({ kind: 'cancelled', message: 'Cancelled.', actions: [] });
      const plan = planRetry(err, retries, maxRetries);
      if (!plan) throw new ModelClientError(classifyRequestError(err, { ...ctx, retries }));
      await sleep(plan.delayMs, signal);
      continue;
    }
    return modelIds(text, endpoint.baseURL);
  }
}

function modelIds(text: string, baseURL: string): string[] {
  let data: unknown;
  try {
    data = (JSON.parse(text) as { data?: unknown } | null)?.data;
  } catch {
    data = undefined;
  }
  if (!Array.isArray(data)) {
    throw new ModelClientError({
      kind: 'bad-response',
      message: `${endpointOrigin(baseURL)} did not answer like an OpenAI-compatible API; check the base URL (does it end in /v1?)`,
      actions: ['openSettings'],
    });
  }
  const ids = data.map((m) => (m && typeof m === 'object' ? (m as { id?: unknown }).id : undefined));
  return ids.filter((id): id is string => typeof id === 'string' && id.length > 0);
}

/**
 * Our messages in the wire shape: tool calls under `tool_calls` (content null when the model wrote nothing,
 * as the API documents), results as `tool` messages naming their call. Plain messages pass unchanged.
 */
export function wireMessages(messages: ChatMessage[]): unknown[] {
  return messages.map(m => {
    if (m.role === 'tool') { return { role: 'tool', tool_call_id: m.toolCallId ?? '', content: m.content }; }
    if (m.role === 'assistant' && m.toolCalls?.length) {
      return {
        role: 'assistant',
        content: m.content || null,
        tool_calls: m.toolCalls.map(c => ({ id: c.id, type: 'function', function: { name: c.name, arguments: c.arguments } })),
      };
    }
    return { role: m.role, content: m.content };
  });
}

/** A 400 or 422 that names `stream_options`: the server validates strictly and does not know the field. */
function rejectsStreamOptions(err: unknown): boolean {
  return err instanceof APIError && (err.status === 400 || err.status === 422) && err.message.includes('stream_options');
}

function toUsage(usage: NonNullable<LooseChunk['usage']>): TokenUsage {
  return { promptTokens: usage.prompt_tokens, completionTokens: usage.completion_tokens, totalTokens: usage.total_tokens };
}

function formatSeconds(ms: number): string {
  const seconds = ms / 1000;
  return seconds >= 10 || Number.isInteger(seconds) ? String(Math.round(seconds)) : seconds.toFixed(1);
}

/** Resolves after `ms` or as soon as `signal` aborts; never rejects. */
function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  if (signal?.aborted) return Promise.resolve();
  return new Promise((resolve) => {
    const done = () => {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal?.addEventListener('abort', done, { once: true });
  });
}
