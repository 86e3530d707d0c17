import * as assert from 'node:assert/strict';
import { streamChat } from '../../../src/llm/openaiStream';
import { ToolCallAssembler } from '../../../src/llm/toolCalls';
import type { ToolSpec } from '../../../src/llm/types';
import { ModelServer, type ScriptedToolCall, type ToolCallStyle } from '../../support/modelServer';
import { endpointFor, MESSAGES } from './harness';

const READ: ToolSpec = { name: 'read_file', description: 'Read a file', parameters: { type: 'object', properties: { path: { type: 'string' } }, required: ['path'] } };

describe('tool calls from the stream', () => {
  let server: ModelServer;
  before(async () => { server = await ModelServer.start({ quiet: true }); });
  after(async () => { await server.close(); });
  beforeEach(() => { server.requests.length = 0; });

  const calls: ScriptedToolCall[] = [
    { id: 'call_a', name: 'read_file', arguments: { path: 'src/routes/orders.js', startLine: 1, endLine: 80 } },
    { id: 'call_b', name: 'search_text', arguments: { query: 'FOR UPDATE', glob: '**/*.sql' } },
  ];

  for (const style of ['pieces', 'whole', 'same-index', 'no-index', 'object-args'] as ToolCallStyle[]) {
    it(`assembles two parallel calls sent as ${style}`, async () => {
      server.enqueue({ toolCalls: calls, toolCallStyle: style, toolArgChunk: 3 });
      const result = await streamChat({ endpoint: endpointFor(server), messages: MESSAGES, tools: [READ] }, { onDelta: () => undefined });
      assert.equal(result.status, 'complete', 'an answer that only calls tools is not empty');
      assert.deepEqual(result.toolCalls?.map(c => [c.id, c.name, JSON.parse(c.arguments)]), [
        ['call_a', 'read_file', { path: 'src/routes/orders.js', startLine: 1, endLine: 80 }],
        ['call_b', 'search_text', { query: 'FOR UPDATE', glob: '**/*.sql' }],
      ]);
    });
  }

  it('keeps the text written before the calls, and sends the tools in the request', async () => {
    server.enqueue({ content: 'Let me read the routes.', toolCalls: [calls[0]], finishReason: 'stop' });
    const deltas: string[] = [];
    const result = await streamChat({ endpoint: endpointFor(server), messages: MESSAGES, tools: [READ], toolChoice: 'auto' }, { onDelta: t => deltas.push(t) });
    assert.equal(result.text, 'Let me read the routes.');
    assert.equal(deltas.join(''), result.text);
    assert.equal(result.toolCalls?.length, 1, 'Ollama\'s finish_reason "stop" with tool calls still counts the calls');
    const body = server.requests[0].body;
    assert.deepEqual(body.tools, [{ type: 'function', function: { name: 'read_file', description: 'Read a file', parameters: READ.parameters } }]);
    assert.equal(body.tool_choice, 'auto');
  });

  it('sends earlier calls and their results in the wire shape', async () => {
    server.enqueue({ content: 'Done.' });
    await streamChat({
      endpoint: endpointFor(server),
      messages: [
        ...MESSAGES,
        { role: 'assistant', content: '', toolCalls: [{ id: 'c1', name: 'read_file', arguments: '{"path":"a.js"}' }] },
        { role: 'tool', toolCallId: 'c1', content: 'a.js (1 line)\n1| x' },
      ],
      tools: [READ],
    }, { onDelta: () => undefined });
    const sent = server.requests[0].body.messages;
    assert.deepEqual(sent[2], { role: 'assistant', content: null, tool_calls: [{ id: 'c1', type: 'function', function: { name: 'read_file', arguments: '{"path":"a.js"}' } }] });
    assert.deepEqual(sent[3], { role: 'tool', tool_call_id: 'c1', content: 'a.js (1 line)\n1| x' });
  });

  it('a request without tools has no tools field (servers without tool support are not confused)', async () => {
    server.enqueue({ content: 'Hi.' });
    await streamChat({ endpoint: endpointFor(server), messages: MESSAGES }, { onDelta: () => undefined });
    assert.equal('tools' in server.requests[0].body, false);
    assert.equal('tool_choice' in server.requests[0].body, false);
  });
});

describe('ToolCallAssembler', () => {
  it('joins a name repeated in every piece once, and pieces of a name in order', () => {
    const a = new ToolCallAssembler();
    a.push([{ index: 0, id: 'x', function: { name: 'read_file', arguments: '{"pa' } }]);
    a.push([{ index: 0, function: { name: 'read_file', arguments: 'th":"a"}' } }]);
    a.push([{ index: 1, id: 'y', function: { name: 'search', arguments: '' } }]);
    a.push([{ index: 1, function: { name: '_text', arguments: '{}' } }]);
    assert.deepEqual(a.result(), [{ id: 'x', name: 'read_file', arguments: '{"path":"a"}' }, { id: 'y', name: 'search_text', arguments: '{}' }]);
  });

  it('makes up unique ids where the server sent none or the same one twice, and drops nameless pieces', () => {
    const a = new ToolCallAssembler();
    a.push([{ index: 0, function: { name: 'list_files', arguments: '{}' } }, { index: 1, id: 'call_1', function: { name: 'read_file', arguments: '{}' } }]);
    a.push([{ index: 2, function: { arguments: '{"orphan":true}' } }]);
    a.push(['junk', null, 7]);
    a.push({ not: 'an array' });
    const ids = a.result().map(c => c.id);
    assert.equal(ids.length, 2);
    assert.equal(new Set(ids).size, 2);
  });

  it('reads the legacy function_call delta as one call', () => {
    const a = new ToolCallAssembler();
    a.pushLegacy({ name: 'read_file', arguments: '{"path":' });
    a.pushLegacy({ arguments: '"b"}' });
    assert.deepEqual(a.result(), [{ id: 'call_1', name: 'read_file', arguments: '{"path":"b"}' }]);
  });
});
