/** Retry planning, Retry-After parsing and redaction. */
import assert from 'node:assert/strict';
import { APIConnectionError, APIError, RateLimitError } from 'openai';
import { classifyRequestError, endpointOrigin, planRetry, redact, retryAfterMs } from '../../../src/llm/errors';

function statusError(status: number, body: object | undefined, headers: Record<string, string> = {}): APIError {
  return APIError.generate(status, body ? { error: body } : undefined, undefined, new Headers(headers));
}

const ctx = { baseURL: 'http://user:pw@127.0.0.1:11434/v1', model: 'm', requestTimeoutMs: 120_000 };

describe('errors and retries', () => {
  it('parses retry-after-ms, retry-after seconds and HTTP dates', () => {
    assert.equal(retryAfterMs(new Headers({ 'retry-after-ms': '250' })), 250);
    assert.equal(retryAfterMs(new Headers({ 'retry-after': '2' })), 2000);
    const date = new Date(Date.now() + 10_000).toUTCString();
    const parsed = retryAfterMs(new Headers({ 'retry-after': date })) ?? 0;
    assert.ok(parsed > 8000 && parsed <= 10_000, String(parsed));
    assert.equal(retryAfterMs(new Headers({ 'retry-after': 'soon' })), undefined);
    assert.equal(retryAfterMs(undefined), undefined);
  });

  it('plans retries like the SDK, but stops for quota and long waits', () => {
    assert.equal(planRetry(statusError(429, { code: 'rate_limit_exceeded' }, { 'retry-after': '2' }), 0, 2)?.delayMs, 2000);
    assert.equal(planRetry(statusError(429, { code: 'insufficient_quota' }, { 'retry-after': '1' }), 0, 2), undefined);
    assert.equal(planRetry(statusError(429, {}, { 'retry-after': '31' }), 0, 2), undefined);
    assert.equal(planRetry(statusError(503, {}), 2, 2), undefined, 'no retries left');
    assert.equal(planRetry(statusError(503, {}, { 'x-should-retry': 'false' }), 0, 2), undefined);
    assert.ok(planRetry(statusError(400, {}, { 'x-should-retry': 'true' }), 0, 2));
    assert.equal(planRetry(statusError(400, {}), 0, 2), undefined);
    const backoff = planRetry(statusError(500, {}), 1, 2)?.delayMs ?? 0;
    assert.ok(backoff >= 750 && backoff <= 1000, String(backoff));
  });

  it('does not retry refused connections', () => {
    const refused = new APIConnectionError({ cause: Object.assign(new TypeError('fetch failed'), { cause: { code: 'ECONNREFUSED' } }) });
    assert.equal(planRetry(refused, 0, 2), undefined);
    const reset = new APIConnectionError({ cause: Object.assign(new TypeError('fetch failed'), { cause: { code: 'ECONNRESET' } }) });
    assert.ok(planRetry(reset, 0, 2));
  });

  it('classifies 429s and keeps credentials out of the origin', () => {
    assert.equal(classifyRequestError(statusError(429, { type: 'insufficient_quota' }), ctx).kind, 'quota');
    const limited = classifyRequestError(statusError(429, { message: 'slow down' }), { ...ctx, retries: 2 });
    assert.equal(limited.kind, 'rate-limit');
    assert.match(limited.message, /still limited after 2 retries.*slow down/);
    assert.ok(statusError(429, {}) instanceof RateLimitError);
    assert.equal(endpointOrigin(ctx.baseURL), 'http://127.0.0.1:11434');
  });

  it('omits HTML error pages and trims long provider messages', () => {
    const html = APIError.generate(502, undefined, '<html><body>Bad Gateway</body></html>', new Headers());
    assert.equal(classifyRequestError(html, ctx).message, 'The model server failed (502).');
    const long = classifyRequestError(statusError(500, { message: 'x'.repeat(1000) }), ctx);
    assert.ok(long.message.length < 400);
  });

  it('redacts the key and sk- shaped tokens', () => {
    assert.equal(redact('key abc-DEF-123 here', 'abc-DEF-123'), 'key *** here');
    assert.equal(redact('Incorrect API key provided: sk-proj-abc123def456.'), 'Incorrect API key provided: sk-***.');
  });
});
