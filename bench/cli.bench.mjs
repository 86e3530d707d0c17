// CLI cold paths: one `backend-architect validate` of a three-line SQL file, the whole process each time
// (start, embedded Postgres, check, exit), as CI would run it. Prints wall time, CPU time and peak resident
// memory (worker threads included); the targets (under 1 s and 250 MB) are printed, not asserted.
//   node bench/cli.bench.mjs        (after `npm run build`)
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const cli = path.join(repoRoot, 'dist', 'cli.js');
if (!existsSync(cli)) { console.error('cli bench: dist/cli.js not found; run npm run build first'); process.exit(2); }
const runs = Number(process.env.BA_BENCH_CLI_RUNS ?? 5);
const dir = mkdtempSync(path.join(os.tmpdir(), 'ba-cli-bench-'));
const file = path.join(dir, 'schema.sql');
writeFileSync(file, 'CREATE TABLE users (id bigint PRIMARY KEY, email text NOT NULL UNIQUE);\nCREATE TABLE orders (id bigint PRIMARY KEY, user_id bigint REFERENCES users(id));\nCREATE INDEX ON orders (user_id);\n');

const median = xs => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const wall = [];
const cpu = [];
const rss = [];
try {
  for (let i = 0; i < runs; i++) {
    const started = performance.now();
    const r = spawnSync(process.execPath, ['-r', path.join(repoRoot, 'bench', 'support', 'maxRss.cjs'), cli, 'validate', file], { encoding: 'utf8' });
    wall.push(performance.now() - started);
    if (r.status !== 0) { console.error(r.stdout, r.stderr); process.exit(1); }
    const m = /\[usage\] maxRSS=(\d+) cpuMicros=(\d+)/.exec(r.stderr);
    rss.push(Number(m?.[1]) / 1024);
    cpu.push(Number(m?.[2]) / 1000);
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}
const s = ms => `${(ms / 1000).toFixed(2)} s`;
console.log(`cli: load average ${os.loadavg()[0].toFixed(1)} on ${os.cpus().length} cores while measuring`);
console.log(`cli: validate of a 3-line SQL file, whole process, median of ${runs}: wall ${s(median(wall))} (best ${s(Math.min(...wall))}), ` +
  `CPU ${s(median(cpu))}, peak RSS ${median(rss).toFixed(0)} MB; targets < 1 s and < 250 MB`);
