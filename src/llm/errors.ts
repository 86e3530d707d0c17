/**
 * Turns what the `openai` package throws into an `AnswerError` a person can act on, and decides
 * which failures are worth a retry. Pure: no `vscode`, no I/O.
 */
import { APIConnectionError, APIConnectionTimeoutError, APIError, APIUserAbortError } from 'openai';
import type { AnswerError } from './types';

/** An error carrying the `AnswerError` to show; thrown by `listModels`. */
export class ModelClientError extends Error {
  constructor(readonly answerError: AnswerError) {
    super(answerError.message);
    this.name = 'ModelClientError';
  }
}

export interface ErrorContext {
  baseURL: string;
  apiKey?: string;
  model: string;
  requestTimeoutMs: number;
  /** Retries already spent, for the "still limited after N retries" wording. */
  retries?: number;
}

/** Retry-After values above this are reported at once instead of waited for (THREATS S5). */
export const LONG_WAIT_MS = 30_000;

const DETAIL_LIMIT = 300;
const NO_RETRY_CODES = new Set(['ECONNREFUSED', 'ENOTFOUND', 'ERR_INVALID_URL']);

/** Removes the key, anything shaped like an `sk-` key, and URL credentials from text meant for people or logs. */
export function redact(text: string, apiKey?: string): string {
  let out = text;
  if (apiKey && apiKey.length >= 4) out = out.split(apiKey).join('***');
  return out.replace(/\bsk-[A-Za-z0-9_*-]{6,}/g, 'sk-***').replace(/(\/\/)[^/@\s]+@/g, '$1');
}

/** `scheme://host:port` of a base URL, without credentials or path; the raw text when unparsable. */
export function endpointOrigin(baseURL: string): string {
  try {
    const url = new URL(baseURL);
    return `${url.protocol}//${url.host}`;
  } catch {
    return baseURL.replace(/\/\/[^@/]*@/, '//');
  }
}

/**
 * Classifies a failure before the answer started (HTTP status, connection, timeout, config).
 * @param err whatever `chat.completions.create` or `models.list` threw
 */
export function classifyRequestError(err: unknown, ctx: ErrorContext): AnswerError {
  if (err instanceof APIConnectionTimeoutError) {
    const seconds = Math.round(ctx.requestTimeoutMs / 1000);
    return answer(ctx, 'timeout', `The endpoint did not start answering within ${seconds} s.`, ['retry', 'openSettings']);
  }
  if (err instanceof APIConnectionError) return classifyConnection(err, ctx);
  if (err instanceof APIError && typeof err.status === 'number') return classifyStatus(err, ctx);
  return classifyStreamError(err, ctx);
}

/** Classifies a failure thrown while reading the stream (after the response headers). */
export function classifyStreamError(err: unknown, ctx: ErrorContext): AnswerError {
  if (err instanceof SyntaxError && /malformed/i.test(err.message)) {
    return answer(ctx, 'malformed', 'The provider sent malformed data.', ['retry']);
  }
  if (err instanceof APIError && err.status === undefined && !(err instanceof APIConnectionError) && !(err instanceof APIUserAbortError)) {
    const detail = providerDetail(err);
    return answer(ctx, 'server', detail ? `The provider reported an error: ${detail}` : 'The provider reported an error.', ['retry']);
  }
  const codes = causeCodes(err);
  if (codes.some((c) => c === 'ECONNRESET' || c === 'UND_ERR_SOCKET' || c === 'EPIPE') || /terminated|other side closed/i.test(messageOf(err))) {
    return answer(ctx, 'interrupted', 'The connection broke off before the answer finished.', ['retry']);
  }
  if (err instanceof TypeError && /invalid url/i.test(err.message)) {
    return answer(ctx, 'config', 'The base URL is not a valid URL.', ['openSettings']);
  }
  if (err instanceof TypeError && /header/i.test(err.message)) {
    // Undici quotes the offending header value, which may be a secret: never show it.
    return answer(ctx, 'config', 'One of the configured HTTP headers is not valid (check its name and value).', ['openSettings']);
  }
  return answer(ctx, 'internal', `Unexpected error: ${messageOf(err) || String(err)}`, ['retry']);
}

