/**
 * One test (or a few) per streaming fault row S1–S21 of THREATS.md §2, each through `streamChat`
 * against a real ModelServer, asserting what the person is shown and that partial text survives.
 */
import assert from 'node:assert/strict';
import { ModelServer } from '../../support/modelServer';
import { chatRequests, eventually, run } from './harness';

const CHUNKS = ['Use ', 'a ', 'durable ', 'queue ', 'with ', 'retries ', 'and ', 'a ', 'dead-letter ', 'topic.'];
const FULL = CHUNKS.join('');

describe('streamChat against injected faults (THREATS §2)', function () {
  this.timeout(8000);
  let server: ModelServer;

  beforeEach(async () => {
    server = await ModelServer.start({ quiet: true });
  });
  afterEach(async () => {
    await server.close();
  });

  it('S1 connection reset mid-stream: failed "interrupted", partial text kept, retry offered', async () => {
    server.enqueue({ fault: 'S1-reset', chunks: CHUNKS });
    const { result } = await run(server);
    assert.equal(result.status, 'failed');
    assert.equal(result.error?.kind, 'interrupted');
    assert.deepEqual(result.error?.actions, ['retry']);
    assert.equal(result.text, CHUNKS.slice(0, 3).join(''));
  });

  it('S2 clean EOF without [DONE] or finish_reason: truncated, never complete', async () => {
    server.enqueue({ fault: 'S2-no-done', chunks: CHUNKS });
    const { result } = await run(server);
    assert.equal(result.status, 'truncated');
    assert.equal(result.text, FULL);
    assert.equal(result.error, undefined);
  });

  it('S3 last event without its blank line: pinned, openai 7.17+ delivers it (openai-node #2726), so complete', async () => {
    // THREATS.md expected the SDK to drop this event (#2725, seen on 7.5.0). If this starts failing
    // with `truncated`, the SDK regressed: the answer must then show the "possibly truncated" banner.
    server.enqueue({ fault: 'S3-no-trailing-blank', chunks: CHUNKS });
    const { result } = await run(server);
    assert.equal(result.status, 'complete');
    assert.equal(result.finishReason, 'stop');
    assert.equal(result.text, FULL);
  });

  it('S4 429 then success: 3 requests about 1 s apart, "retrying" shown, then complete', async function () {
    this.timeout(6000);
    server.enqueue({ fault: 'S4-429-then-ok', chunks: CHUNKS });
    const { result, statuses } = await run(server);
    assert.equal(result.status, 'complete');
    assert.equal(result.text, FULL);
    const times = chatRequests(server).map((r) => r.receivedAt);
    assert.equal(times.length, 3);
    for (const gap of [times[1] - times[0], times[2] - times[1]]) {
      assert.ok(gap >= 950 && gap < 1600, `gap ${gap} ms should follow retry-after: 1`);
    }
    assert.deepEqual(statuses, ['Rate limited; retrying in 1 s', 'Rate limited; retrying in 1 s']);
  });

  it('S5 429 quota exhausted (retry-after 3600): reported at once as "quota" with the provider message', async () => {
    server.enqueue({ fault: 'S5-429-quota' });
    const { result, elapsedMs } = await run(server);
    assert.equal(result.status, 'failed');
    assert.equal(result.error?.kind, 'quota');
    assert.equal(result.error?.httpStatus, 429);
    assert.match(result.error?.message ?? '', /exceeded your current quota/);
    assert.equal(chatRequests(server).length, 1);
    assert.ok(elapsedMs < 2000, `took ${elapsedMs} ms`);
  });

  it('S5 429 with a long retry-after: reported at once as "rate-limit", no one-hour wait', async () => {
    server.enqueue({ fault: 'S5-429-long' });
    const { result, elapsedMs } = await run(server);
    assert.equal(result.error?.kind, 'rate-limit');
    assert.match(result.error?.message ?? '', /about 60 min/);
    assert.deepEqual(result.error?.actions, ['retry']);
    assert.equal(chatRequests(server).length, 1);
    assert.ok(elapsedMs < 2000);
  });

  it('S6 503 before headers: retried twice with backoff, then a readable "server" error', async () => {
    server.enqueue({ fault: 'S6-503' });
    const { result, statuses } = await run(server);
    assert.equal(result.status, 'failed');
    assert.equal(result.error?.kind, 'server');
    assert.equal(result.error?.httpStatus, 503);
    assert.deepEqual(result.error?.actions, ['retry']);
    assert.match(result.error?.message ?? '', /503.*overloaded/);
    const times = chatRequests(server).map((r) => r.receivedAt);
    assert.equal(times.length, 3);
    assert.ok(times[1] - times[0] >= 350, 'first backoff about 0.5 s');
    assert.ok(times[2] - times[1] >= 700, 'second backoff about 1 s');
    assert.equal(statuses.length, 2);
  });

  for (const fault of ['S6-500', 'S6-502'] as const) {
    it(`${fault}: retried (maxRetries 1 → 2 requests), then "server"`, async () => {
      server.enqueue({ fault, repeat: 2 });
      const { result } = await run(server, { endpoint: { maxRetries: 1 } });
      assert.equal(result.error?.kind, 'server');
      assert.equal(result.error?.httpStatus, Number(fault.slice(3)));
      assert.equal(chatRequests(server).length, 2);
    });
  }

  it('S6 503 with x-should-retry: false: exactly 1 request', async () => {
    server.enqueue({ fault: 'S6-503-no-retry' });
    const { result } = await run(server);
    assert.equal(result.error?.kind, 'server');
    assert.equal(chatRequests(server).length, 1);
  });

  it('S7 error event mid-stream: the provider message is shown and the partial text kept', async () => {
    server.enqueue({ fault: 'S7-error-event', chunks: CHUNKS });
    const { result } = await run(server);
    assert.equal(result.status, 'failed');
    assert.equal(result.error?.kind, 'server');
    assert.match(result.error?.message ?? '', /upstream overloaded/);
    assert.deepEqual(result.error?.actions, ['retry']);
    assert.equal(result.text, CHUNKS.slice(0, 2).join(''));
  });

  it('S8 malformed SSE JSON: "The provider sent malformed data", partial text kept', async () => {
    server.enqueue({ fault: 'S8-malformed', chunks: CHUNKS });
    const { result } = await run(server);
    assert.equal(result.error?.kind, 'malformed');
    assert.match(result.error?.message ?? '', /The provider sent malformed data/);
    assert.deepEqual(result.error?.actions, ['retry']);
    assert.equal(result.text, CHUNKS.slice(0, 2).join(''));
  });

  it('S9 keep-alive comments (incl. ": OPENROUTER PROCESSING") are ignored', async () => {
    server.enqueue({ fault: 'S9-keepalive', chunks: ['Hi', ' there'] });
    const { result } = await run(server);
    assert.equal(result.status, 'complete');
    assert.equal(result.text, 'Hi there');
  });

  it('S9 pinned: comments are invisible through the SDK, so they do not feed the idle watchdog', async () => {
    // Each chunk follows 200 ms of comments only; a 150 ms idle limit therefore fires.
    server.enqueue({ fault: 'S9-keepalive', chunks: ['a', 'b', 'c'] });
    const { result } = await run(server, { endpoint: { idleTimeoutMs: 150 } });
    assert.equal(result.error?.kind, 'idle-timeout');
    assert.ok(result.text.length >= 1);
  });

  it('S10 Azure empty-choices and no-delta chunks, ending content_filter: "filtered", text kept', async () => {
    server.enqueue({ fault: 'S10-azure-filtered', chunks: CHUNKS });
    const { result } = await run(server);
    assert.equal(result.status, 'filtered');
    assert.equal(result.finishReason, 'content_filter');
    assert.equal(result.text, FULL);
    assert.equal(result.error, undefined);
  });

  it('S10 Azure empty-choices chunks with a normal stop: complete; the empty model id is ignored', async () => {
    server.enqueue({ fault: 'S10-azure-empty-choices', chunks: CHUNKS });
    const { result } = await run(server);
    assert.equal(result.status, 'complete');
    assert.equal(result.text, FULL);
    assert.equal(result.model, 'test-model');
  });

  it('S11 delta.reasoning_content goes to the reasoning channel only', async () => {
    server.enqueue({ fault: 'S11-reasoning-content', reasoning: 'Think about durability.', chunks: CHUNKS });
    const out = await run(server);
    assert.equal(out.result.status, 'complete');
    assert.equal(out.result.reasoning, 'Think about durability.');
    assert.equal(out.reasoning.join(''), 'Think about durability.');
    assert.equal(out.result.text, FULL);
  });

  it('S11 delta.reasoning (Ollama) goes to the reasoning channel only', async () => {
    server.enqueue({ fault: 'S11-reasoning', reasoning: 'Ollama thinks.', chunks: CHUNKS });
    const { result } = await run(server);
    assert.equal(result.reasoning, 'Ollama thinks.');
    assert.equal(result.text, FULL);
  });

  it('S11 <think> split across chunks (<th + ink>) never reaches the answer text', async () => {
    server.enqueue({ fault: 'S11-think-split', reasoning: 'Queues need idempotency.', chunks: CHUNKS });
    const out = await run(server);
    assert.equal(out.result.status, 'complete');
    assert.equal(out.result.reasoning, 'Queues need idempotency.');
    assert.equal(out.result.text, FULL);
    assert.ok(out.deltas.every((d) => !d.includes('<') && !d.includes('>')), out.deltas.join('|'));
  });

  it('S11 a stream of reasoning only with a finish_reason is "empty" (issue #17), the reasoning kept', async () => {
    server.enqueue({ fault: 'S11-reasoning-only', reasoning: 'Hmm.' });
    const { result } = await run(server);
    assert.equal(result.status, 'empty');
    assert.equal(result.error?.kind, 'empty');
    assert.equal(result.text, '');
    assert.equal(result.reasoning, 'Hmm.');
  });

  it('S12 finish_reason length: status "length"', async () => {
    server.enqueue({ fault: 'S12-length', chunks: CHUNKS });
    const { result } = await run(server);
    assert.equal(result.status, 'length');
    assert.equal(result.text, FULL);
  });

  it('S12 unknown finish_reason end_turn: complete', async () => {
    server.enqueue({ fault: 'S12-end-turn', chunks: CHUNKS });
    const { result } = await run(server);
    assert.equal(result.status, 'complete');
    assert.equal(result.finishReason, 'end_turn');
  });

  it('S12 finish_reason null on every chunk (with [DONE]): truncated', async () => {
    server.enqueue({ fault: 'S12-null-finish', chunks: CHUNKS });
    const { result } = await run(server);
    assert.equal(result.status, 'truncated');
    assert.equal(result.text, FULL);
  });

  it('S12 Ollama stop alongside tool_calls: complete, tool calls ignored', async () => {
    server.enqueue({ fault: 'S12-tool-calls-stop' });
    const { result } = await run(server);
    assert.equal(result.status, 'complete');
    assert.equal(result.text, '');
  });

  it('S13 headers sent, then no token: first-token watchdog fails it and the socket is closed', async () => {
    server.enqueue({ fault: 'S13-stall-first-token' });
    const { result, elapsedMs, statuses } = await run(server, {
      endpoint: { firstTokenTimeoutMs: 300 },
      options: { waitNoticeMs: 100 },
    });
    assert.equal(result.status, 'failed');
    assert.equal(result.error?.kind, 'first-token-timeout');
    assert.equal(result.error?.message, 'No response from the model in 0.3 s');
    assert.ok(elapsedMs >= 290 && elapsedMs < 2000, `took ${elapsedMs} ms`);
    assert.deepEqual(statuses, ['Waiting for the model to start answering (it may still be loading)…']);
    assert.ok(await eventually(() => chatRequests(server)[0].clientClosedAt !== undefined), 'server saw the close');
  });

  it('S14 slow headers within the limits: the answer completes', async () => {
    server.enqueue({ fault: 'S14-slow-headers', stallMs: 300, chunks: CHUNKS });
    const { result } = await run(server, { endpoint: { firstTokenTimeoutMs: 2000 } });
    assert.equal(result.status, 'complete');
    assert.equal(result.text, FULL);
  });

  it('S14 slow headers beyond requestTimeoutMs: "timeout" with retry', async () => {
    server.enqueue({ fault: 'S14-slow-headers', stallMs: 5000 });
    const { result, elapsedMs } = await run(server, {
      endpoint: { requestTimeoutMs: 250, maxRetries: 0, firstTokenTimeoutMs: 3000 },
    });
    assert.equal(result.error?.kind, 'timeout');
    assert.ok(result.error?.actions.includes('retry'));
    assert.ok(elapsedMs < 1500, `took ${elapsedMs} ms`);
  });

  it('S15 stall mid-stream: idle watchdog fails it, the 5 chunks are kept', async () => {
    server.enqueue({ fault: 'S15-stall-mid', chunks: CHUNKS });
    const { result, elapsedMs } = await run(server, { endpoint: { idleTimeoutMs: 300 } });
    assert.equal(result.status, 'failed');
    assert.equal(result.error?.kind, 'idle-timeout');
    assert.equal(result.error?.message, 'The model stopped sending for 0.3 s');
    assert.equal(result.text, CHUNKS.slice(0, 5).join(''));
    assert.ok(elapsedMs < 1500);
  });

  it('S16 proxy buffering (all at once) gives the same result as the unbuffered stream', async () => {
    server.enqueue({ chunks: CHUNKS, chunkDelayMs: 20 }, { fault: 'S16-buffered', chunks: CHUNKS, chunkDelayMs: 20 });
    const plain = await run(server);
    const buffered = await run(server);
    assert.equal(buffered.result.status, 'complete');
    assert.deepEqual({ ...buffered.result }, { ...plain.result });
  });

  it('S16 proxy buffering in 16 KB bursts: same text, complete', async () => {
    const content = 'x'.repeat(40_000) + ' end';
    server.enqueue({ fault: 'S16-burst-16k', content, chunkSize: 100, chunkDelayMs: 0 });
    const { result } = await run(server);
    assert.equal(result.status, 'complete');
    assert.equal(result.text, content);
  });

  it('S17 user cancel after 2 chunks: stopped without error, the server sees the socket close', async () => {
    const controller = new AbortController();
    let abortedAt = 0;
    server.enqueue({ fault: 'S17-slow', chunks: CHUNKS });
    const { result } = await run(server, {
      signal: controller.signal,
      onDelta: (_text, count) => {
        if (count === 2) {
          abortedAt = Date.now();
          controller.abort();
        }
      },
    });
    assert.equal(result.status, 'stopped');
    assert.equal(result.error, undefined);
    assert.equal(result.text, CHUNKS.slice(0, 2).join(''));
    const rec = chatRequests(server)[0];
    assert.ok(await eventually(() => rec.clientClosedAt !== undefined, 1000), 'socket closed');
    assert.ok((rec.clientClosedAt ?? Infinity) - abortedAt < 1000);
  });

  it('S18 data after [DONE] with the socket held open: complete at once, later data ignored', async () => {
    server.enqueue({ fault: 'S18-after-done', chunks: CHUNKS });
    const { result, elapsedMs } = await run(server);
    assert.equal(result.status, 'complete');
    assert.equal(result.text, FULL);
    assert.ok(elapsedMs < 2000, `took ${elapsedMs} ms; the socket stays open forever`);
  });

  it('S19 a 4-byte character split across writes and CRLF separators arrive intact', async () => {
    const content = 'Queue \u{1F680} ready \u{1F600}!';
    server.enqueue({ fault: 'S19-utf8-crlf', content, chunkSize: 7 });
    const { result } = await run(server);
    assert.equal(result.status, 'complete');
    assert.equal(result.text, content);
  });

  it('S20 200 text/html instead of a stream: pinned, the SDK yields nothing, we say "not-a-stream"', async () => {
    server.enqueue({ fault: 'S20-html' });
    const { result } = await run(server);
    assert.equal(result.status, 'failed');
    assert.equal(result.error?.kind, 'not-a-stream');
    assert.equal(result.error?.message, 'The endpoint did not return a stream; check the base URL (does it end in /v1?)');
  });

  it('S21 401: "auth" with setApiKey, not retried, key never echoed', async () => {
    const apiKey = 'sk-test-VERYSECRET-0123456789';
    server.enqueue({ fault: 'S21-401' });
    const { result } = await run(server, { endpoint: { apiKey } });
    assert.equal(result.error?.kind, 'auth');
    assert.deepEqual(result.error?.actions, ['setApiKey']);
    assert.equal(result.error?.httpStatus, 401);
    assert.ok(!result.error?.message.includes(apiKey), result.error?.message);
    assert.ok(!result.error?.message.includes('VERYSECRET'));
    assert.equal(chatRequests(server).length, 1);
  });

  it('S21 403: "auth" with setApiKey', async () => {
    server.enqueue({ fault: 'S21-403' });
    const { result } = await run(server, { endpoint: { apiKey: 'k-123456' } });
    assert.equal(result.error?.kind, 'auth');
    assert.equal(result.error?.httpStatus, 403);
    assert.deepEqual(result.error?.actions, ['setApiKey']);
  });

  it('S21 404: "not-found" with selectModel and openSettings', async () => {
    server.enqueue({ fault: 'S21-404' });
    const { result } = await run(server, { endpoint: { model: 'gpt-nope' } });
    assert.equal(result.error?.kind, 'not-found');
    assert.deepEqual(result.error?.actions, ['selectModel', 'openSettings']);
    assert.match(result.error?.message ?? '', /gpt-nope/);
    assert.equal(chatRequests(server).length, 1);
  });
});
