/** `streamChat` request shape, headers, keys, cancellation and the "never throws" promise. */
import assert from 'node:assert/strict';
import * as net from 'node:net';
import { streamChat } from '../../../src/llm/openaiStream';
import { FAULTS, ModelServer } from '../../support/modelServer';
import { chatRequests, endpointFor, MESSAGES, run } from './harness';

/** A port nothing listens on (bound, then released). */
async function closedPort(): Promise<number> {
  const probe = net.createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', () => resolve()));
  const { port } = probe.address() as net.AddressInfo;
  await new Promise<void>((resolve) => probe.close(() => resolve()));
  return port;
}

describe('streamChat', function () {
  this.timeout(8000);
  let server: ModelServer;

  beforeEach(async () => {
    server = await ModelServer.start({ quiet: true });
  });
  afterEach(async () => {
    await server.close();
  });

  it('records the request body: model, messages, stream, usage option, sampling settings', async () => {
    server.enqueue({ content: 'ok' });
    await streamChat(
      { endpoint: endpointFor(server, { model: 'qwen2.5-coder' }), messages: MESSAGES, temperature: 0.2, maxTokens: 512 },
      { onDelta: () => undefined },
    );
    const body = chatRequests(server)[0].body;
    assert.equal(body.model, 'qwen2.5-coder');
    assert.deepEqual(body.messages, MESSAGES);
    assert.equal(body.stream, true);
    assert.deepEqual(body.stream_options, { include_usage: true });
    assert.equal(body.temperature, 0.2);
    assert.equal(body.max_tokens, 512);
  });

  it('streams deltas in order and fills usage and model from the final chunks', async () => {
    server.enqueue({ chunks: ['a', 'b', 'c'], usage: { prompt_tokens: 7, completion_tokens: 3, total_tokens: 10 } });
    const { result, deltas } = await run(server);
    assert.deepEqual(deltas, ['a', 'b', 'c']);
    assert.deepEqual(result, {
      status: 'complete',
      text: 'abc',
      reasoning: '',
      finishReason: 'stop',
      usage: { promptTokens: 7, completionTokens: 3, totalTokens: 10 },
      model: 'test-model',
    });
  });

  it('sends no Authorization header at all when there is no key', async () => {
    server.enqueue({ content: 'ok' });
    const { result } = await run(server);
    assert.equal(result.status, 'complete');
    assert.equal(chatRequests(server)[0].headers['authorization'], undefined);
  });

  it('sends the key as a Bearer token when there is one', async () => {
    server.enqueue({ content: 'ok' });
    await run(server, { endpoint: { apiKey: 'sk-abc-123456' } });
    assert.equal(chatRequests(server)[0].headers['authorization'], 'Bearer sk-abc-123456');
  });

  it('sends the configured headers, including an api-key header instead of Authorization', async () => {
    server.enqueue({ content: 'ok' });
    await run(server, { endpoint: { headers: { 'X-Org': 'acme', 'api-key': 'azure-key' } } });
    const headers = chatRequests(server)[0].headers;
    assert.equal(headers['x-org'], 'acme');
    assert.equal(headers['api-key'], 'azure-key');
    assert.equal(headers['authorization'], undefined);
  });

  it('ignores OPENAI_ORG_ID / OPENAI_PROJECT_ID / OPENAI_API_KEY from the environment', async () => {
    const saved = { ...process.env };
    Object.assign(process.env, { OPENAI_ORG_ID: 'org-env', OPENAI_PROJECT_ID: 'proj-env', OPENAI_API_KEY: 'sk-env-999999' });
    try {
      server.enqueue({ content: 'ok' });
      await run(server);
    } finally {
      for (const name of ['OPENAI_ORG_ID', 'OPENAI_PROJECT_ID', 'OPENAI_API_KEY']) {
        if (saved[name] === undefined) delete process.env[name];
        else process.env[name] = saved[name];
      }
    }
    const headers = chatRequests(server)[0].headers;
    assert.equal(headers['openai-organization'], undefined);
    assert.equal(headers['openai-project'], undefined);
    assert.equal(headers['authorization'], undefined);
  });

  it('never puts the key in an error message, whatever fails', async function () {
    this.timeout(15000);
    const apiKey = 'sk-proj-LEAKCHECK-abcdef0123456789';
    const failing = FAULTS.filter((f) => !/S4|S6-50[023]$|S9|S13|S14|S15|S17/.test(f));
    for (const fault of failing) {
      server.enqueue({ fault });
      const { result } = await run(server, { endpoint: { apiKey } });
      const shown = JSON.stringify(result.error ?? {});
      assert.ok(!shown.includes(apiKey) && !shown.includes('LEAKCHECK'), `${fault}: ${shown}`);
    }
  });

  it('connection refused: "connection" with the origin and a hint, reported without retries', async () => {
    const port = await closedPort();
    const started = Date.now();
    const result = await streamChat(
      { endpoint: { baseURL: `http://127.0.0.1:${port}/v1`, model: 'llama3', apiKey: 'sk-zzz-123456' }, messages: MESSAGES },
      { onDelta: () => undefined },
    );
    assert.equal(result.status, 'failed');
    assert.equal(result.error?.kind, 'connection');
    assert.equal(result.error?.message, `Could not reach http://127.0.0.1:${port}. Is the server (e.g. Ollama) running?`);
    assert.deepEqual(result.error?.actions, ['openSettings', 'retry']);
    assert.ok(Date.now() - started < 1000);
  });

  it('an invalid base URL fails cleanly instead of throwing', async () => {
    const result = await streamChat({ endpoint: { baseURL: 'not a url', model: 'm' }, messages: MESSAGES }, { onDelta: () => undefined });
    assert.equal(result.status, 'failed');
    assert.ok(result.error?.actions.includes('openSettings'), JSON.stringify(result.error));
  });

  it('an already aborted signal returns "stopped" without sending anything', async () => {
    const controller = new AbortController();
    controller.abort();
    const { result } = await run(server, { signal: controller.signal });
    assert.equal(result.status, 'stopped');
    assert.equal(server.requests.length, 0);
  });

  it('cancel during a rate-limit wait stops at once', async () => {
    server.enqueue({ fault: 'S4-429-then-ok' });
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 150);
    const { result, elapsedMs } = await run(server, { signal: controller.signal });
    assert.equal(result.status, 'stopped');
    assert.ok(elapsedMs < 900, `took ${elapsedMs} ms`);
    assert.equal(chatRequests(server).length, 1);
  });

  it('a throwing onDelta handler still resolves (failed, kind internal) and ends the request', async () => {
    server.enqueue({ chunks: ['a', 'b', 'c'], chunkDelayMs: 20 });
    const result = await streamChat(
      { endpoint: endpointFor(server), messages: MESSAGES },
      {
        onDelta: () => {
          throw new Error('renderer crashed');
        },
      },
    );
    assert.equal(result.status, 'failed');
    assert.equal(result.error?.kind, 'internal');
    assert.match(result.error?.message ?? '', /renderer crashed/);
  });

  it('the first-token watchdog restarts per attempt, so a rate-limit wait does not eat it', async function () {
    this.timeout(6000);
    server.enqueue({ fault: 'S4-429-then-ok', chunks: ['ok'] });
    const { result } = await run(server, { endpoint: { firstTokenTimeoutMs: 700 } });
    assert.equal(result.status, 'complete');
  });
});
