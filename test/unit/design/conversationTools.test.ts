import * as assert from 'node:assert/strict';
import { Conversation, type ConversationDeps } from '../../../src/design/conversation';
import { toolSupportMemory, type AnswerTools } from '../../../src/design/toolAnswer';
import { streamChat } from '../../../src/llm/openaiStream';
import type { HostMessage, ToolStepView, ViewMode } from '../../../src/protocol';
import { nodeToolFiles } from '../../../src/tools/nodeToolFiles';
import { createToolbox } from '../../../src/tools/toolbox';
import { ModelServer, NO_TOOLS_MODEL_PREFIX, toolResults } from '../../support/modelServer';
import { fixtureDir } from '../context/contextFixtures';

const shop = fixtureDir('express-prisma');

function answerTools(rounds = 6): AnswerTools {
  const box = createToolbox({ files: nodeToolFiles(shop) });
  return {
    runner: box,
    budget: { maxRounds: rounds, resultTokens: 20_000 },
    overview: async signal => ({ folderName: 'shop', contextText: await box.overview(signal) }),
  };
}

describe('a conversation whose model reads the workspace with tools', () => {
  let server: ModelServer;
  before(async () => { server = await ModelServer.start({ quiet: true }); });
  after(async () => { await server.close(); });
  beforeEach(() => { server.requests.length = 0; });

  function conversation(posted: HostMessage[], mode: ViewMode, extra: Partial<ConversationDeps> = {}, model = 'm1'): Conversation {
    const c = new Conversation({
      mode,
      resolveAgent: async () => ({ body: 'You are a careful architect.', info: { name: 'backend-architect', description: 'd', origin: 'bundled' } }),
      resolveEndpoint: async () => ({ endpoint: { baseURL: server.url, model }, info: { model, endpoint: '127.0.0.1', demo: false } }),
      contextFor: async () => ({ folderName: 'shop', contextText: 'STATIC CONTEXT: File: src/routes/orders.js ...' }),
      stream: streamChat,
      tools: async () => answerTools(),
      toolSupport: toolSupportMemory(),
      ...extra,
    });
    c.attach(m => posted.push(m));
    return c;
  }

  it('reads two files, shows each call as a step, and answers from what it read', async () => {
    server.enqueue(
      { content: 'Reading the routes and the service.', toolCalls: [
        { id: 'r1', name: 'read_file', arguments: { path: 'src/routes/orders.js' } },
        { id: 'r2', name: 'read_file', arguments: { path: 'src/services/orderService.js', startLine: 1, endLine: 20 } },
      ] },
      { content: 'The order route trusts the client.' },
    );
    const posted: HostMessage[] = [];
    const turn = await conversation(posted, 'review').send('Review the architecture of shop')!;
    assert.equal(turn.status, 'complete');
    assert.equal(turn.text, 'Reading the routes and the service.\n\nThe order route trusts the client.');
    const [first, second] = server.requests;
    const opening = first.body.messages[1].content as string;
    assert.match(opening, /Workspace overview by Backend Architect/);
    assert.match(opening, /Tools: you can read this folder yourself with list_files, read_file, search_text, workspace_overview\./);
    assert.doesNotMatch(opening, /placeOrder\(prisma/, 'the first request carries no file contents');
    assert.deepEqual(first.body.tools.map((t: { function: { name: string } }) => t.function.name), ['list_files', 'read_file', 'search_text', 'workspace_overview']);
    const results = toolResults(second);
    assert.match(results[0].content, /^src\/routes\/orders\.js, lines 1-15 of 15:\n 1\| const express = require\('express'\);/);
    assert.match(results[1].content, /^src\/services\/orderService\.js, lines 1-12 of 12:/);
    const steps = posted.filter((m): m is Extract<HostMessage, { type: 'answer/step' }> => m.type === 'answer/step').map(m => m.step);
    assert.deepEqual(steps.map(s => [s.label, s.state]), [
      ['Read src/routes/orders.js', 'running'], ['Read src/services/orderService.js 1-20', 'running'],
      ['Read src/routes/orders.js', 'done'], ['Read src/services/orderService.js 1-20', 'done'],
    ]);
    assert.deepEqual(turn.steps?.map((s: ToolStepView) => [s.label, s.summary]), [['Read src/routes/orders.js', '15 of 15 lines'], ['Read src/services/orderService.js 1-20', steps[3].summary]]);
    assert.equal(turn.steps?.[0].detail, results[0].content, 'a step expands to exactly what the model was sent');
    assert.equal(turn.note, undefined);
  });

  it('a Review from a model that ignores the tools is asked again with the workspace context, and the model is remembered', async () => {
    const memory = toolSupportMemory();
    server.enqueue({ content: 'A review from the listing alone.' }, { content: 'A review of the code.' });
    const posted: HostMessage[] = [];
    const c = conversation(posted, 'review', { toolSupport: memory }, 'ignorer');
    const turn = await c.send('Review the architecture of shop')!;
    assert.equal(turn.status, 'complete');
    assert.equal(turn.text, 'A review of the code.', 'the answer that read nothing was replaced');
    assert.ok(posted.some(m => m.type === 'answer/restart'));
    assert.match(turn.note ?? '', /"ignorer" does not use tools \(it reviewed without reading a single file\), so the workspace context was sent instead/);
    const second = server.requests[1].body;
    assert.equal('tools' in second, false);
    assert.match(second.messages[1].content, /STATIC CONTEXT/);
    server.requests.length = 0;
    server.enqueue({ content: 'Second review.' });
    const again = await conversation([], 'review', { toolSupport: memory }, 'ignorer').send('Review it again')!;
    assert.equal(server.requests.length, 1, 'remembered: no request with tools first');
    assert.equal('tools' in server.requests[0].body, false);
    assert.match(again.note ?? '', /found earlier/);
  });

  it('a model whose endpoint refuses tools (400) gets the workspace context at once', async () => {
    server.enqueue({ content: 'A design from the context.' });
    const turn = await conversation([], 'design', {}, `${NO_TOOLS_MODEL_PREFIX}-small`).send('Design a shop')!;
    assert.equal(turn.status, 'complete');
    assert.equal(turn.text, 'A design from the context.');
    assert.match(turn.note ?? '', /the endpoint refused a request that offered tools/);
    assert.equal(server.requests.length, 2);
    assert.match(server.requests[1].body.messages[1].content, /STATIC CONTEXT/);
  });

  it('a Design that needs nothing from the workspace may answer without reading', async () => {
    server.enqueue({ content: 'A design.' });
    const turn = await conversation([], 'design').send('Design a URL shortener')!;
    assert.equal(turn.text, 'A design.');
    assert.equal(server.requests.length, 1);
    assert.equal(turn.note, undefined);
  });

  it('Stop while a tool runs ends the answer as stopped, and nothing more is asked', async () => {
    const slow: AnswerTools = { ...answerTools(), runner: { ...answerTools().runner, run: (_call, signal) => new Promise(resolve => signal.addEventListener('abort', () => resolve({ ok: false, content: 'stopped' }), { once: true })) } };
    server.enqueue({ toolCalls: [{ name: 'search_text', arguments: { query: 'FOR UPDATE' } }] });
    const posted: HostMessage[] = [];
    const c = conversation(posted, 'design', { tools: async () => slow });
    const pending = c.send('Design it')!;
    while (!posted.some(m => m.type === 'answer/step')) { await new Promise(r => setTimeout(r, 5)); }
    c.stop();
    const turn = await pending;
    assert.equal(turn.status, 'stopped');
    assert.equal(server.requests.length, 1);
  });

  it('what a search reads is read ahead while the model thinks; no file is read twice, and reading ahead ends with the answer', async () => {
    const inner = nodeToolFiles(shop);
    const reads: string[] = [];
    const box = createToolbox({ files: { list: sig => inner.list(sig), read: async (p, max) => { reads.push(p); return inner.read(p, max); } } });
    let aheadSignal: AbortSignal | undefined;
    let ahead: Promise<number> | undefined;
    const tools: AnswerTools = { ...answerTools(), runner: box, readAhead: sig => { aheadSignal = sig; ahead = box.readAhead(sig); return ahead; } };
    server.enqueue({ toolCalls: [{ name: 'search_text', arguments: { query: '$transaction' } }] }, { content: 'Orders are placed in one transaction.' });
    const turn = await conversation([], 'review', { tools: async () => tools }).send('Review the architecture of shop')!;
    assert.equal(turn.status, 'complete');
    assert.equal(turn.steps?.[0].summary, '1 hit', 'the search found the line');
    assert.equal(aheadSignal?.aborted, true, 'the read-ahead is told to stop when the calls are over');
    assert.ok((await ahead!) > 0, 'files were read ahead');
    assert.deepEqual([...new Set(reads)], reads, 'each file read once, by the read-ahead or by the search');
  });

  it('without tools (Restricted Mode, tools off) the request is the one it always was', async () => {
    server.enqueue({ content: 'ok' });
    await conversation([], 'design', { tools: async () => undefined }).send('Design a shop')!;
    assert.equal('tools' in server.requests[0].body, false);
    assert.match(server.requests[0].body.messages[1].content, /^Design a shop\n\nWorkspace: shop\nSTATIC CONTEXT/);
  });
});
