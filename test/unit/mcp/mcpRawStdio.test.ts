import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { repoRoot } from '../agents/agentPaths';
import { builtCliExists, cliPath, initializeRaw, rawSession, type RawSession } from './mcpSupport';

/** Lines no SDK client would send, written straight to the server's stdin. */
describe('backend-architect mcp: malformed lines on stdin', function () {
  this.timeout(120_000);
  let session: RawSession;

  before(async function () {
    if (!builtCliExists()) { this.skip(); }
    session = rawSession();
    const init = await initializeRaw(session);
    assert.equal(init.result.serverInfo.name, 'backend-architect');
  });

  after(async () => {
    if (session) { assert.equal(await session.end(), 0, 'exits 0 when the client closes stdin'); }
  });

  const stillServing = async (id: number): Promise<void> => {
    const answer = await session.request(id, 'tools/list');
    assert.equal(answer.result.tools.length, 5);
  };

  it('answers a line that is not JSON with a parse error (-32700), then goes on', async () => {
    session.send('{"jsonrpc":"2.0","id":1,"method":"tools/list"');
    const answer = await session.next();
    assert.deepEqual([answer.id, answer.error.code], [undefined, -32700]);
    assert.match(answer.error.message, /^Parse error: .*JSON/);
    session.send('not json at all');
    assert.equal((await session.next()).error.code, -32700);
    await stillServing(2);
  });

  it('answers JSON that is not a JSON-RPC request with -32600, with its id when it has one', async () => {
    session.send('{"id":3,"method":"tools/list"}');
    assert.deepEqual(await session.next(), { jsonrpc: '2.0', id: 3, error: { code: -32600, message: 'Invalid Request: not a JSON-RPC 2.0 message (expected "jsonrpc": "2.0" with a method, or a result or error)' } });
    session.send('"just a string"');
    assert.equal((await session.next()).error.code, -32600);
    session.send('[{"jsonrpc":"2.0","id":4,"method":"ping"}]');
    assert.match((await session.next()).error.message, /batches are not supported/);
    await stillServing(5);
  });

  it('never answers a notification, even a malformed one', async () => {
    session.send('{"jsonrpc":"2.0","method":"notifications/whatever","params":"not an object"}');
    session.send('{"jsonrpc":"2.0","method":"notifications/cancelled","params":{"requestId":999}}');
    // The next line out is the answer to the next request: nothing was said about the notifications.
    session.send('{"jsonrpc":"2.0","id":6,"method":"ping"}');
    assert.deepEqual(await session.next(), { jsonrpc: '2.0', id: 6, result: {} });
  });

  it('answers an unknown method with -32601 and params of the wrong type with -32602', async () => {
    assert.equal((await session.request(7, 'tools/delete')).error.code, -32601);
    const wrong = await session.request(8, 'tools/call', { name: 'validate_sql', arguments: 'CREATE TABLE x (id int);' });
    assert.equal(wrong.error.code, -32602);
    assert.match(wrong.error.message, /^Invalid params for tools\/call: params\.arguments: /);
    assert.equal((await session.request(9, 'tools/call', { name: ['validate_sql'] })).error.code, -32602);
    assert.equal((await session.request(10, 'initialize', { protocolVersion: 2025 })).error.code, -32602);
    await stillServing(11);
  });

  it('has written nothing to stdout but JSON-RPC messages, and its log to stderr', () => {
    assert.ok(session.lines.length >= 12);
    for (const line of session.lines) {
      assert.equal((JSON.parse(line) as { jsonrpc: string }).jsonrpc, '2.0', line);
    }
    assert.match(session.stderr(), /backend-architect mcp: ready on stdin\/stdout/);
  });
});

describe('backend-architect mcp: arguments', function () {
  // Each case starts a Node process; on a busy machine that is seconds, not milliseconds.
  this.timeout(60_000);

  before(function () {
    if (!builtCliExists()) { this.skip(); }
  });

  it('prints its help on stdout and is listed in the CLI\'s help', () => {
    const help = spawnSync(process.execPath, [cliPath, 'mcp', '--help'], { encoding: 'utf8' });
    assert.equal(help.status, 0);
    assert.match(help.stdout, /^Usage: backend-architect mcp \[--root DIR\]/);
    assert.match(spawnSync(process.execPath, [cliPath, '--help'], { encoding: 'utf8' }).stdout, /\n {2}mcp \[--root DIR\] /);
  });

  it('refuses a --root that is not a folder, with exit code 2 and nothing on stdout', () => {
    for (const args of [['--root', 'package.json'], ['--root', 'no-such-dir'], ['--root'], ['somewhere']]) {
      const r = spawnSync(process.execPath, [cliPath, 'mcp', ...args], { encoding: 'utf8', cwd: repoRoot, input: '' });
      assert.equal(r.status, 2, args.join(' '));
      assert.equal(r.stdout, '', args.join(' '));
      assert.match(r.stderr, /^backend-architect mcp: /, args.join(' '));
    }
  });
});
