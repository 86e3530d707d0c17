import * as assert from 'node:assert/strict';
import { streamChat } from '../../../src/llm/openaiStream';
import { budgetSpentMessage, runToolLoop, writesCallsAsText, type ToolLoopResult, type ToolRunner, type ToolStep } from '../../../src/llm/toolLoop';
import type { ChatRequest, ToolCall, ToolSpec } from '../../../src/llm/types';
import { ModelServer, NO_TOOLS_MODEL_PREFIX, toolResults } from '../../support/modelServer';
import { chatRequests, endpointFor, MESSAGES } from './harness';

const SPECS: ToolSpec[] = [
  { name: 'read_file', description: 'Read a file', parameters: { type: 'object', properties: { path: { type: 'string' } } } },
  { name: 'search_text', description: 'Search', parameters: { type: 'object', properties: { query: { type: 'string' } } } },
];

/** A runner that answers from a table and records what it ran; `gate` holds calls until released. */
function fakeRunner(gate?: Promise<void>): ToolRunner & { ran: ToolCall[] } {
  const ran: ToolCall[] = [];
  return {
    ran,
    specs: SPECS,
    label: call => `${call.name} ${call.arguments}`,
    async run(call, signal) {
      ran.push(call);
      if (gate && !signal.aborted) { await Promise.race([gate, new Promise(r => signal.addEventListener('abort', r, { once: true }))]); }
      if (signal.aborted) { return { ok: false, content: 'stopped' }; }
      let args: { path?: string; query?: string };
      try { args = JSON.parse(call.arguments); } catch { return { ok: false, content: 'arguments are not JSON' }; }
      return call.name === 'read_file'
        ? { ok: true, content: `${args.path}\n1| line one of ${args.path}`, summary: '1 line' }
        : { ok: true, content: `${args.query}: 3 hits`, summary: '3 hits' };
    },
  };
}

