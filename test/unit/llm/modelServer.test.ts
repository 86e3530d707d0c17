/** The test server itself: real SSE wire format, fault selection and bounded stalls. */
import assert from 'node:assert/strict';
import { FAULTS, ModelServer, resolveFault } from '../../support/modelServer';

async function post(server: ModelServer, body: object, headers: Record<string, string> = {}): Promise<Response> {
  return fetch(`${server.url}/chat/completions`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify(body),
  });
}

function dataLines(text: string): string[] {
  return text.split(/\r?\n\r?\n/).filter((e) => e.startsWith('data: ')).map((e) => e.slice(6));
}

describe('ModelServer', function () {
  this.timeout(5000);
  let server: ModelServer;

  beforeEach(async () => {
    server = await ModelServer.start({ quiet: true });
  });
  afterEach(async () => {
    await server.close();
  });

  it('lists a fault for every THREATS row S1–S21 and resolves short names', () => {
    for (let row = 1; row <= 21; row++) {
      assert.ok(FAULTS.some((f) => f.startsWith(`S${row}-`)), `S${row}`);
    }
    assert.equal(resolveFault('S7'), 'S7-error-event');
    assert.equal(resolveFault('s6-503-no-retry'), 'S6-503-no-retry');
    assert.equal(resolveFault('S99'), undefined);
  });

  it('streams the OpenAI wire format: role chunk, content, finish, usage when asked, [DONE]', async () => {
    server.enqueue({ chunks: ['Hel', 'lo'] });
    const res = await post(server, { model: 'm1', messages: [], stream: true, stream_options: { include_usage: true } });
    assert.equal(res.headers.get('content-type'), 'text/event-stream');
    assert.equal(res.headers.get('cache-control'), 'no-cache');
    const lines = dataLines(await res.text());
    assert.equal(lines.at(-1), '[DONE]');
    const chunks = lines.slice(0, -1).map((l) => JSON.parse(l));
    assert.deepEqual(chunks[0].choices[0].delta, { role: 'assistant', content: '' });
    assert.equal(chunks[0].object, 'chat.completion.chunk');
    assert.equal(chunks[0].model, 'm1');
    assert.deepEqual(chunks.slice(1, 3).map((c) => c.choices[0].delta.content), ['Hel', 'lo']);
    assert.equal(chunks[3].choices[0].finish_reason, 'stop');
    assert.deepEqual(chunks[4].choices, []);
    assert.equal(chunks[4].usage.total_tokens, chunks[4].usage.prompt_tokens + chunks[4].usage.completion_tokens);
  });

  it('sends no usage chunk unless asked', async () => {
    const res = await post(server, { model: 'm', messages: [], stream: true });
    const chunks = dataLines(await res.text()).slice(0, -1).map((l) => JSON.parse(l));
    assert.ok(chunks.every((c) => c.usage === undefined));
  });

  it('speaks Mistral: 422 for stream_options without using up the answer, then content part arrays and usage on the finish chunk', async () => {
    server.enqueue({ format: 'mistral', chunks: ['Yes.'], reasoning: 'Hm.' });
    const refused = await post(server, { model: 'magistral', messages: [], stream: true, stream_options: { include_usage: true } });
    assert.equal(refused.status, 422);
    assert.match(await refused.text(), /extra_forbidden.*stream_options/);
    const res = await post(server, { model: 'magistral', messages: [], stream: true });
    const chunks = dataLines(await res.text()).slice(0, -1).map((l) => JSON.parse(l));
    assert.deepEqual(chunks[1].choices[0].delta.content, [
      { type: 'thinking', thinking: [{ type: 'text', text: 'Hm.' }] },
      { type: 'text', text: 'Yes.' },
    ]);
    const last = chunks.at(-1);
    assert.equal(last.choices[0].finish_reason, 'stop');
    assert.equal(typeof last.usage.total_tokens, 'number');
  });

  it('selects a provider format by model "format:NAME" or the x-format header', async () => {
    const byModel = await post(server, { model: 'format:openai-refusal', messages: [], stream: true });
    const refusal = dataLines(await byModel.text()).slice(0, -1).map((l) => JSON.parse(l));
    assert.ok(refusal.some((c) => typeof c.choices[0]?.delta?.refusal === 'string'));
    const byHeader = await post(server, { model: 'm', messages: [], stream: true }, { 'x-format': 'mistral' });
    const parts = dataLines(await byHeader.text()).slice(0, -1).map((l) => JSON.parse(l));
    assert.ok(parts.some((c) => Array.isArray(c.choices[0]?.delta?.content)));
    const unknown = await post(server, { model: 'format:nope', messages: [], stream: true });
    assert.ok(dataLines(await unknown.text()).slice(0, -1).every((l) => typeof JSON.parse(l).choices[0]?.delta?.content !== 'object'));
  });

  it('answers a non-stream Mistral request with a content part array', async () => {
    server.enqueue({ format: 'mistral', content: '4', reasoning: '2+2.' });
    const json = await (await post(server, { model: 'm', messages: [] })).json();
    assert.deepEqual(json.choices[0].message.content, [
      { type: 'thinking', thinking: [{ type: 'text', text: '2+2.' }], closed: true },
      { type: 'text', text: '4' },
    ]);
  });

  it('answers non-stream requests with a chat.completion', async () => {
    server.enqueue({ content: 'plain' });
    const json = await (await post(server, { model: 'm', messages: [] })).json();
    assert.equal(json.object, 'chat.completion');
    assert.equal(json.choices[0].message.content, 'plain');
  });

  it('selects faults by x-fault header and by model "fault:…", and writes keep-alive comments', async () => {
    server.enqueue({ chunks: ['a', 'b'] });
    const byHeader = await post(server, { model: 'm', messages: [], stream: true }, { 'x-fault': 'S9' });
    const text = await byHeader.text();
    assert.match(text, /^: OPENROUTER PROCESSING\n\n/);
    assert.match(text, /\n: ping\n\n/);
    const byModel = await post(server, { model: 'fault:S21-404', messages: [], stream: true });
    assert.equal(byModel.status, 404);
    await byModel.text();
  });

  it('S4 by header cycles 429, 429, 200', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 3; i++) {
      const res = await post(server, { model: 'm', messages: [], stream: true }, { 'x-fault': 'S4' });
      statuses.push(res.status);
      await res.text();
    }
    assert.deepEqual(statuses, [429, 429, 200]);
  });

  it('S19 uses CRLF separators; S3 ends without the blank line', async () => {
    const crlf = await (await post(server, { model: 'm', messages: [], stream: true }, { 'x-fault': 'S19' })).text();
    assert.ok(crlf.includes('\r\n\r\n') && !/[^\r]\n/.test(crlf));
    const cut = await (await post(server, { model: 'm', messages: [], stream: true }, { 'x-fault': 'S3' })).text();
    assert.ok(cut.endsWith('"finish_reason":"stop"}]}\n') && !cut.endsWith('\n\n'));
  });

  it('close() ends a stalled stream at once', async () => {
    const res = await post(server, { model: 'm', messages: [], stream: true }, { 'x-fault': 'S13' });
    const reading = res.text().then(
      () => 'ended',
      () => 'errored',
    );
    const started = Date.now();
    await server.close();
    assert.ok(['ended', 'errored'].includes(await reading));
    assert.ok(Date.now() - started < 1000);
    server = await ModelServer.start({ quiet: true });
  });

  it('GET /v1/models lists the configured models', async () => {
    const json = await (await fetch(`${server.url}/models`)).json();
    assert.equal(json.object, 'list');
    assert.deepEqual(json.data.map((m: { id: string }) => m.id), ['test-model', 'test-model-large']);
    assert.equal(json.data[0].object, 'model');
  });
});
