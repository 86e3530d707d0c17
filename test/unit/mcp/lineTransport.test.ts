import * as assert from 'node:assert/strict';
import { PassThrough } from 'node:stream';
import type { JSONRPCMessage } from '@modelcontextprotocol/sdk/types.js';
import { idOfLongLine, LineTransport, type LineTransportOptions } from '../../../src/mcp/lineTransport';
import type { JsonObject } from './mcpSupport';

/** A transport over in-memory streams: what it delivers, and each line it writes, parsed. */
function harness(options: LineTransportOptions = {}) {
  const input = new PassThrough();
  const output = new PassThrough();
  const transport = new LineTransport(input, output, options);
  const delivered: JSONRPCMessage[] = [];
  const written: JsonObject[] = [];
  let pending = '';
  output.on('data', (d: Buffer) => {
    pending += d.toString('utf8');
    const parts = pending.split('\n');
    pending = parts.pop()!;
    written.push(...parts.map(p => JSON.parse(p) as JsonObject));
  });
  transport.onmessage = m => { delivered.push(m); };
  /** Resolves once the stream events written so far have been handled. */
  const settle = (): Promise<void> => new Promise(resolve => setImmediate(resolve));
  return { input, output, transport, delivered, written, settle };
}

const ping = (id: number | string): string => JSON.stringify({ jsonrpc: '2.0', id, method: 'ping' });

describe('LineTransport (MCP over stdio, one message per line)', () => {
  it('delivers messages split across chunks, several per chunk, with CRLF or LF endings', async () => {
    const h = harness();
    await h.transport.start();
    const text = `${ping(1)}\r\n${ping(2)}\n\n${ping(3)}\n`;
    for (let i = 0; i < text.length; i += 7) { h.input.write(text.slice(i, i + 7)); }
    await h.settle();
    assert.deepEqual(h.delivered.map(m => (m as { id: number }).id), [1, 2, 3]);
    assert.deepEqual(h.written, []);
  });

  it('keeps a multi-byte character whole when a chunk ends inside it', async () => {
    const h = harness();
    await h.transport.start();
    const line = Buffer.from(`${JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'tools/call', params: { name: 'x', arguments: { content: 'Größe → 数据' } } })}\n`);
    const cut = line.indexOf(Buffer.from('数')) + 1;
    h.input.write(line.subarray(0, cut));
    h.input.write(line.subarray(cut));
    await h.settle();
    assert.equal((h.delivered[0] as unknown as { params: { arguments: { content: string } } }).params.arguments.content, 'Größe → 数据');
  });

  it('skips an over-long line to its end, answers it with its id, and reads the next line', async () => {
    const h = harness({ maxLineBytes: 1000 });
    await h.transport.start();
    // The TypeScript SDK's clients write the id last; others write it before the params.
    const idLast = `{"method":"tools/call","params":{"name":"validate_sql","arguments":{"content":"${'x'.repeat(5000)}","id":99}},"jsonrpc":"2.0","id":41}`;
    const idFirst = `{"jsonrpc":"2.0","id":"req-42","method":"tools/call","params":{"arguments":{"id":7,"content":"${'y'.repeat(5000)}"}}}`;
    const noId = `{"jsonrpc":"2.0","method":"tools/call","params":{"arguments":{"id":7,"content":"${'z'.repeat(5000)}"}}}`;
    for (const line of [idLast, idFirst, noId]) {
      for (let i = 0; i < line.length; i += 300) { h.input.write(line.slice(i, i + 300)); }
      h.input.write('\n');
    }
    h.input.write(`${ping(43)}\n`);
    await h.settle();
    assert.deepEqual(h.written.map(w => [w.id, w.error.code]), [[41, -32600], ['req-42', -32600], [undefined, -32600]]);
    assert.match(h.written[0].error.message, /longer than 1000 bytes/);
    assert.deepEqual(h.delivered.map(m => (m as { id: number }).id), [43]);
  });

  it('finds the top-level id of a long line, never one inside the arguments', () => {
    assert.equal(idOfLongLine('{"method":"x","params":{"a":1', '"b":2}},"jsonrpc":"2.0","id":7}'), 7);
    assert.equal(idOfLongLine('{"jsonrpc":"2.0","id":"a\\"b","method":"x","params":{', 'zz"}}'), 'a"b');
    assert.equal(idOfLongLine('{"jsonrpc":"2.0","method":"x","params":{"id":5,', '"id":6}}}'), null);
    assert.equal(idOfLongLine('{"params":{"id":5,', 'xx"}}'), null);
  });

  it('answers what the screen refuses, and delivers nothing for it', async () => {
    const h = harness({ screen: m => ('method' in m && m.method === 'tools/call' ? { code: -32602, message: 'no' } : undefined) });
    await h.transport.start();
    h.input.write(`${JSON.stringify({ jsonrpc: '2.0', id: 5, method: 'tools/call', params: { name: 'x' } })}\n${ping(6)}\n`);
    await h.settle();
    assert.deepEqual(h.written, [{ jsonrpc: '2.0', id: 5, error: { code: -32602, message: 'no' } }]);
    assert.deepEqual(h.delivered.map(m => (m as { id: number }).id), [6]);
  });

  it('closes once when its input ends, and writes nothing after that', async () => {
    const h = harness();
    let closes = 0;
    h.transport.onclose = () => { closes++; };
    await h.transport.start();
    h.input.end();
    await h.settle();
    await h.transport.close();
    await h.transport.send({ jsonrpc: '2.0', id: 1, result: {} });
    await h.settle();
    assert.equal(closes, 1);
    assert.deepEqual(h.written, []);
  });
});