function classifyConnection(err: APIConnectionError, ctx: ErrorContext): AnswerError {
  const origin = endpointOrigin(ctx.baseURL);
  const codes = causeCodes(err);
  if (codes.includes('ECONNREFUSED')) {
    return answer(ctx, 'connection', `Could not reach ${origin}. Is the server (e.g. Ollama) running?`, ['openSettings', 'retry']);
  }
  if (codes.includes('ENOTFOUND') || codes.includes('EAI_AGAIN')) {
    return answer(ctx, 'connection', `Could not find the host of ${origin}. Check the base URL and your network.`, ['openSettings', 'retry']);
  }
  const tls = codes.find((c) => /CERT|SELF_SIGNED|UNABLE_TO_VERIFY|TLS|SSL/.test(c));
  if (tls) {
    return answer(ctx, 'tls', `The TLS certificate of ${origin} was not accepted (${tls}).`, ['openSettings']);
  }
  if (codes.includes('ERR_INVALID_URL')) {
    return answer(ctx, 'config', `The base URL is not a valid URL: ${origin}`, ['openSettings']);
  }
  const why = codes.find((c) => /^[A-Z_]+$/.test(c)) ?? innermostMessage(err);
  return answer(ctx, 'connection', `Could not connect to ${origin}${why ? ` (${why})` : ''}.`, ['openSettings', 'retry']);
}

function classifyStatus(err: APIError, ctx: ErrorContext): AnswerError {
  const status = err.status as number;
  const detail = providerDetail(err);
  const said = detail ? ` The provider said: ${detail}` : '';
  if (status === 401 || status === 403) {
    const lead = !ctx.apiKey
      ? `The endpoint requires an API key (${status}).`
      : status === 401
        ? 'The endpoint rejected the API key (401).'
        : 'The endpoint refused access with this key (403).';
    return answer(ctx, 'auth', lead + said, ['setApiKey'], status);
  }
  if (status === 404) {
    const lead = `The endpoint does not know model "${ctx.model}" or this API path (404). Check the model and the base URL (does it end in /v1?).`;
    return answer(ctx, 'not-found', lead + said, ['selectModel', 'openSettings'], status);
  }
  if (status === 429) return classifyRateLimit(err, ctx, said);
  if (status === 408) return answer(ctx, 'timeout', `The endpoint timed out (408).${said}`, ['retry'], status);
  if (status >= 500) return answer(ctx, 'server', `The model server failed (${status}).${said}`, ['retry'], status);
  if (status === 400 || status === 413 || status === 422) {
    return answer(ctx, 'bad-request', `The endpoint did not accept the request (${status}).${said}`, ['openSettings'], status);
  }
  return answer(ctx, 'http', `The endpoint answered with HTTP ${status}.${said}`, ['retry'], status);
}

function classifyRateLimit(err: APIError, ctx: ErrorContext, said: string): AnswerError {
  if (isQuotaError(err)) {
    return answer(ctx, 'quota', `The provider says the quota for this key is used up (429).${said}`, ['setApiKey', 'openSettings'], 429);
  }
  const wait = retryAfterMs(err.headers);
  if (wait !== undefined && wait > LONG_WAIT_MS) {
    return answer(ctx, 'rate-limit', `Rate limited (429): the provider asks to wait ${formatWait(wait)}.${said}`, ['retry'], 429);
  }
  const after = ctx.retries ? ` and still limited after ${ctx.retries} ${ctx.retries === 1 ? 'retry' : 'retries'}` : '';
  return answer(ctx, 'rate-limit', `Rate limited (429)${after}.${said}`, ['retry'], 429);
}

/** What to do after a failed attempt: wait and retry, or give up. */
export interface RetryPlan {
  delayMs: number;
  /** Shown through `onStatus` while waiting. */
  status: string;
}

/**
 * Mirrors the SDK's retry rules (408, 409, 429, 5xx, connection errors, `x-should-retry`,
 * `retry-after(-ms)`), except that quota errors, long waits and refused or unresolvable
 * connections are reported at once, because waiting does not fix them.
 * @param retriesDone retries already made for this request
 */
export function planRetry(err: unknown, retriesDone: number, maxRetries: number, baseDelayMs = 500): RetryPlan | undefined {
  if (retriesDone >= maxRetries || err instanceof APIUserAbortError) return undefined;
  const backoff = backoffMs(retriesDone, baseDelayMs);
  if (err instanceof APIConnectionTimeoutError) {
    return { delayMs: backoff, status: `No answer yet; retrying (${retriesDone + 1} of ${maxRetries})` };
  }
  if (err instanceof APIConnectionError) {
    if (causeCodes(err).some((c) => NO_RETRY_CODES.has(c) || /CERT|SELF_SIGNED|UNABLE_TO_VERIFY/.test(c))) return undefined;
    return { delayMs: backoff, status: `Connection failed; retrying in ${seconds(backoff)} s` };
  }
  if (!(err instanceof APIError) || typeof err.status !== 'number') return undefined;
  const should = err.headers?.get('x-should-retry');
  const status = err.status;
  const retryable = should === 'true' || (should !== 'false' && (status === 408 || status === 409 || status === 429 || status >= 500));
  if (!retryable) return undefined;
  const asked = retryAfterMs(err.headers);
  if (status === 429 && (isQuotaError(err) || (asked !== undefined && asked > LONG_WAIT_MS))) return undefined;
  const delayMs = asked !== undefined && asked <= LONG_WAIT_MS ? asked : backoff;
  const label = status === 429 ? 'Rate limited' : `The server answered ${status}`;
  return { delayMs, status: `${label}; retrying in ${seconds(delayMs)} s` };
}

