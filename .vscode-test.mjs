// `npm run test:desktop`: the same integration suite in desktop VS Code through @vscode/test-cli and
// @vscode/test-electron (downloads VS Code, so it needs internet). Here, `npm test` runs it in code-server.
import { defineConfig } from '@vscode/test-cli';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const workspace = fs.mkdtempSync(path.join(os.tmpdir(), 'ba-desktop-'));
fs.cpSync('sample-workspace', path.join(workspace, 'shop-api'), { recursive: true });

export default defineConfig({
  label: 'integration',
  files: 'out/test/integration/**/*.test.js',
  version: '1.104.0',
  workspaceFolder: path.join(workspace, 'shop-api'),
  launchArgs: ['--disable-extensions', '--disable-workspace-trust'],
  mocha: { ui: 'tdd', timeout: 30000, forbidOnly: !!process.env.CI },
});
