// Migration writer benchmark: the next migration between two 50-table schemas (enums, identity keys,
// foreign keys chained through all tables, checks, indexes; the target adds an enum value, a new enum,
// columns, a unique constraint and widens some types, drops a column and changes indexes). Warm means
// the PGlite worker is already running, as in the extension after the first check.
// Run after compiling (`npm run compile-tests` puts the code in out/):
//   node bench/migrate.bench.mjs
//   BA_OUT_DIR=.tmp/out-sql node bench/migrate.bench.mjs        (compiled elsewhere)
// Prints figures only; the target (warm under 2 s, the proof in Postgres included) is printed, not asserted.
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const outDir = path.resolve(repoRoot, process.env.BA_OUT_DIR ?? 'out');
const migratePath = path.join(outDir, 'src', 'artifacts', 'sql', 'migrate.js');
if (!existsSync(migratePath)) {
  console.error(`migrate bench: ${migratePath} not found; compile first (npm run compile-tests) or set BA_OUT_DIR`);
  process.exit(2);
}
const require = createRequire(import.meta.url);
const { planMigration } = require(migratePath);
const { shutdownSqlValidator } = require(path.join(outDir, 'src', 'artifacts', 'sql', 'validateSql.js'));

let dataDumpPath = path.join(repoRoot, 'dist', 'pglite', 'pgdata.tar');
if (!existsSync(dataDumpPath)) {
  dataDumpPath = path.join(repoRoot, '.tmp', 'pglite-bench', 'pgdata.tar');
  execFileSync(process.execPath, [path.join(repoRoot, 'scripts', 'make-pgdata.mjs'), '--out', dataDumpPath], { stdio: 'ignore' });
}
const options = { workerPath: path.join(path.dirname(migratePath), 'pgliteWorker.js'), dataDumpPath, idleMs: 600_000, timeoutMs: 60_000 };

/** 50 tables; `target` is the evolved version. */
function schema(target) {
  const out = [`CREATE TYPE status AS ENUM ('new', 'active', 'closed'${target ? ", 'archived'" : ''});`];
  if (target) { out.push("CREATE TYPE tier AS ENUM ('free', 'pro');"); }
  for (let i = 1; i <= 50; i++) {
    const cols = [
      'id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY',
      `name varchar(${target && i % 5 === 0 ? 200 : 100}) NOT NULL`,
      "status status NOT NULL DEFAULT 'new'",
      'created_at timestamptz NOT NULL DEFAULT now()',
      'amount numeric(12,2) CHECK (amount >= 0)',
    ];
    if (i > 1) { cols.push(`parent_id bigint REFERENCES t${i - 1}(id) ON DELETE CASCADE`); }
    if (!(target && i % 7 === 0)) { cols.push('note text'); }
    if (target && i % 3 === 0) { cols.push("tier tier NOT NULL DEFAULT 'free'", 'email text UNIQUE'); }
    out.push(`CREATE TABLE t${i} (\n  ${cols.join(',\n  ')}\n);`);
    out.push(`CREATE INDEX t${i}_created_idx ON t${i} (created_at${target && i % 4 === 0 ? ', status' : ''});`);
  }
  return out.join('\n');
}

const migrations = [{ path: 'V1__init.sql', content: schema(false) }];
const target = schema(true);
const median = xs => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

async function timed(verify) {
  const started = performance.now();
  const plan = await planMigration({ migrations, target }, { ...options, verify });
  const ms = performance.now() - started;
  if (plan.status !== 'changes' || (verify && !plan.verified?.ok)) {
    throw new Error(`the bench migration did not come out right: ${JSON.stringify({ status: plan.status, problems: plan.problems, verified: plan.verified })}`);
  }
  return { ms, plan };
}

const cold = await timed(true);
const warm = [];
const unverified = [];
for (let i = 0; i < 5; i++) { warm.push((await timed(true)).ms); }
for (let i = 0; i < 5; i++) { unverified.push((await timed(false)).ms); }
await shutdownSqlValidator();
const steps = cold.plan.steps.length;
const confirm = cold.plan.confirm.length;
console.log(`migrate: 50-table schema -> evolved (${steps} steps, ${confirm} to confirm): first run ${cold.ms.toFixed(0)} ms (worker start included), ` +
  `warm ${median(warm).toFixed(0)} ms median of 5 with the proof in Postgres (target < 2000 ms), ${median(unverified).toFixed(0)} ms without it`);
