import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { main } from '../../../src/cli';
import { runDriftCommand } from '../../../src/drift/cliDrift';
import { driftFixture, lineOf, sharedSpecText } from './driftFixtures';

async function run(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const code = await runDriftCommand(args, { stdout: s => { stdout += s; }, stderr: s => { stderr += s; } });
  return { code, stdout, stderr };
}

/** A copy of a fixture backend with the shared spec at docs/openapi.yml, in a temporary folder. */
function withSpecCopy(name: string): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ba-drift-'));
  fs.cpSync(driftFixture(name), dir, { recursive: true });
  fs.mkdirSync(path.join(dir, 'docs'), { recursive: true });
  fs.writeFileSync(path.join(dir, 'docs', 'openapi.yml'), sharedSpecText);
  return dir;
}

describe('backend-architect drift (CLI)', () => {
  const made: string[] = [];
  after(() => { for (const d of made) { fs.rmSync(d, { recursive: true, force: true }); } });

  it('exits 0 and prints {spec, items: []} when spec and code agree', async () => {
    const { code, stdout, stderr } = await run('--json', driftFixture('express-conduit'));
    assert.equal(stderr, '');
    assert.equal(code, 0);
    const out = JSON.parse(stdout);
    assert.equal(out.spec, 'docs/openapi.yml');
    assert.deepEqual(out.items, []);
    assert.equal(out.routes, 20);
    assert.equal(out.operations, 19);
    assert.deepEqual(out.notes.map((n: { file: string }) => n.file), ['src/main.ts']);
  });

  it('exits 1 and lists each drift with kind, method, path (as in the spec), file and line', async () => {
    const dir = withSpecCopy('gin-conduit');
    made.push(dir);
    const { code, stdout } = await run('--json', dir);
    assert.equal(code, 1);
    const out = JSON.parse(stdout);
    assert.equal(out.spec, 'docs/openapi.yml');
    const specLines = sharedSpecText.split('\n');
    const feedLine = specLines.indexOf('    get:', specLines.indexOf('  /articles/feed:')) + 1;
    assert.deepEqual(out.items, [
      { kind: 'missing-in-code', method: 'GET', path: '/articles/feed', file: 'docs/openapi.yml', line: feedLine },
      { kind: 'missing-in-spec', method: 'GET', path: '/ping', file: 'hello.go', line: lineOf('gin-conduit', 'hello.go', 'testAuth.GET("/"') },
    ]);
    const text = await run(dir);
    assert.equal(text.code, 1);
    assert.match(text.stdout, /^Spec: docs\/openapi\.yml \(19 operations, base path \/api\)\nCode: 19 routes \(Gin\)\n/);
    assert.match(text.stdout, /In the spec, not in the code \(1\):\n {2}GET {5}\/articles\/feed {2}docs\/openapi\.yml:\d+\n/);
    assert.match(text.stdout, /In the code, not in the spec \(1\):\n {2}GET {5}\/ping {2}hello\.go:\d+\n/);
  });

  it('compares with the document --spec names, and reads Swagger 2.0 basePath', async () => {
    const { code, stdout } = await run('--json', '--spec', 'docs/swagger.yaml', driftFixture('echo-conduit'));
    assert.equal(code, 0);
    assert.equal(JSON.parse(stdout).basePath, '/api');
  });

  it('exits 2 for wrong arguments, an unreadable folder, a --spec outside DIR and a folder without a spec', async () => {
    assert.equal((await run()).code, 2);
    assert.equal((await run('--frobnicate', '.')).code, 2);
    assert.equal((await run('a', 'b')).code, 2);
    assert.equal((await run('--spec')).code, 2);
    const missing = await run(path.join(os.tmpdir(), 'no-such-folder-for-drift'));
    assert.equal(missing.code, 2);
    assert.match(missing.stderr, /cannot read .*: no such file or folder/);
    assert.equal((await run('--spec', '../outside.yaml', driftFixture('echo-conduit'))).code, 2);
    const none = await run(driftFixture('gin-conduit'));
    assert.equal(none.code, 2);
    assert.match(none.stderr, /no OpenAPI document found/);
    assert.equal((await run('--help')).code, 0);
  });

  it('is wired into the main CLI with its help line', async () => {
    let stdout = '';
    const code = await main(['--help'], { stdout: s => { stdout += s; }, stderr: () => undefined });
    assert.equal(code, 0);
    assert.match(stdout, /\n {2}drift \[--json\] DIR +Compare the OpenAPI spec with the routes the code declares; exit 1 on drift\.\n/);
    let out = '';
    assert.equal(await main(['drift', '--json', driftFixture('express-conduit')], { stdout: s => { out += s; }, stderr: () => undefined }), 0);
    assert.equal(JSON.parse(out).spec, 'docs/openapi.yml');
  });
});
