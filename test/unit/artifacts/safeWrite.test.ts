import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { writeUnder } from '../../../src/artifacts/safeWrite';

describe('writing artifacts under a folder (CLI --out)', () => {
  let root: string;
  let outside: string;
  beforeEach(() => {
    root = fs.mkdtempSync(path.join(os.tmpdir(), 'ba-out-'));
    outside = fs.mkdtempSync(path.join(os.tmpdir(), 'ba-outside-'));
  });
  afterEach(() => {
    fs.rmSync(root, { recursive: true, force: true });
    fs.rmSync(outside, { recursive: true, force: true });
  });

  it('writes a new file in new folders', async () => {
    const r = await writeUnder(root, 'docs/api/openapi.yaml', 'openapi: 3.1.0\n');
    assert.equal(r.written, true);
    assert.equal(fs.readFileSync(path.join(root, 'docs/api/openapi.yaml'), 'utf8'), 'openapi: 3.1.0\n');
  });

  it('refuses hostile and sensitive paths, writing nothing', async () => {
    for (const p of ['../escape.txt', '/etc/x', '.vscode/settings.json', '.github/workflows/ci.yml', 'package.json']) {
      const r = await writeUnder(root, p, 'x');
      assert.equal(r.written, false, p);
    }
    assert.deepEqual(fs.readdirSync(root), []);
    assert.deepEqual(fs.readdirSync(outside), []);
  });

  it('never writes through a folder link that leads outside', async () => {
    fs.symlinkSync(outside, path.join(root, 'docs'));
    const r = await writeUnder(root, 'docs/leak.md', 'secret');
    assert.equal(r.written, false);
    assert.match((r as { reason: string }).reason, /outside/);
    assert.deepEqual(fs.readdirSync(outside), []);
  });

  it('never writes through a file symlink, even with overwrite', async () => {
    const victim = path.join(outside, 'victim.txt');
    fs.writeFileSync(victim, 'original');
    fs.symlinkSync(victim, path.join(root, 'schema.sql'));
    const r = await writeUnder(root, 'schema.sql', 'DROP TABLE x;', { overwrite: true });
    assert.equal(r.written, false);
    assert.match((r as { reason: string }).reason, /symbolic link/);
    assert.equal(fs.readFileSync(victim, 'utf8'), 'original');
  });

  it('keeps an existing file unless overwriting was asked for', async () => {
    fs.writeFileSync(path.join(root, 'a.md'), 'mine');
    assert.equal((await writeUnder(root, 'a.md', 'theirs')).written, false);
    assert.equal(fs.readFileSync(path.join(root, 'a.md'), 'utf8'), 'mine');
    assert.equal((await writeUnder(root, 'a.md', 'theirs', { overwrite: true })).written, true);
    assert.equal(fs.readFileSync(path.join(root, 'a.md'), 'utf8'), 'theirs');
  });
});
