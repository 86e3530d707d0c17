import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { nodeFileSource } from '../../../src/context/nodeFileSource';
import type { FileEntry } from '../../../src/context/types';

function write(root: string, rel: string, text: string): void {
  const full = path.join(root, rel);
  fs.mkdirSync(path.dirname(full), { recursive: true });
  fs.writeFileSync(full, text);
}

describe('node:fs file source for the CLI and tests', () => {
  let tmp: string;
  let outside: string;
  const links = process.platform !== 'win32';

  before(() => {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'ba-ctx-src-'));
    outside = fs.mkdtempSync(path.join(os.tmpdir(), 'ba-ctx-outside-'));
    write(outside, 'secret.txt', 'outside the workspace');
    write(tmp, '.gitignore', 'ignored/\n*.log\n!keep.log\n/root-only.txt\n');
    write(tmp, 'src/app.ts', 'export const app = 1;\n');
    write(tmp, 'src/root-only.txt', 'kept: the rule is anchored to the root');
    write(tmp, 'root-only.txt', 'ignored');
    write(tmp, 'debug.log', 'ignored');
    write(tmp, 'keep.log', 'kept');
    write(tmp, 'ignored/x.ts', 'ignored');
    write(tmp, 'packages/api/.gitignore', 'generated.ts\n');
    write(tmp, 'packages/api/generated.ts', 'ignored by the nested .gitignore');
    write(tmp, 'packages/web/generated.ts', 'kept: the nested rule does not apply here');
    write(tmp, 'node_modules/express/index.js', 'vendored');
    write(tmp, '.git/HEAD', 'ref: refs/heads/main');
    write(tmp, 'big.txt', 'x'.repeat(10_000));
    if (links) {
      fs.symlinkSync(path.join(outside, 'secret.txt'), path.join(tmp, 'link.txt'));
      fs.symlinkSync(outside, path.join(tmp, 'linkdir'));
    }
  });

  after(() => {
    fs.rmSync(tmp, { recursive: true, force: true });
    fs.rmSync(outside, { recursive: true, force: true });
  });

  async function list(options = {}): Promise<FileEntry[]> {
    return (await nodeFileSource(tmp, options).list()) as FileEntry[];
  }

  it('lists files with sizes, honouring .gitignore files at every level', async () => {
    const entries = await list({ stat: true });
    const files = entries.filter(e => !e.skip).map(e => e.path);
    assert.deepEqual(files, ['.gitignore', 'big.txt', 'keep.log', 'packages/api/.gitignore', 'packages/web/generated.ts', 'src/app.ts', 'src/root-only.txt']);
    assert.equal(entries.find(e => e.path === 'big.txt')?.size, 10_000);
  });

  it('reports folders it does not descend into and links it does not follow', async () => {
    const skipped = Object.fromEntries((await list()).filter(e => e.skip).map(e => [e.path, e.skip]));
    assert.match(skipped['node_modules/'] ?? '', /vendored/);
    assert.match(skipped['.git/'] ?? '', /version control/);
    if (links) {
      assert.match(skipped['link.txt'] ?? '', /symbolic link/);
      assert.match(skipped.linkdir ?? '', /symbolic link/);
    }
  });

  it('can list everything, without sizes, and stop at a maximum', async () => {
    const all = (await list({ gitignore: false })).filter(e => !e.skip).map(e => e.path);
    assert.ok(all.includes('debug.log') && all.includes('ignored/x.ts') && all.includes('packages/api/generated.ts'));
    assert.ok((await list()).every(e => e.size === undefined), 'no sizes unless asked');
    assert.equal((await list({ maxFiles: 3 })).length, 3);
  });

  it('reads at most maxBytes, and only inside the folder', async () => {
    const src = nodeFileSource(tmp);
    assert.equal((await src.read('big.txt', 100)).length, 100);
    assert.equal(Buffer.from(await src.read('src/app.ts', 1000)).toString('utf8'), 'export const app = 1;\n');
    for (const bad of ['../x', 'src/../../x', path.join(outside, 'secret.txt'), '/etc/passwd', 'C:/Windows/win.ini', '', 'a\0b']) {
      await assert.rejects(src.read(bad, 100), /refused path/, bad);
    }
    if (links) {
      await assert.rejects(src.read('link.txt', 100), /outside the folder/);
      await assert.rejects(src.read('linkdir/secret.txt', 100), /outside the folder/);
    }
    await assert.rejects(src.read('missing.ts', 100), { code: 'ENOENT' });
  });

  it('stops listing when cancelled', async () => {
    const ac = new AbortController();
    ac.abort();
    await assert.rejects(nodeFileSource(tmp).list(ac.signal) as Promise<FileEntry[]>, { name: 'AbortError' });
  });
});
