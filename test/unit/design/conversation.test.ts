import * as assert from 'node:assert/strict';
import { Conversation, type ConversationDeps } from '../../../src/design/conversation';
import { streamChat } from '../../../src/llm/openaiStream';
import type { HostMessage } from '../../../src/protocol';
import { ModelServer } from '../../support/modelServer';

describe('a conversation against an OpenAI-compatible server', () => {
  let server: ModelServer;
  before(async () => { server = await ModelServer.start({ quiet: true }); });
  after(async () => { await server.close(); });
  beforeEach(() => { server.requests.length = 0; });

  function conversation(posted: HostMessage[], extra: Partial<ConversationDeps> = {}, persisted: unknown[] = []): Conversation {
    const c = new Conversation({
      mode: 'design',
      resolveAgent: async () => ({ body: 'You are a careful architect.', info: { name: 'backend-architect', description: 'd', origin: 'bundled' } }),
      resolveEndpoint: async () => ({ endpoint: { baseURL: server.url, model: 'm1' }, info: { model: 'm1', endpoint: '127.0.0.1', demo: false } }),
      contextFor: async () => ({ folderName: 'shop', listing: '- package.json' }),
      stream: streamChat,
      persist: turns => persisted.push(structuredClone(turns)),
      ...extra,
    });
    c.attach(m => posted.push(m));
    return c;
  }

  it('streams an answer to the webview as start, deltas in order and an end', async () => {
    const posted: HostMessage[] = [];
    const persisted: unknown[] = [];
    const text = 'First paragraph.\n\nSecond paragraph with more words.';
    server.enqueue({ chunks: text.match(/.{1,5}/gs)!, chunkDelayMs: 20 });
    const result = await conversation(posted, {}, persisted).send('Design a shop')!;
    assert.equal(result.status, 'complete');
    assert.equal(result.text, text);
    const types = posted.map(m => m.type);
    assert.equal(types[0], 'turn/user');
    assert.equal(types[1], 'answer/start');
    assert.equal(types.at(-1), 'answer/end');
    const deltas = posted.filter((m): m is Extract<HostMessage, { type: 'answer/delta' }> => m.type === 'answer/delta');
    assert.equal(deltas.map(d => d.text).join(''), text, 'the deltas add up to the answer');
    assert.ok(deltas.length > 1, 'the answer arrives in pieces while it streams');
    assert.equal(persisted.length, 1, 'kept once the answer ended');
    const body = server.requests[0].body;
    assert.equal(body.messages[1].content, 'Design a shop\n\nWorkspace: shop\nFiles (a partial listing):\n- package.json');
  });

  it('refuses a second request while one is streaming', async () => {
    const c = conversation([]);
    server.enqueue({ chunks: ['a', 'b', 'c'], chunkDelayMs: 50 });
    const first = c.send('one');
    assert.equal(c.send('two'), undefined);
    await first;
    assert.equal(server.requests.length, 1);
  });

  it('Stop keeps what arrived and marks it stopped, with Retry offered', async () => {
    const posted: HostMessage[] = [];
    const c = conversation(posted);
    server.enqueue({ chunks: Array.from({ length: 100 }, (_, i) => `w${i} `), chunkDelayMs: 30 });
    const pending = c.send('slow')!;
    await new Promise(r => setTimeout(r, 250));
    c.stop();
    const result = await pending;
    assert.equal(result.status, 'stopped');
    assert.match(result.text, /^w0 w1 /);
    assert.deepEqual(result.actions, ['retry']);
    const end = posted.at(-1) as Extract<HostMessage, { type: 'answer/end' }>;
    assert.equal(end.type, 'answer/end');
    assert.equal(end.status, 'stopped');
  });

  it('Retry replaces an answer that did not complete and asks again', async () => {
    const c = conversation([]);
    server.enqueue({ content: 'cut short', fault: 'S2-no-done' });
    const first = await c.send('Design it')!;
    assert.equal(first.status, 'truncated');
    server.enqueue({ content: 'The whole answer.' });
    const second = await c.retry()!;
    assert.equal(second.status, 'complete');
    assert.deepEqual(c.turns.map(t => [t.role, t.text]), [['user', 'Design it'], ['assistant', 'The whole answer.']]);
    assert.equal(server.requests.length, 2);
    assert.deepEqual(server.requests[0].body.messages, server.requests[1].body.messages, 'the same request is sent again');
  });

  it('a Mistral answer that only thought ends "empty" with its thinking, the reason and Retry / Select Model', async () => {
    const posted: HostMessage[] = [];
    server.enqueue({ format: 'mistral', content: '', reasoning: 'Let me think about shops.' });
    const result = await conversation(posted).send('Design a shop')!;
    assert.equal(result.status, 'empty');
    assert.equal(result.reasoning, 'Let me think about shops.');
    const end = posted.at(-1) as Extract<HostMessage, { type: 'answer/end' }>;
    assert.equal(end.type, 'answer/end');
    assert.equal(end.status, 'empty');
    assert.match(end.note ?? '', /stopped after thinking, without writing an answer/);
    assert.deepEqual(end.actions, ['retry', 'selectModel']);
    assert.ok(posted.some(m => m.type === 'answer/reasoning'), 'the Thinking section filled while it streamed');
  });

  it('a refusal ends "refused" with the model\'s words as the note; a skipped image part is noted too', async () => {
    const posted: HostMessage[] = [];
    server.enqueue({ format: 'openai-refusal', content: "I can't help with that." });
    const refused = await conversation(posted).send('x')!;
    assert.equal(refused.status, 'refused');
    assert.equal(refused.note, "I can't help with that.");
    assert.deepEqual(refused.actions, ['retry']);
    server.enqueue({ format: 'parts-mixed', chunks: ['One. ', 'Two.'] });
    const mixed = await conversation([]).send('y')!;
    assert.equal(mixed.status, 'complete');
    assert.equal(mixed.text, 'One. Two.');
    assert.match(mixed.note ?? '', /part of type "image_url", which is not shown/);
  });

  it('an endpoint that cannot be used fails at once with the way forward, sending nothing', async () => {
    const c = conversation([], {
      resolveEndpoint: async () => ({ error: { kind: 'auth', message: 'No API key is set for https://api.openai.com.', actions: ['setApiKey'] }, info: { model: '', endpoint: 'api.openai.com', demo: false } }),
    });
    const result = await c.send('x')!;
    assert.equal(result.status, 'failed');
    assert.deepEqual(result.actions, ['setApiKey']);
    assert.equal(server.requests.length, 0);
  });

  it('a webview that connects mid-answer gets the text so far once, then only new deltas', async () => {
    const late: HostMessage[] = [];
    const c = conversation([]);
    c.detach();
    const text = Array.from({ length: 40 }, (_, i) => `t${i} `).join('');
    server.enqueue({ chunks: text.match(/.{1,4}/gs)!, chunkDelayMs: 15 });
    const pending = c.send('go')!;
    await new Promise(r => setTimeout(r, 200));
    // postMessage serialises at once; clone to see what the webview would have received at that moment.
    await c.connect(m => late.push(structuredClone(m)), 'Design');
    await pending;
    const init = late[0] as Extract<HostMessage, { type: 'view/init' }>;
    assert.equal(init.type, 'view/init');
    assert.equal(init.busy, true);
    const shown = init.turns.at(-1)!.text + late.filter(m => m.type === 'answer/delta').map(m => (m as { text: string }).text).join('');
    assert.equal(shown, text, 'nothing lost, nothing doubled');
  });

  it('an answer left streaming by a reload comes back marked incomplete', () => {
    const c = new Conversation({} as ConversationDeps, [{ id: 'u', role: 'user', text: 'q' }, { id: 'a', role: 'assistant', text: 'half', status: 'streaming' }]);
    assert.equal(c.turns[1].status, 'truncated');
    assert.deepEqual(c.turns[1].actions, ['retry']);
  });
});
