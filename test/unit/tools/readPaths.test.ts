import * as assert from 'node:assert/strict';
import { checkReadPath } from '../../../src/tools/readPaths';

describe('which paths a tool may read (THREATS T6, T13)', () => {
  // The writing issue's table, every row refused for reading too.
  const escapes: [string, RegExp][] = [
    ['../x', /climbs/],
    ['a/../../x', /climbs/],
    ['src/../../secrets.txt', /climbs/],
    ['a\\..\\..\\x', /climbs/],
    ['．．/x', /climbs/],
    ['/etc/passwd', /absolute.*relative to the folder/],
    ['~/.ssh/id_rsa', /absolute/],
    ['C:\\x', /drive letter/],
    ['\\\\?\\C:\\x', /absolute/],
    ['\\\\server\\share\\x', /absolute/],
    ['file:///etc/passwd', /URI/],
    ['settings.json::$DATA', /URI|:/],
    ['con.txt', /reserved device/],
    ['x.', /dot or space/],
    ['docs/a\u0000.md', /control/],
    ['docs/\u202eevil.md', /invisible/],
    ['docs/a\u200bb.md', /invisible/],
  ];
  for (const [p, why] of escapes) {
    it(`refuses ${JSON.stringify(p)}`, () => {
      const v = checkReadPath(p);
      assert.equal(v.ok, false);
      assert.match((v as { reason: string }).reason, why);
    });
  }

  const secrets = ['.env', '.ENV', 'config/.env.production', '.env.local', 'id_rsa', 'deploy/id_ed25519.pub', 'certs/server.key', 'certs/server.pem',
    '.aws/credentials', 'home/.ssh/config', 'credentials.json', 'secrets.yaml', '.npmrc', 'infra/prod.tfstate', 'kubeconfig'];
  for (const p of secrets) {
    it(`never reads the secret ${p}`, () => {
      const v = checkReadPath(p);
      assert.equal(v.ok, false);
      assert.match((v as { reason: string }).reason, /a secret \(/);
    });
  }

  it('never reads version-control internals, in any case', () => {
    for (const p of ['.git/config', '.GIT/config', '.hg/hgrc', '.svn/entries']) {
      assert.match((checkReadPath(p) as { reason: string }).reason, /version control/, p);
    }
  });

  it('refuses binaries by name before reading them', () => {
    for (const p of ['media/logo.png', 'db/app.sqlite3', 'static/app.wasm', 'a.PDF']) {
      assert.match((checkReadPath(p) as { reason: string }).reason, /binary/, p);
    }
  });

  it('reads ordinary files, templates of secrets, and places that are only sensitive to write', () => {
    for (const [p, norm] of [['src/routes/orders.js', 'src/routes/orders.js'], ['./src/x.js', 'src/x.js'], ['src\\db\\client.js', 'src/db/client.js'],
      ['.env.example', '.env.example'], ['.github/workflows/ci.yml', '.github/workflows/ci.yml'], ['package.json', 'package.json'],
      ['node_modules/express/index.js', 'node_modules/express/index.js'], ['docs/', 'docs']]) {
      assert.deepEqual(checkReadPath(p), { ok: true, path: norm }, p);
    }
  });

  it('takes "", "." and "./" as the folder itself only where a folder is asked for', () => {
    for (const p of ['', '.', './', '/']) {
      assert.deepEqual(checkReadPath(p, { folder: true }), { ok: true, path: '' }, p);
    }
    assert.equal(checkReadPath('').ok, false);
    assert.equal(checkReadPath(42).ok, false);
    assert.equal(checkReadPath(undefined).ok, false);
  });
});
