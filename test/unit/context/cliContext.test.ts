import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import { runContextCommand } from '../../../src/context/cliContext';
import { findSecretLeaks, fixtureDir, secretsAppDir } from './contextFixtures';

async function run(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const code = await runContextCommand(args, { stdout: s => { stdout += s; }, stderr: s => { stderr += s; } });
  return { code, stdout, stderr };
}

describe('backend-architect context (CLI)', () => {
  it('prints JSON with the stack, the chosen files and where things are', async () => {
    const { code, stdout, stderr } = await run('--json', fixtureDir('express-prisma'));
    assert.equal(code, 0);
    assert.equal(stderr, '');
    const out = JSON.parse(stdout);
    for (const key of ['stack', 'files', 'routes', 'models', 'migrations', 'specs', 'deployment', 'skipped', 'tokens', 'tokenBudget']) {
      assert.ok(key in out, key);
    }
    assert.deepEqual(out.stack.frameworks, ['Express']);
    assert.deepEqual(Object.keys(out.files[0]).slice(0, 4), ['path', 'reason', 'bytes', 'tokens']);
    assert.equal(out.files[0].path, 'package.json');
    assert.ok(out.files.every((f: Record<string, unknown>) => !('content' in f)), 'contents only with --prompt');
    assert.deepEqual(out.models, ['prisma/schema.prisma']);
    assert.ok(out.tokens <= out.tokenBudget);
  });

  it('prints a readable report by default', async () => {
    const { code, stdout } = await run(fixtureDir('rails'));
    assert.equal(code, 0);
    assert.match(stdout, /^Stack: Ruby · Rails · Active Record · Rails migrations · PostgreSQL/);
    assert.match(stdout, /\n {2}Gemfile +\d+ B +\d+ tok {2}manifest \(Bundler\)\n/);
    assert.match(stdout, /\nRoutes \(\d+\):\n/);
    assert.match(stdout, /\nSkipped:\n {2}Gemfile\.lock +lock file/);
  });

  it('prints the exact prompt text with --prompt, without any planted secret', async () => {
    const { code, stdout } = await run('--prompt', '--budget', '8000', secretsAppDir);
    assert.equal(code, 0);
    assert.match(stdout, /^Workspace context gathered by Backend Architect\./);
    assert.match(stdout, /File: config\.ts \(source\)\n```typescript\n/);
    assert.deepEqual(findSecretLeaks(stdout), []);
  });

  it('honours --budget, --include, --exclude and --no-gitignore', async () => {
    const dir = fixtureDir('express-prisma');
    const small = JSON.parse((await run('--json', '--budget', '900', dir)).stdout);
    assert.ok(small.tokens <= 900);
    const inc = JSON.parse((await run('--json', '--include', 'test/**', '--exclude', 'src/routes/users.js', dir)).stdout);
    assert.equal(inc.files[0].path, 'test/users.test.js');
    assert.ok(!inc.files.some((f: { path: string }) => f.path === 'src/routes/users.js'));
    assert.equal((await run('--json', '--no-gitignore', dir)).code, 0);
  });

  it('rejects wrong arguments and unreadable folders with exit code 2', async () => {
    assert.equal((await run()).code, 2);
    assert.equal((await run('--budget', 'lots', '.')).code, 2);
    assert.equal((await run('--budget')).code, 2);
    assert.equal((await run('--frobnicate', '.')).code, 2);
    assert.equal((await run('a', 'b')).code, 2);
    const missing = await run(path.join(fixtureDir('express-prisma'), 'no-such-folder'));
    assert.equal(missing.code, 2);
    assert.match(missing.stderr, /cannot read .*: no such (file or )?folder/);
    const file = await run(path.join(fixtureDir('express-prisma'), 'package.json'));
    assert.match(file.stderr, /not a folder/);
    const help = await run('--help');
    assert.equal(help.code, 0);
    assert.match(help.stdout, /^Usage: backend-architect context \[options\] DIR/);
  });
});
