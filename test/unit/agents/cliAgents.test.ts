import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { runAgentsCommand, type AgentReport } from '../../../src/agents/cliAgents';
import { MAX_AGENT_FILE_BYTES } from '../../../src/agents/parse';
import { fixturesDir } from './agentPaths';

async function run(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const code = await runAgentsCommand(args, { stdout: s => { stdout += s; }, stderr: s => { stderr += s; } });
  return { code, stdout, stderr };
}

describe('backend-architect agents (CLI)', () => {
  let tmp: string;

  before(() => {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'ba-agents-'));
    fs.mkdirSync(path.join(tmp, 'nested', 'deeper'), { recursive: true });
    fs.mkdirSync(path.join(tmp, 'node_modules'));
    fs.writeFileSync(path.join(tmp, 'a.md'), '---\nname: alpha\ndescription: First.\nmodel: sonnet\ntools: Read, Grep\n---\nYou are alpha.\n');
    fs.writeFileSync(path.join(tmp, 'nested', 'deeper', 'b.agent.md'), '---\ndescription: Second.\n---\nYou are beta.\n');
    fs.writeFileSync(path.join(tmp, 'nested', 'notes.txt'), 'not an agent');
    fs.writeFileSync(path.join(tmp, 'node_modules', 'skip.md'), '---\nname: skipped\n---\nNo.\n');
    fs.writeFileSync(path.join(tmp, 'nested', 'evil.md'), '---js\nglobalThis.pwned = 1\n---\nx\n');
  });

  after(() => fs.rmSync(tmp, { recursive: true, force: true }));

  it('prints a JSON array, searching folders recursively for *.md', async () => {
    const { code, stdout, stderr } = await run('--json', tmp);
    assert.equal(code, 0);
    assert.equal(stderr, '');
    const reports = JSON.parse(stdout) as AgentReport[];
    assert.deepEqual(reports.map(r => path.relative(tmp, r.file).split(path.sep).join('/')), ['a.md', 'nested/deeper/b.agent.md', 'nested/evil.md']);
    assert.deepEqual(reports[0], {
      file: path.join(tmp, 'a.md'), name: 'alpha', description: 'First.', model: 'sonnet', tools: ['Read', 'Grep'],
      body: 'You are alpha.', problems: [{ line: 4, message: 'model "sonnet" has no mapping; the default model is used', severity: 'info' }],
    });
    assert.equal(reports[1].name, 'b');
    assert.equal(reports[2].name, null);
    assert.equal(reports[2].problems[0].severity, 'error');
    assert.equal((globalThis as Record<string, unknown>).pwned, undefined);
  });

  it('maps models given with --model and names --default-model in notes', async () => {
    const a = path.join(tmp, 'a.md');
    const mapped = JSON.parse((await run('--json', '--model', 'sonnet=gpt-4.1', a)).stdout) as AgentReport[];
    assert.deepEqual(mapped[0].problems, []);
    const text = (await run('--model', 'sonnet=gpt-4.1', a)).stdout;
    assert.match(text, /model +sonnet -> gpt-4\.1/);
    const noted = JSON.parse((await run('--json', '--default-model', 'llama3', a)).stdout) as AgentReport[];
    assert.match(noted[0].problems[0].message, /the default model \(llama3\) is used/);
  });

  it('prints readable text with problems and a summary', async () => {
    const { code, stdout } = await run(path.join(fixturesDir, 'quirks', 'description-colon.md'), path.join(fixturesDir, 'attacks', 'engine-js.md'));
    assert.equal(code, 0);
    assert.match(stdout, /description-colon\.md\n {2}name {9}colon-desc\n/);
    assert.match(stdout, /tools {8}Read, Grep/);
    assert.match(stdout, /warning line 3: front matter is not strict YAML/);
    assert.match(stdout, /engine-js\.md {2}\(not loaded\)\n {2}error {3}line 1: front matter marked "js" is refused/);
    assert.match(stdout, /2 files, 1 loaded, 1 errors, 1 warnings\n$/);
  });

  it('exits 2 with a clear message for an unreadable path, still printing the readable ones', async () => {
    const missing = path.join(tmp, 'missing');
    const { code, stdout, stderr } = await run('--json', missing, path.join(tmp, 'a.md'));
    assert.equal(code, 2);
    assert.equal(stderr, `backend-architect agents: cannot read ${missing}: no such file or folder\n`);
    assert.equal((JSON.parse(stdout) as AgentReport[]).length, 1);
  });

  it('refuses an oversized file from its size, without reading it', async () => {
    const big = path.join(tmp, 'big.md');
    fs.writeFileSync(big, Buffer.alloc(MAX_AGENT_FILE_BYTES + 1, 0x61));
    try {
      const reports = JSON.parse((await run('--json', big)).stdout) as AgentReport[];
      assert.match(reports[0].problems[0].message, /over the 256 KB limit/);
    } finally {
      fs.rmSync(big);
    }
  });

  it('escapes terminal control characters from definitions', async () => {
    const file = path.join(tmp, 'escape.md');
    fs.writeFileSync(file, '---\nname: "esc\\e[31mred"\ndescription: "c1 \\u009b2J"\n---\nBody\n');
    try {
      for (const args of [[file], ['--json', file]]) {
        const { stdout } = await run(...args);
        assert.doesNotMatch(stdout, /[\u001b\u009b]/);
        assert.match(stdout, /esc\\u001b\[31mred/);
      }
    } finally {
      fs.rmSync(file);
    }
  });

  it('shows help, and rejects bad arguments with exit 2', async () => {
    const help = await run('--help');
    assert.equal(help.code, 0);
    assert.match(help.stdout, /^Usage: backend-architect agents \[options\] PATH\.\.\./);
    for (const args of [[], ['--nope', tmp], ['--model'], ['--model', 'sonnet', tmp]]) {
      const bad = await run(...args);
      assert.equal(bad.code, 2, args.join(' '));
      assert.match(bad.stderr, /^backend-architect agents: .+\n\nUsage:/, args.join(' '));
      assert.equal(bad.stdout, '');
    }
  });
});
