// `npm run test:desktop`: the same integration suites in desktop VS Code through @vscode/test-cli and
// @vscode/test-electron (which downloads VS Code, so it needs internet). Here, `npm test` runs them in
// code-server (test/integration/runInCodeServer.mjs).
import { defineConfig } from '@vscode/test-cli';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

function sampleWorkspace(withPlantedAgent) {
  const dir = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'ba-desktop-')), 'shop-api');
  fs.cpSync('sample-workspace', dir, { recursive: true });
  if (withPlantedAgent) {
    fs.mkdirSync(path.join(dir, '.claude/agents'), { recursive: true });
    fs.writeFileSync(path.join(dir, '.claude/agents/planted.md'), '---\nname: planted\ndescription: x\n---\nPLANTED INSTRUCTIONS\n');
  }
  return dir;
}

const mocha = { ui: 'tdd', timeout: 30000, forbidOnly: !!process.env.CI };

export default defineConfig([
  {
    label: 'integration',
    files: 'out/test/integration/*.test.js',
    version: '1.104.0',
    workspaceFolder: sampleWorkspace(false),
    launchArgs: ['--disable-extensions', '--disable-workspace-trust'],
    mocha,
  },
  {
    label: 'untrusted',
    files: 'out/test/integration/untrusted/*.test.js',
    version: '1.104.0',
    workspaceFolder: sampleWorkspace(true),
    launchArgs: ['--disable-extensions'],
    mocha,
  },
]);
