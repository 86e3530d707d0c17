// Runs the integration suite inside a real VS Code extension host (code-server), the way
// @vscode/test-electron does on a desktop: the workbench's `payload` carries extensionDevelopmentPath and
// extensionTestsPath, and it calls window.codeAutomationExit(code) when mocha is done.
// Exit code = result (0 all passed). Env: IT_TIMEOUT_MS, IT_VERBOSE, IT_KEEP, IT_GREP (only matching tests).
import fs from 'node:fs';
import path from 'node:path';
import util from 'node:util';
import { copyDir, launchChromium, makeTmp, repoRoot, startCodeServer, writeUserSettings } from '../support/codeServer.mjs';

const untrusted = process.env.IT_SUITE === 'untrusted';
const tmp = makeTmp('it-');
const workspace = copyDir(path.join(repoRoot, 'sample-workspace'), path.join(tmp, 'shop-api'));
const testsPath = path.join(repoRoot, untrusted ? 'out/test/integration/untrusted/index.js' : 'out/test/integration/index.js');
if (untrusted) {
  // A workspace agent that Restricted Mode must not load.
  fs.mkdirSync(path.join(workspace, '.claude/agents'), { recursive: true });
  fs.writeFileSync(path.join(workspace, '.claude/agents/planted.md'), '---\nname: planted\ndescription: x\n---\nPLANTED INSTRUCTIONS\n');
}
const timeoutMs = Number(process.env.IT_TIMEOUT_MS ?? 300000);
const t0 = Date.now();
const elapsed = () => `${((Date.now() - t0) / 1000).toFixed(1)}s`;

// Start from a known user profile: no provider configured, so every test sets what it needs.
writeUserSettings(tmp, untrusted
  ? { 'workbench.startupEditor': 'none', 'security.workspace.trust.enabled': true, 'security.workspace.trust.startupPrompt': 'never', 'security.workspace.trust.emptyWindow': false }
  : { 'workbench.startupEditor': 'none', 'security.workspace.trust.enabled': false });
// Only a built VS Code started with the smoke-test driver honours the payload's test paths.
const server = await startCodeServer(tmp, { extraArgs: ['--vscode-option', 'enable-smoke-test-driver'], workspaceTrust: untrusted });
console.log(`[${elapsed()}] code-server on ${server.port} (profile ${tmp})`);

let browser;
let code = 1;
try {
  browser = await launchChromium();
  const page = await browser.newPage();
  let done;
  const exited = new Promise(r => { done = r; });
  await page.exposeFunction('codeAutomationExit', c => done(c));
  await page.exposeFunction('codeAutomationLog', (type, args) => { if (process.env.IT_VERBOSE) { console.log('[workbench]', type, ...args); } });
  page.on('console', async m => {
    // The extension host's console (mocha's reporter) reaches the page console as ['%c INFO', css, text...]
    let args;
    try { args = await Promise.all(m.args().map(a => a.jsonValue())); } catch { args = [m.text()]; }
    if (typeof args[0] === 'string' && args[0].includes('%c')) {
      const n = (args[0].match(/%c/g) || []).length;
      args = [args[0].replace(/%c/g, ''), ...args.slice(1 + n)];
    }
    if (typeof args[0] === 'string' && /^\s*(INFO|ERR|WARN|DEBUG|TRACE)?\s*$/.test(args[0]) && args.length > 1) { args = args.slice(1); }
    const line = util.format(...args);
    const mochaLine = /^\s{2,}\S|passing|failing|pending|passed, \d+ failed|AssertionError|✔|\d+\) /.test(line) && !/workbench\.js|https?:\/\//.test(line);
    if (process.env.IT_VERBOSE || mochaLine) { console.log(line); }
  });
  const remote = p => `vscode-remote://${server.authority}${p}`;
  const payload = JSON.stringify([
    ['extensionDevelopmentPath', remote(repoRoot)],
    ['extensionTestsPath', remote(testsPath)],
    ['skipWelcome', 'true'],
  ]);
  await page.goto(`${server.url}/?folder=${encodeURIComponent(workspace)}&payload=${encodeURIComponent(payload)}`);
  const result = await Promise.race([exited, new Promise(r => setTimeout(() => r('timeout'), timeoutMs))]);
  if (result === 'timeout') {
    console.error(`[${elapsed()}] timed out waiting for the extension host to finish`);
    console.log(`integration: 0 passed, 1 failed (${untrusted ? 'untrusted' : 'trusted'} run did not finish)`);
    code = 2;
  } else {
    code = Number(result);
    console.log(`[${elapsed()}] extension host exited with code ${code}`);
  }
} catch (e) {
  console.error(e);
  console.log(`integration: 0 passed, 1 failed (${untrusted ? 'untrusted' : 'trusted'} run did not finish)`);
} finally {
  try { await browser?.close(); } catch { /* closing anyway */ }
  server.stop();
}
if (code === 0 && !process.env.IT_KEEP) { fs.rmSync(tmp, { recursive: true, force: true }); }
else { console.log(`kept ${tmp} (code-server.log; ud/logs/*/exthost*/remoteexthost.log)`); }
process.exit(code);
