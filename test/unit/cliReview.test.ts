import * as assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { ModelServer, NO_TOOLS_MODEL_PREFIX, toolResults } from '../support/modelServer';

const root = path.resolve(__dirname, '../../..');
const cli = path.join(root, 'dist/cli.js');
const sample = path.join(root, 'sample-workspace');

function runCli(args: string[], env: Record<string, string> = {}): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise(resolve => {
    const child = spawn(process.execPath, [cli, ...args], { cwd: sample, env: { PATH: process.env.PATH ?? '', ...env } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', d => { stdout += d; });
    child.stderr.on('data', d => { stderr += d; });
    child.on('close', code => resolve({ code, stdout, stderr }));
  });
}

const findings = ['The order route trusts the client.', '```findings', JSON.stringify([
  { severity: 'error', title: 'Order requests are not validated', rationale: 'Validate the body.', file: 'src/routes/orders.js', line: 7 },
  { severity: 'warning', title: 'Past the end', rationale: 'x', file: 'src/db/client.js', line: 40 },
  { severity: 'info', title: 'Made up', rationale: 'x', file: 'src/payments.js', line: 1 },
]), '```'].join('\n');

describe('backend-architect review (built CLI against an OpenAI-compatible server)', function () {
  this.timeout(30000);
  let server: ModelServer;
  before(async function () {
    if (!fs.existsSync(cli)) { this.skip(); }
    server = await ModelServer.start({ quiet: true });
  });
  after(async () => { await server?.close(); });
  beforeEach(() => { if (server) { server.requests.length = 0; } });

  const reads = { toolCalls: [
    { id: 'a', name: 'read_file', arguments: { path: 'src/routes/orders.js' } },
    { id: 'b', name: 'read_file', arguments: { path: '.env' } },
  ] };

  it('--json: the status, the findings checked against the folder, and every tool call', async () => {
    server.enqueue(reads, { content: findings });
    const r = await runCli(['review', '.', '--json', '--base-url', server.url, '--model', 'm']);
    assert.equal(r.code, 0, r.stderr);
    const report = JSON.parse(r.stdout);
    assert.deepEqual(Object.keys(report), ['status', 'findings', 'toolCalls']);
    assert.equal(report.status, 'complete');
    assert.deepEqual(report.findings.map((f: { title: string; verified: boolean }) => [f.title, f.verified]),
      [['Order requests are not validated', true], ['Past the end', false], ['Made up', false]]);
    assert.deepEqual(report.findings[0], { severity: 'error', title: 'Order requests are not validated', rationale: 'Validate the body.', file: 'src/routes/orders.js', line: 7, verified: true });
    assert.deepEqual(report.toolCalls, [
      { name: 'read_file', arguments: { path: 'src/routes/orders.js' }, ok: true },
      { name: 'read_file', arguments: { path: '.env' }, ok: false },
    ]);
    const [orders, env] = toolResults(server.requests[1]);
    assert.match(orders.content, /\n 7\| ordersRouter\.post/);
    assert.match(env.content, /never read/);
    assert.doesNotMatch(JSON.stringify(server.requests.map(q => q.body)), /not-a-real-password|sk_test_sample_workspace/);
    assert.match(r.stderr, /\[review\] Read src\/routes\/orders\.js: 22 of 22 lines\n/);
    assert.match(r.stderr, /\[review\] complete; 3 findings \(2 unverified\), 2 tool calls/);
  });

  it('text mode prints the answer as it streams, across the rounds', async () => {
    server.enqueue({ content: 'Reading first.', ...reads }, { content: findings });
    const r = await runCli(['review', '.', '--base-url', server.url, '--model', 'm']);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stdout, `Reading first.\n\n${findings}\n`);
  });

  it('a model whose endpoint refuses tools is sent the fixed context, and says so', async () => {
    server.enqueue({ content: findings });
    const r = await runCli(['review', '.', '--json', '--base-url', server.url, '--model', `${NO_TOOLS_MODEL_PREFIX}-x`]);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(JSON.parse(r.stdout).toolCalls.length, 0);
    assert.match(r.stderr, /does not use tools \(the endpoint refused a request that offered tools\)/);
    assert.match(server.requests[1].body.messages[1].content, /ordersRouter\.post/, 'the fixed context carries the code');
  });

  it('--tool-rounds 0 sends the fixed context at once', async () => {
    server.enqueue({ content: findings });
    const r = await runCli(['review', 'src', '--tool-rounds', '0', '--base-url', server.url, '--model', 'm']);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(server.requests.length, 1);
    assert.equal('tools' in server.requests[0].body, false);
  });

  it('exits 1 when the answer did not complete, 2 on bad usage', async () => {
    server.enqueue({ content: 'half', fault: 'S2-no-done' });
    assert.equal((await runCli(['review', '.', '--tool-rounds', '0', '--base-url', server.url, '--model', 'm'])).code, 1);
    assert.equal((await runCli(['review'])).code, 2);
    assert.equal((await runCli(['review', 'no-such-dir', '--base-url', server.url])).code, 2);
    assert.equal((await runCli(['review', '.', '--tool-rounds', 'many'])).code, 2);
    const help = await runCli(['review', '--help']);
    assert.equal(help.code, 0);
    assert.match(help.stdout, /"toolCalls": \[\{ "name", "arguments", "ok" \}\]/);
  });

  it('design uses the same tools over --dir', async () => {
    server.enqueue({ toolCalls: [{ name: 'search_text', arguments: { query: 'FOR UPDATE' } }] }, { content: 'A design.' });
    const r = await runCli(['design', 'Reserve stock', '--base-url', server.url, '--model', 'm']);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stdout, 'A design.\n');
    assert.match(r.stderr, /\[design\] Searched `FOR UPDATE`: no hits/);
    assert.deepEqual(server.requests[0].body.tools.map((t: { function: { name: string } }) => t.function.name),
      ['list_files', 'read_file', 'search_text', 'workspace_overview', 'check_artifact']);
  });
});
