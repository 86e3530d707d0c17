// Workspace context benchmark: scan + rank + pack a generated monorepo of 50,000 files through the
// node:fs source (listing with .gitignore, sizes, stack detection, reads, redaction), in a fresh child
// process per run so the memory figure is the scan's own.
// Run after compiling (`npm run compile-tests` puts the core in out/src/context/):
//   node bench/context.bench.mjs
//   BA_OUT_DIR=.tmp/out-ctx node bench/context.bench.mjs
// Env: BA_BENCH_FILES (default 50000), BA_BENCH_RUNS (default 3), BA_BENCH_BUDGET (default 32000 tokens).
// Prints figures and whether they meet the target (under 2 s, under 150 MB extra peak RSS); exits 0 either way.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { generateTree } from './tree.mjs';

const here = fileURLToPath(import.meta.url);
const repoRoot = path.resolve(path.dirname(here), '..');
const outDir = path.resolve(repoRoot, process.env.BA_OUT_DIR ?? 'out');
const budget = Number(process.env.BA_BENCH_BUDGET ?? 32000);

if (process.argv[2] === '--child') {
  await child(process.argv[3]);
} else {
  await parent();
}

/** One measured scan. Prints one JSON line for the parent. */
async function child(dir) {
  const require = createRequire(here);
  const { scanWorkspace } = require(path.join(outDir, 'src', 'context', 'scan.js'));
  const { nodeFileSource } = require(path.join(outDir, 'src', 'context', 'nodeFileSource.js'));
  globalThis.gc?.();
  const rss0 = process.memoryUsage().rss;
  let sampled = rss0;
  const timer = setInterval(() => { sampled = Math.max(sampled, process.memoryUsage().rss); }, 5);
  const t0 = performance.now();
  const listed = await nodeFileSource(dir).list();
  const listMs = performance.now() - t0;
  const t1 = performance.now();
  const ctx = await scanWorkspace(nodeFileSource(dir), { tokenBudget: budget });
  const ms = performance.now() - t1;
  clearInterval(timer);
  // maxRSS is the process's high-water mark (KiB): it includes every moment of the scan, not samples.
  const peak = Math.max(process.resourceUsage().maxRSS * 1024, sampled);
  process.stdout.write(JSON.stringify({
    ms, listMs, listed: listed.length, peakDelta: peak - rss0, files: ctx.fileCount, read: ctx.files.length,
    tokens: ctx.tokens, stack: ctx.stack.summary, notRead: ctx.notRead,
  }));
}

async function parent() {
  const scanJs = path.join(outDir, 'src', 'context', 'scan.js');
  if (!existsSync(scanJs)) {
    console.error(`context bench: ${scanJs} not found; compile first (npm run compile-tests) or set BA_OUT_DIR`);
    process.exit(2);
  }
  const total = Number(process.env.BA_BENCH_FILES ?? 50_000);
  const runs = Number(process.env.BA_BENCH_RUNS ?? 3);
  const root = mkdtempSync(path.join(os.tmpdir(), 'ba-context-bench-'));
  const cleanup = () => rmSync(root, { recursive: true, force: true });
  process.on('SIGINT', () => { cleanup(); process.exit(130); });
  try {
    const g0 = performance.now();
    const made = generateTree(root, total);
    console.log(`context: generated ${made.toLocaleString('en-US')} files in ${((performance.now() - g0) / 1000).toFixed(1)} s under ${os.tmpdir()}`);
    const results = [];
    for (let i = 0; i < runs; i++) {
      const r = spawnSync(process.execPath, ['--expose-gc', here, '--child', root], { encoding: 'utf8', env: process.env, maxBuffer: 1 << 20 });
      if (r.status !== 0) { console.error(r.stdout, r.stderr); process.exit(1); }
      results.push(JSON.parse(r.stdout));
    }
    report(results, made);
  } finally {
    cleanup();
  }
}

function report(results, made) {
  const sorted = [...results].sort((a, b) => a.ms - b.ms);
  const median = sorted[Math.floor(sorted.length / 2)];
  const peakMb = Math.max(...results.map(r => r.peakDelta)) / 1024 / 1024;
  const first = results[0];
  const fmt = ms => (ms / 1000).toFixed(2);
  console.log(`context: ${made.toLocaleString('en-US')} files scanned+packed in ${fmt(median.ms)} s (median of ${results.length}; ` +
    `runs ${results.map(r => fmt(r.ms)).join(', ')} s), peak RSS +${peakMb.toFixed(0)} MB`);
  console.log(`context: listing alone ${fmt(median.listMs)} s for ${median.listed.toLocaleString('en-US')} entries; ` +
    `${first.read} files packed, ${first.tokens.toLocaleString('en-US')} of ${budget.toLocaleString('en-US')} tokens, ` +
    `${first.notRead.toLocaleString('en-US')} left for the budget; stack: ${first.stack}`);
  const ok = median.ms < 2000 && peakMb < 150;
  console.log(`context: target under 2 s and under 150 MB extra: ${ok ? 'met' : 'NOT met'} (warm file-system cache: the tree was just written)`);
}
