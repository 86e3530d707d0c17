// SQL checker benchmark: cold start of the PGlite worker (with the longest stall of this thread's event
// loop meanwhile), a warm check of a 10-table schema, and RSS growth over 100 checks in a row.
// Run after compiling (`npm run compile-tests` puts the checker in out/src/artifacts/sql/):
//   node bench/sql.bench.mjs
//   BA_OUT_DIR=.tmp/out-sql node bench/sql.bench.mjs        (compiled elsewhere)
// Prints figures only; the targets (cold start < 1.5 s with no stall > 50 ms, warm check < 60 ms, no
// growth over 100 checks) are printed beside them, not asserted: the machine may be shared and noisy.
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const outDir = path.resolve(repoRoot, process.env.BA_OUT_DIR ?? 'out');
const validatorPath = path.join(outDir, 'src', 'artifacts', 'sql', 'sqlValidator.js');
if (!existsSync(validatorPath)) {
  console.error(`sql bench: ${validatorPath} not found; compile first (npm run compile-tests) or set BA_OUT_DIR`);
  process.exit(2);
}
const require = createRequire(import.meta.url);
const { SqlValidator, resolveSqlValidatorOptions } = require(validatorPath);

// The data dir the build ships, else one made for the bench (idempotent, about 4 s the first time).
let dataDumpPath = path.join(repoRoot, 'dist', 'pglite', 'pgdata.tar');
if (!existsSync(dataDumpPath)) {
  dataDumpPath = path.join(repoRoot, '.tmp', 'pglite-bench', 'pgdata.tar');
  execFileSync(process.execPath, [path.join(repoRoot, 'scripts', 'make-pgdata.mjs'), '--out', dataDumpPath], { stdio: 'ignore' });
}
const options = resolveSqlValidatorOptions({ workerPath: path.join(path.dirname(validatorPath), 'pgliteWorker.js'), dataDumpPath, idleMs: 600_000 });
const schema = readFileSync(path.join(repoRoot, 'test', 'fixtures', 'artifacts', 'sql', 'bench-ten-tables.sql'), 'utf8');
const coldRuns = Number(process.env.BA_BENCH_COLD_RUNS ?? 3);

const median = xs => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const p90 = xs => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(xs.length * 0.9))];
const mb = bytes => bytes / 1048576;

async function check(validator) {
  const started = performance.now();
  const outcome = await validator.check([{ text: schema }]);
  const errors = outcome.problems.filter(p => p.problem.severity === 'error');
  if (outcome.unavailable || errors.length) { throw new Error(`the bench schema did not check clean: ${outcome.unavailable ?? JSON.stringify(errors)}`); }
  return { ms: performance.now() - started, stats: outcome.stats };
}

/** Cold start: a new worker each time, timed to ready, with this thread's event loop watched. */
async function coldStarts() {
  const runs = [];
  for (let i = 0; i < coldRuns; i++) {
    const validator = new SqlValidator(options);
    const histogram = monitorEventLoopDelay({ resolution: 5 });
    histogram.enable();
    const started = performance.now();
    await validator.warmUp();
    const ready = performance.now() - started;
    const first = await check(validator);
    histogram.disable();
    runs.push({ ready, first: first.ms, stall: histogram.max / 1e6, fromDump: validator.info.fromDump });
    await validator.shutdown();
  }
  return runs;
}

/** Warm checks in a row: RSS over the first 100 (caches filling) and the next 100 (steady state, timed). */
async function warmAndMemory() {
  const validator = new SqlValidator(options);
  await validator.warmUp();
  for (let i = 0; i < 10; i++) { await check(validator); }
  const start = process.memoryUsage.rss();
  for (let i = 0; i < 100; i++) { await check(validator); }
  const afterFirst = process.memoryUsage.rss();
  const timings = [];
  const inWorker = [];
  let last;
  for (let i = 0; i < 100; i++) {
    last = await check(validator);
    timings.push(last.ms);
    inWorker.push(last.stats.ms);
  }
  const afterSecond = process.memoryUsage.rss();
  await validator.shutdown();
  return { timings, inWorker, start, afterFirst, afterSecond, wasmMb: last.stats.wasmMemoryMb };
}

const cold = await coldStarts();
const warm = await warmAndMemory();
const coldMs = median(cold.map(r => r.ready));
const stall = Math.max(...cold.map(r => r.stall));
const signed = x => `${x >= 0 ? '+' : ''}${x.toFixed(0)}`;
console.log(`sql: cold start ${(coldMs / 1000).toFixed(2)} s (median of ${cold.length}, from the data dir: ${cold.every(r => r.fromDump)}; ` +
  `max event-loop stall ${stall.toFixed(0)} ms; first check on the new worker ${median(cold.map(r => r.first)).toFixed(0)} ms); ` +
  `warm 10-table check median ${median(warm.timings).toFixed(0)} ms (p90 ${p90(warm.timings).toFixed(0)} ms, in the worker ${median(warm.inWorker).toFixed(0)} ms); ` +
  `RSS ${signed(mb(warm.afterFirst - warm.start))} MB over the first 100 checks, ${signed(mb(warm.afterSecond - warm.afterFirst))} MB over the next 100 ` +
  `(process ${mb(warm.afterSecond).toFixed(0)} MB, PGlite WASM memory ${warm.wasmMb.toFixed(0)} MB)`);
console.log('sql targets: cold start < 1.5 s with no stall > 50 ms; warm check < 60 ms; no growth over 100 checks');
