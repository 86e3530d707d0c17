// `npm test`: installs what is missing (npm packages; Node 24, code-server and Chromium for the VS Code tiers),
// builds, type-checks, then runs every tier: unit (Node), integration (inside a real VS Code extension host)
// and UI (the workbench in Chromium). Ends with one line: "N passed, N failed".
// Usage: node scripts/test.mjs [unit] [integration] [e2e]   (no argument: all tiers)
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const allTiers = ['unit', 'integration', 'e2e'];
const asked = process.argv.slice(2).filter(a => allTiers.includes(a));
const tiers = asked.length ? asked : allTiers;
const started = Date.now();
const say = m => console.log(`\n[test] ${m} (${((Date.now() - started) / 1000).toFixed(0)} s)`);

/** Runs a command in the repo, echoing its output; resolves with its exit code and output. */
function run(cmd, args, env = {}) {
  return new Promise(resolve => {
    const child = spawn(cmd, args, { cwd: root, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', d => { output += d; process.stdout.write(d); });
    child.stderr.on('data', d => { output += d; process.stderr.write(d); });
    child.on('close', code => resolve({ code: code ?? 1, output }));
  });
}

function ensureNodeModules() {
  const marker = path.join(root, 'node_modules/.package-lock.json');
  const lock = path.join(root, 'package-lock.json');
  if (fs.existsSync(marker) && fs.statSync(marker).mtimeMs >= fs.statSync(lock).mtimeMs) { return; }
  say('installing npm packages (npm ci)');
  const r = spawnSync('npm', ['ci', '--no-audit', '--no-fund'], { cwd: root, stdio: 'inherit' });
  if (r.status !== 0) { throw new Error('npm ci failed'); }
}

/** Counts from a tier's output: our runners print "tier: N passed, M failed"; mocha prints "N passing". */
function counts(output, tier) {
  // A tier may run several times (the integration suite runs trusted and untrusted): add them up.
  const own = [...output.matchAll(new RegExp(`^${tier}: (\\d+) passed, (\\d+) failed`, 'gm'))];
  if (own.length) { return own.reduce((c, m) => ({ passed: c.passed + Number(m[1]), failed: c.failed + Number(m[2]) }), { passed: 0, failed: 0 }); }
  const passing = output.match(/^\s*(\d+) passing/m);
  const failing = output.match(/^\s*(\d+) failing/m);
  return passing || failing ? { passed: Number(passing?.[1] ?? 0), failed: Number(failing?.[1] ?? 0) } : undefined;
}

const results = [];
async function tier(name, steps) {
  say(`${name} tests`);
  let output = '';
  let code = 0;
  for (const [cmd, args, env] of steps) {
    const r = await run(cmd, args, env);
    output += r.output;
    code = r.code;
    if (code !== 0) { break; }
  }
  const c = counts(output, name) ?? { passed: 0, failed: 0 };
  // A runner that crashed without reporting still counts as a failure.
  if (code !== 0 && c.failed === 0) { c.failed = 1; }
  results.push({ name, ...c });
}

ensureNodeModules();
if (tiers.some(t => t !== 'unit')) {
  say('checking tools for the VS Code tiers');
  const r = spawnSync('bash', ['scripts/setup-tools.sh'], { cwd: root, stdio: 'inherit' });
  if (r.status !== 0) { throw new Error('scripts/setup-tools.sh failed'); }
}
say('building, type-checking and linting');
const node = process.execPath;
const tsc = path.join(root, 'node_modules/typescript/bin/tsc');
// Compiled tests of files that were renamed or removed would otherwise still run.
fs.rmSync(path.join(root, 'out'), { recursive: true, force: true });
const checks = [
  await run(node, ['scripts/build.mjs']),
  await run(node, [tsc, '-p', 'test']),
  await run(node, [tsc, '--noEmit', '-p', 'webview']),
  // `npm run lint`: the layers (pure core, VS Code edge, webview) and no floating promises.
  await run(node, [path.join(root, 'node_modules/eslint/bin/eslint.js'), '.']),
];
if (checks.some(c => c.code !== 0)) {
  results.push({ name: 'build, type-check and lint', passed: 0, failed: 1 });
} else {
  const mocha = path.join(root, 'node_modules/mocha/bin/mocha.js');
  if (tiers.includes('unit')) {
    // 30 s per test, not mocha's 2 s: CPU-bound tests (the parser fuzz, the corpus) must pass on a busy machine too.
    await tier('unit', [[node, [mocha, '--exit', '--timeout', '30000', '--reporter', 'spec', '--no-color', ...(process.env.CI ? ['--forbid-only'] : []), 'out/test/unit/**/*.test.js']]]);
  }
  if (tiers.includes('integration')) {
    await tier('integration', [[node, ['test/integration/runInCodeServer.mjs']], [node, ['test/integration/runInCodeServer.mjs'], { IT_SUITE: 'untrusted' }]]);
  }
  if (tiers.includes('e2e')) {
    await tier('e2e', [[node, ['scripts/package.mjs']], [node, ['test/e2e/ui.mjs', 'backend-architect.vsix']]]);
  }
}

const passed = results.reduce((n, r) => n + r.passed, 0);
const failed = results.reduce((n, r) => n + r.failed, 0);
say('summary');
for (const r of results) { console.log(`  ${r.name}: ${r.passed} passed, ${r.failed} failed`); }
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed > 0 || passed === 0 ? 1 : 0);
