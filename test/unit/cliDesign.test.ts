import * as assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { ModelServer } from '../support/modelServer';

const root = path.resolve(__dirname, '../../..');
const cli = path.join(root, 'dist/cli.js');

/** Runs the built CLI to completion; stdout and stderr kept apart, as a CI job would see them. */
function runCli(args: string[], env: Record<string, string> = {}, cwd = path.join(root, 'sample-workspace')): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise(resolve => {
    const child = spawn(process.execPath, [cli, ...args], { cwd, env: { PATH: process.env.PATH ?? '', ...env } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', d => { stdout += d; });
    child.stderr.on('data', d => { stderr += d; });
    child.on('close', code => resolve({ code, stdout, stderr }));
  });
}

describe('backend-architect design (built CLI against an OpenAI-compatible server)', function () {
  this.timeout(20000);
  let server: ModelServer;
  before(async function () {
    if (!fs.existsSync(cli)) { this.skip(); }
    server = await ModelServer.start({ quiet: true, models: ['listed-model'] });
  });
  after(async () => { await server?.close(); });

  it('streams the answer to stdout exactly, status to stderr, with the key from the environment', async () => {
    const answer = '# Design\n\nTwo services.\n\n```sql file=db/schema.sql\nCREATE TABLE t (id int);\n```\n';
    server.enqueue({ content: answer });
    const r = await runCli(['design', 'A shop backend', '--base-url', server.url, '--model', 'm1'], { BACKEND_ARCHITECT_API_KEY: 'sk-cli-key-000000' });
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stdout, answer);
    assert.match(r.stderr, /\[design\] complete/);
    assert.ok(!r.stderr.includes('sk-cli-key-000000'));
    const req = server.requests.at(-1)!;
    assert.equal(req.headers.authorization, 'Bearer sk-cli-key-000000');
    assert.equal(req.body.model, 'm1');
    assert.match(req.body.messages[0].content, /senior backend architect/);
    assert.match(req.body.messages[1].content, /^A shop backend\n\nWorkspace: sample-workspace\n/);
    assert.match(req.body.messages[1].content, /prisma\/schema\.prisma/);
    assert.doesNotMatch(req.body.messages[1].content, /\.env/);
  });

  it('asks the endpoint for a model when none is given', async () => {
    server.enqueue({ content: 'ok' });
    const r = await runCli(['design', 'x'], { BACKEND_ARCHITECT_BASE_URL: server.url });
    assert.equal(r.code, 0, r.stderr);
    assert.equal(server.requests.at(-1)!.body.model, 'listed-model');
    assert.equal(server.requests.at(-1)!.headers.authorization, undefined, 'no key, no Authorization header');
  });

  it('exits 1 when the stream ends early, keeping the text that arrived', async () => {
    server.enqueue({ content: 'half an answer', fault: 'S2-no-done' });
    const r = await runCli(['design', 'x', '--base-url', server.url, '--model', 'm']);
    assert.equal(r.code, 1);
    assert.equal(r.stdout, 'half an answer\n');
    assert.match(r.stderr, /\[design\] truncated/);
  });

  it('exits 1 and says why when the model wrote nothing (issue #17), never "complete"', async () => {
    server.enqueue({ content: '', reasoning: 'Only thinking.', fault: 'S11-reasoning-only' });
    const r = await runCli(['design', 'x', '--base-url', server.url, '--model', 'm']);
    assert.equal(r.code, 1);
    assert.equal(r.stdout, '');
    assert.match(r.stderr, /\[design\] empty: The model stopped after thinking, without writing an answer/);
  });

  it('exits 1 with a readable message when the endpoint is down', async () => {
    const r = await runCli(['design', 'x', '--base-url', 'http://127.0.0.1:9/v1', '--model', 'm']);
    assert.equal(r.code, 1);
    assert.equal(r.stdout, '');
    assert.match(r.stderr, /failed/);
  });

  it('--out says of each file what was done, in the same words as extract --json (issue #18)', async () => {
    const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'ba-design-out-'));
    const out = path.join(tmp, 'out');
    fs.mkdirSync(out);
    try {
      const answer = ['Files.', '```yaml file=docs/ok.yaml', 'a: 1', '```', '```yaml file=../x.yaml', 'a: 1', '```',
        '```sql file=/tmp/x.sql', 'SELECT 1;', '```', '```json file=.vscode/settings.json', '{}', '```', ''].join('\n');
      fs.writeFileSync(path.join(tmp, 'answer.md'), answer);
      const extracted = await runCli(['extract', '--json', path.join(tmp, 'answer.md')], {}, out);
      assert.equal(extracted.code, 0, extracted.stderr);
      const words = new Map((JSON.parse(extracted.stdout) as { path: string; write: { words: string } }[]).map(r => [r.path, r.write.words]));
      server.enqueue({ content: answer });
      const r = await runCli(['design', 'x', '--base-url', server.url, '--model', 'm', '--out', out]);
      assert.equal(r.code, 1, 'a file was refused');
      assert.ok(r.stderr.includes(`[design] wrote ${path.join(out, 'docs/ok.yaml')}: ${words.get('docs/ok.yaml')} (valid)`), r.stderr);
      assert.equal(words.get('docs/ok.yaml'), 'will create docs/ok.yaml');
      for (const p of ['../x.yaml', '/tmp/x.sql']) {
        assert.match(words.get(p) ?? '', /^refused: /);
        assert.ok(r.stderr.includes(`[design] not written ${p}: ${words.get(p)}`), r.stderr);
      }
      // Nobody answers a question on the command line: the sensitive place is refused, naming the same risk.
      const risk = /^sensitive place: will ask \((.+)\)$/.exec(words.get('.vscode/settings.json') ?? '')?.[1];
      assert.ok(risk);
      assert.ok(r.stderr.includes(`[design] not written .vscode/settings.json: refused: sensitive place, and nobody to ask on the command line (${risk})`), r.stderr);
      assert.deepEqual(fs.readdirSync(out), ['docs']);
      assert.equal(fs.existsSync(path.join(tmp, 'x.yaml')), false);
    } finally {
      fs.rmSync(tmp, { recursive: true, force: true });
    }
  });

  it('rejects bad usage with exit 2', async () => {
    assert.equal((await runCli(['design'])).code, 2);
    assert.equal((await runCli(['design', 'x', '--agent', 'no-such-agent', '--base-url', server.url])).code, 2);
  });
});
