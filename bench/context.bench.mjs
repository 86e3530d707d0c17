// Workspace context benchmark: scan + rank + pack a generated monorepo of 50,000 files through the
// node:fs source (listing with .gitignore, sizes, stack detection, reads, redaction), in a fresh child
// process per run so the memory figure is the scan's own.
// Run after compiling (`npm run compile-tests` puts the core in out/src/context/):
//   node bench/context.bench.mjs
//   BA_OUT_DIR=.tmp/out-ctx node bench/context.bench.mjs
// Env: BA_BENCH_FILES (default 50000), BA_BENCH_RUNS (default 3), BA_BENCH_BUDGET (default 32000 tokens).
// Prints figures and whether they meet the target (under 2 s, under 150 MB extra peak RSS); exits 0 either way.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

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

/** A tiny deterministic PRNG, so every run generates the same tree. */
function prng(seed) {
  let s = seed >>> 0;
  return () => { s = (s * 1664525 + 1013904223) >>> 0; return s / 2 ** 32; };
}

/**
 * A monorepo of services, each 500 files: manifest, README, Dockerfile, Prisma schema and migrations,
 * entry point, routes, services, models, middleware, a large lib/ of ordinary code, tests, and a
 * gitignored dist/. Sizes vary from a few hundred bytes to a few KB.
 */
function generateTree(root, total) {
  const rand = prng(42);
  let count = 0;
  const write = (rel, text) => {
    const full = path.join(root, rel);
    mkdirSync(path.dirname(full), { recursive: true });
    writeFileSync(full, text);
    count++;
  };
  const body = (name, lines) => Array.from({ length: lines }, (_, i) =>
    `export function ${name}Step${i}(input: Record<string, unknown>): number {\n  return Object.keys(input).length * ${i} + ${Math.floor(rand() * 1000)};\n}\n`).join('\n');
  write('package.json', JSON.stringify({ name: 'bench-mono', private: true, workspaces: ['services/*'] }, null, 2));
  write('README.md', '# bench monorepo\n\nGenerated for the context benchmark.\n');
  write('.gitignore', 'dist/\n*.log\n');
  write('docker-compose.yml', 'services:\n  db:\n    image: postgres:16\n    environment:\n      POSTGRES_PASSWORD: bench\n');
  const perService = 500;
  for (let s = 0; count + perService <= total; s++) {
    const svc = `services/svc-${String(s).padStart(3, '0')}`;
    write(`${svc}/package.json`, JSON.stringify({ name: `svc-${s}`, dependencies: { express: '^4', '@prisma/client': '^5', pg: '^8' } }, null, 2));
    write(`${svc}/README.md`, `# svc-${s}\n`);
    write(`${svc}/Dockerfile`, 'FROM node:20\nCOPY . .\nCMD ["node", "dist/index.js"]\n');
    write(`${svc}/prisma/schema.prisma`, `datasource db {\n  provider = "postgresql"\n  url = env("DATABASE_URL")\n}\n${Array.from({ length: 8 }, (_, i) => `model M${i} {\n  id Int @id\n  name String\n}\n`).join('\n')}`);
    for (let m = 0; m < 5; m++) { write(`${svc}/prisma/migrations/2024010${m}000000_m${m}/migration.sql`, `CREATE TABLE "M${m}" (id int primary key, name text);\n`); }
    write(`${svc}/src/index.ts`, body('main', 3));
    const groups = [['src/routes', 40, 'route'], ['src/services', 40, 'service'], ['src/models', 20, 'model'], ['src/middleware', 20, 'mw'],
      ['src/lib', 300, 'lib'], ['test', 60, 'test'], ['dist', 10, 'dist']];
    for (const [dir, n, name] of groups) {
      for (let i = 0; i < n; i++) {
        const ext = dir === 'test' ? '.test.ts' : dir === 'dist' ? '.js' : '.ts';
        write(`${svc}/${dir}/${name}${i}${ext}`, body(`${name}${i}`, 1 + Math.floor(rand() * 20)));
      }
    }
  }
  for (let i = 0; count < total; i++) { write(`misc/note${i}.md`, `note ${i}\n`); }
  return count;
}
