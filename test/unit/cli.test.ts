import * as assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';

/** The repo root, found from the compiled test's location (out/test/unit). */
const root = path.resolve(__dirname, '../../..');
const cli = path.join(root, 'dist/cli.js');

describe('the backend-architect CLI (built bundle)', () => {
  before(function () {
    if (!fs.existsSync(cli)) { this.skip(); }
  });

  it('prints its version from package.json', () => {
    const version = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8')).version;
    assert.equal(execFileSync(process.execPath, [cli, '--version'], { encoding: 'utf8' }).trim(), version);
  });

  it('prints help naming its commands', () => {
    const help = execFileSync(process.execPath, [cli, '--help'], { encoding: 'utf8' });
    assert.match(help, /Usage: backend-architect <command>/);
    assert.match(help, /agents \[--json\] PATH/);
  });

  it('rejects an unknown command with exit code 2 and the usage on stderr', () => {
    const r = spawnSync(process.execPath, [cli, 'deploy-to-prod'], { encoding: 'utf8' });
    assert.equal(r.status, 2);
    assert.match(r.stderr, /unknown command "deploy-to-prod"/);
    assert.equal(r.stdout, '');
  });

  it('runs as an executable with a node shebang (npx backend-architect)', () => {
    assert.ok(fs.readFileSync(cli, 'utf8').startsWith('#!/usr/bin/env node\n'));
    assert.ok(fs.statSync(cli).mode & 0o111, 'executable bit set');
  });
});