/** `retry-after-ms`, then `retry-after` (seconds or HTTP date), in ms; undefined when absent or invalid. */
export function retryAfterMs(headers: Headers | undefined): number | undefined {
  if (!headers) return undefined;
  const ms = headers.get('retry-after-ms');
  if (ms) {
    const value = parseFloat(ms);
    if (Number.isFinite(value) && value >= 0) return value;
  }
  const after = headers.get('retry-after');
  if (!after) return undefined;
  const secs = Number(after.trim());
  const value = Number.isFinite(secs) ? secs * 1000 : Date.parse(after) - Date.now();
  return Number.isFinite(value) && value >= 0 ? value : undefined;
}

function isQuotaError(err: APIError): boolean {
  return err.code === 'insufficient_quota' || err.type === 'insufficient_quota';
}

/** SDK-like exponential backoff: base × 2^n, capped at 8 s, minus up to 25 % jitter. */
function backoffMs(retriesDone: number, baseDelayMs: number): number {
  const delay = Math.min(baseDelayMs * 2 ** retriesDone, 8000);
  return Math.round(delay * (1 - Math.random() * 0.25));
}

function seconds(ms: number): number {
  return Math.max(1, Math.round(ms / 1000));
}

function formatWait(ms: number): string {
  const minutes = Math.round(ms / 60_000);
  return minutes >= 2 ? `about ${minutes} min` : `${Math.round(ms / 1000)} s`;
}

/** The provider's own message, trimmed; undefined for HTML pages and empty bodies. */
function providerDetail(err: APIError): string | undefined {
  const body = err.error as unknown;
  let text: string | undefined;
  if (typeof body === 'string') text = body;
  else if (body && typeof body === 'object') {
    const record = body as Record<string, unknown>;
    if (typeof record['message'] === 'string') text = record['message'];
    else if (typeof record['detail'] === 'string') text = record['detail'];
    else if (typeof record['error'] === 'string') text = record['error'];
  }
  if (text === undefined) text = err.message.replace(/^\d{3}\s+/, '');
  text = text.trim();
  if (!text || /status code \(no body\)|^\(no status code/.test(text) || /^<(!doctype|html)/i.test(text)) return undefined;
  return text.length > DETAIL_LIMIT ? `${text.slice(0, DETAIL_LIMIT)}…` : text;
}

/** `code` values along an error's `cause` chain (undici nests them two or three deep). */
function causeCodes(err: unknown): string[] {
  const codes: string[] = [];
  let current: unknown = err;
  for (let depth = 0; depth < 6 && current && typeof current === 'object'; depth++) {
    const code = (current as { code?: unknown }).code;
    if (typeof code === 'string') codes.push(code);
    const nested = (current as { errors?: unknown }).errors;
    if (Array.isArray(nested)) codes.push(...nested.flatMap((e) => causeCodes(e)));
    current = (current as { cause?: unknown }).cause;
  }
  return codes;
}

/** The deepest `cause` message (undici's real reason, e.g. "bad port"), short. */
function innermostMessage(err: unknown): string | undefined {
  let current: unknown = err instanceof Error ? err.cause : undefined;
  let message: string | undefined;
  for (let depth = 0; depth < 6 && current instanceof Error; depth++) {
    message = current.message;
    current = current.cause;
  }
  return message && message.length < 120 && message !== 'fetch failed' ? message : undefined;
}

function messageOf(err: unknown): string {
  if (err instanceof Error) {
    const cause = err.cause instanceof Error ? ` (${err.cause.message})` : '';
    return err.message + cause;
  }
  return typeof err === 'string' ? err : '';
}

function answer(ctx: ErrorContext, kind: string, message: string, actions: AnswerError['actions'], httpStatus?: number): AnswerError {
  const error: AnswerError = { kind, message: redact(message, ctx.apiKey), actions };
  if (httpStatus !== undefined) error.httpStatus = httpStatus;
  return error;
}