describe('the tool loop against the test model server', () => {
  let server: ModelServer;
  before(async () => { server = await ModelServer.start({ quiet: true }); });
  after(async () => { await server.close(); });
  beforeEach(() => { server.requests.length = 0; });

  async function loop(runner: ToolRunner, opts: { model?: string; rounds?: number; tokens?: number; signal?: AbortSignal; onStep?: (s: ToolStep) => void; onDelta?: (t: string) => void } = {}): Promise<ToolLoopResult> {
    const request: ChatRequest = { endpoint: endpointFor(server, opts.model ? { model: opts.model } : {}), messages: MESSAGES };
    return runToolLoop(streamChat, request, runner, { onDelta: opts.onDelta ?? (() => undefined), onStep: opts.onStep }, opts.signal,
      { budget: { maxRounds: opts.rounds ?? 5, resultTokens: opts.tokens ?? 10_000 } });
  }

  it('runs parallel calls whose arguments arrive in pieces, sends the results, and ends with the answer', async () => {
    server.enqueue(
      { content: 'Reading two files.', toolCalls: [
        { id: 'c1', name: 'read_file', arguments: { path: 'src/routes/orders.js' } },
        { id: 'c2', name: 'read_file', arguments: { path: 'prisma/schema.prisma' } },
      ], toolArgChunk: 2 },
      { content: 'The orders route locks nothing.' },
    );
    const steps: ToolStep[] = [];
    const deltas: string[] = [];
    const runner = fakeRunner();
    const result = await loop(runner, { onStep: s => steps.push(s), onDelta: t => deltas.push(t) });
    assert.equal(result.status, 'complete');
    assert.equal(result.text, 'Reading two files.\n\nThe orders route locks nothing.', 'both requests\' text, as separate paragraphs');
    assert.equal(deltas.join(''), result.text, 'the person saw exactly the text of the result');
    assert.equal(result.rounds, 1);
    assert.deepEqual(runner.ran.map(c => JSON.parse(c.arguments).path), ['src/routes/orders.js', 'prisma/schema.prisma']);
    const second = chatRequests(server)[1];
    assert.deepEqual(toolResults(second), [
      { toolCallId: 'c1', content: 'src/routes/orders.js\n1| line one of src/routes/orders.js' },
      { toolCallId: 'c2', content: 'prisma/schema.prisma\n1| line one of prisma/schema.prisma' },
    ]);
    assert.equal(second.body.messages[2].tool_calls.length, 2, 'the assistant turn with both calls precedes the results');
    assert.deepEqual(steps.map(s => s.state), ['running', 'running', 'done', 'done']);
    assert.equal(result.steps[0].content, 'src/routes/orders.js\n1| line one of src/routes/orders.js', 'a step keeps what the model was sent');
    assert.equal(result.steps[1].summary, '1 line');
  });

  it('takes whole calls over several rounds', async () => {
    server.enqueue(
      { toolCalls: [{ name: 'search_text', arguments: { query: 'FOR UPDATE' } }], toolCallStyle: 'whole' },
      { toolCalls: [{ name: 'read_file', arguments: { path: 'db.sql' } }], toolCallStyle: 'whole' },
      { content: 'Answer.' },
    );
    const result = await loop(fakeRunner());
    assert.equal(result.status, 'complete');
    assert.equal(result.text, 'Answer.');
    assert.equal(result.rounds, 2);
    assert.equal(chatRequests(server).length, 3);
    assert.equal(chatRequests(server)[2].body.tool_choice, 'auto');
  });

  it('a model that ignores the tools simply answers; one round, no steps', async () => {
    server.enqueue({ content: 'An answer from the listing alone.' });
    const result = await loop(fakeRunner());
    assert.equal(result.status, 'complete');
    assert.equal(result.steps.length, 0);
    assert.equal(result.toolCallsAsText, undefined);
  });

  it('a model that writes its tool call as text is caught (the server dropped the tools)', async () => {
    server.enqueue({ content: 'I will read it.\n{"name": "read_file", "arguments": {"path": "a.js"}}' });
    const runner = fakeRunner();
    const result = await loop(runner);
    assert.equal(result.toolCallsAsText, true);
    assert.equal(runner.ran.length, 0);
  });

  it('a model that answers 400 to tools is reported as refusing them', async () => {
    const result = await loop(fakeRunner(), { model: `${NO_TOOLS_MODEL_PREFIX}-gemma` });
    assert.equal(result.status, 'failed');
    assert.equal(result.toolsRejected, true);
    assert.match(result.error!.message, /does not support tools/);
  });

  it('a model that never stops calling is ended by the rounds budget and told to answer', async () => {
    let n = 0;
    const caller = await ModelServer.start({
      quiet: true,
      defaultAnswer: rec => rec.body.tool_choice === 'none'
        ? { content: 'Final answer with what I have.' }
        : { toolCalls: [{ id: `c${++n}`, name: 'search_text', arguments: { query: `q${n}` } }] },
    });
    try {
      const result = await runToolLoop(streamChat, { endpoint: endpointFor(caller), messages: MESSAGES }, fakeRunner(), { onDelta: () => undefined }, undefined,
        { budget: { maxRounds: 3, resultTokens: 10_000 } });
      assert.equal(result.status, 'complete');
      assert.equal(result.rounds, 3);
      assert.equal(result.budgetSpent, 'rounds');
      assert.equal(result.text, 'Final answer with what I have.');
      const reqs = chatRequests(caller);
      assert.equal(reqs.length, 4, 'three rounds of calls, then one request to answer');
      const last = reqs[3].body;
      assert.equal(last.tool_choice, 'none');
      assert.equal(last.messages.at(-1).content, budgetSpentMessage('rounds'));
    } finally {
      await caller.close();
    }
  });

  it('calls made after the budget is spent are not run, and the answer says so', async () => {
    const stubborn = await ModelServer.start({ quiet: true, defaultAnswer: () => ({ toolCalls: [{ name: 'read_file', arguments: { path: 'x' } }] }) });
    try {
      const runner = fakeRunner();
      const result = await runToolLoop(streamChat, { endpoint: endpointFor(stubborn), messages: MESSAGES }, runner, { onDelta: () => undefined }, undefined,
        { budget: { maxRounds: 2, resultTokens: 10_000 } });
      assert.equal(runner.ran.length, 2, 'only the budgeted rounds ran');
      assert.equal(chatRequests(stubborn).length, 3);
      assert.equal(result.status, 'empty', 'nothing was written in any request');
      assert.match(result.notes!.join(' '), /still called tools after its budget was spent/);
    } finally {
      await stubborn.close();
    }
  });

  it('the token budget cuts the result where it ends and stops further calls', async () => {
    server.enqueue(
      { toolCalls: [{ id: 'a', name: 'read_file', arguments: { path: 'big.js' } }, { id: 'b', name: 'read_file', arguments: { path: 'more.js' } }] },
      { content: 'Done with what fit.' },
    );
    const runner: ToolRunner = { ...fakeRunner(), run: async () => ({ ok: true, content: 'x'.repeat(400) }) };
    const result = await loop(runner, { tokens: 60 });
    assert.equal(result.budgetSpent, 'tokens');
    const [first, second] = toolResults(chatRequests(server)[1]);
    assert.ok(first.content.length <= 240, `cut to the budget: ${first.content.length} chars`);
    assert.match(first.content, /budget of tool results for this answer is spent/);
    assert.match(second.content, /^Not sent/);
    assert.equal(chatRequests(server)[1].body.tool_choice, 'none', 'the request after the budget offers no more calls');
  });

  it('Stop during a call ends the answer as stopped, with no further request', async () => {
    server.enqueue({ content: 'Looking.', toolCalls: [{ name: 'read_file', arguments: { path: 'slow.js' } }] });
    const controller = new AbortController();
    let release!: () => void;
    const runner = fakeRunner(new Promise<void>(r => { release = r; }));
    const pending = loop(runner, { signal: controller.signal, onStep: s => { if (s.state === 'running') { controller.abort('user-cancel'); } } });
    const result = await pending;
    release();
    assert.equal(result.status, 'stopped');
    assert.equal(result.text, 'Looking.');
    assert.equal(chatRequests(server).length, 1);
  });

  it('Stop between calls (after they ran) makes no further request', async () => {
    server.enqueue({ toolCalls: [{ name: 'read_file', arguments: { path: 'a.js' } }] }, { content: 'never asked' });
    const controller = new AbortController();
    const result = await loop(fakeRunner(), { signal: controller.signal, onStep: s => { if (s.state === 'done') { controller.abort('user-cancel'); } } });
    assert.equal(result.status, 'stopped');
    assert.equal(chatRequests(server).length, 1);
    server.requests.length = 0;
    await streamChat({ endpoint: endpointFor(server), messages: MESSAGES }, { onDelta: () => undefined });
  });

  it('arguments that are not JSON reach the runner, whose refusal goes back to the model', async () => {
    server.enqueue({ toolCalls: [{ name: 'read_file', arguments: '{"path": "a.js"' }] }, { content: 'Sorry.' });
    const result = await loop(fakeRunner());
    assert.equal(result.steps[0].state, 'failed');
    assert.deepEqual(toolResults(chatRequests(server)[1]).map(r => r.content), ['arguments are not JSON']);
    assert.equal(result.status, 'complete');
  });
});

describe('writesCallsAsText', () => {
  it('spots calls written out in the shapes models use, and not ordinary JSON', () => {
    assert.ok(writesCallsAsText('<tool_call>{"name":"x"}</tool_call>', SPECS));
    assert.ok(writesCallsAsText('[TOOL_CALLS][{"name": "read_file"}]', SPECS));
    assert.ok(writesCallsAsText('```json\n{"function": "search_text", "query": "x"}\n```', SPECS));
    assert.ok(!writesCallsAsText('```json\n{"name": "orders", "type": "table"}\n```', SPECS));
    assert.ok(!writesCallsAsText('Use read_file to look.', SPECS));
  });
});
