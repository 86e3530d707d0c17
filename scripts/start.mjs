// `npm start`: builds and packages the extension, installs it into a VS Code (code-server) profile kept in
// .tools/start-profile, and serves the workbench on the sample backend in sample-workspace/.
// The model is the one you configured (in that profile's settings, or BACKEND_ARCHITECT_BASE_URL /
// BACKEND_ARCHITECT_MODEL / BACKEND_ARCHITECT_PROVIDER); without one, a local demo server answers with
// recorded text, and the UI labels it DEMO.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const step = (cmd, args) => {
  const r = spawnSync(cmd, args, { cwd: root, stdio: 'inherit' });
  if (r.status !== 0) { console.error(`[start] failed: ${cmd} ${args.join(' ')}`); process.exit(r.status ?? 1); }
};

if (!fs.existsSync(path.join(root, 'node_modules/.package-lock.json'))) { step('npm', ['ci', '--no-audit', '--no-fund']); }
step('bash', ['scripts/setup-tools.sh']);
step(process.execPath, [path.join(root, 'node_modules/typescript/bin/tsc'), '-p', 'test']);
step(process.execPath, ['scripts/package.mjs']);

const { installVsix, startCodeServer, writeUserSettings } = await import('../test/support/codeServer.mjs');
const { ModelServer } = await import('../out/test/support/modelServer.js');
const { demoAnswer } = await import('../out/test/support/demoAnswers.js');

const profile = path.join(root, '.tools/start-profile');
fs.mkdirSync(profile, { recursive: true });
console.log(`[start] ${installVsix(profile, path.join(root, 'backend-architect.vsix')).trim().split('\n').pop()}`);

const settingsFile = path.join(profile, 'ud/User/settings.json');
let settings = {};
try { settings = JSON.parse(fs.readFileSync(settingsFile, 'utf8')); } catch { /* first start */ }
const demoMarker = path.join(profile, 'demo-url');
const lastDemoUrl = fs.existsSync(demoMarker) ? fs.readFileSync(demoMarker, 'utf8').trim() : '';
const env = {};
let demo;
if (process.env.BACKEND_ARCHITECT_BASE_URL) {
  settings['backendArchitect.provider'] = process.env.BACKEND_ARCHITECT_PROVIDER ?? 'custom';
  settings['backendArchitect.baseURL'] = process.env.BACKEND_ARCHITECT_BASE_URL;
  settings['backendArchitect.model'] = process.env.BACKEND_ARCHITECT_MODEL ?? '';
  console.log(`[start] model endpoint from the environment: ${process.env.BACKEND_ARCHITECT_BASE_URL} (run "Backend Architect: Set API Key" if it needs one)`);
} else if (!settings['backendArchitect.baseURL'] || settings['backendArchitect.baseURL'] === lastDemoUrl) {
  demo = await ModelServer.start({ quiet: true, models: ['demo-recorded'], defaultAnswer: demoAnswer });
  Object.assign(settings, { 'backendArchitect.provider': 'custom', 'backendArchitect.baseURL': demo.url, 'backendArchitect.model': 'demo-recorded' });
  fs.writeFileSync(demoMarker, demo.url);
  env.BACKEND_ARCHITECT_DEMO_URL = demo.url;
  console.log(`[start] no model configured: the demo server at ${demo.url} answers with recorded text (labelled DEMO).`);
} else {
  console.log(`[start] using the configured endpoint ${settings['backendArchitect.baseURL']}`);
}
settings['workbench.startupEditor'] ??= 'none';
// Built-in chat asks to sign in to Copilot, which cannot work offline; keep it out of the way.
settings['chat.disableAIFeatures'] ??= true;
writeUserSettings(profile, settings);

const workspace = path.join(root, 'sample-workspace');
const port = Number(process.env.PORT ?? 0) || undefined;
// The sample is this repository's own folder: opened trusted, so writing artifacts works out of the box.
const server = await startCodeServer(profile, { env, port });
console.log(`\n  Backend Architect is running in VS Code: ${server.url}/?folder=${encodeURIComponent(workspace)}\n` +
  `  Open it in a browser, then run "Backend Architect: Design Backend" from the Command Palette (F1).\n  Ctrl+C stops it.\n`);
const stop = async () => { server.stop(); await demo?.close(); process.exit(0); };
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
server.proc.on('exit', () => { void demo?.close(); process.exit(0); });
