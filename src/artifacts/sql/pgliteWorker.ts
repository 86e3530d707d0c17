/**
 * Worker-thread entry: one warm PGlite (in-memory, no host files) that checks SQL scripts sent by the
 * host (sqlValidator.ts). PGlite blocks its thread for seconds at start and for every statement, which
 * is why it lives here and never on the extension host's thread. Bundled as its own entry
 * (dist/pgliteWorker.js); pglite.wasm, pglite.data and libpg-query.wasm must sit beside it.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { gunzipSync } from 'node:zlib';
import { parentPort, workerData } from 'node:worker_threads';
import type { PGlite as PGliteClass, PGliteOptions } from '@electric-sql/pglite';
import { dataDirEntries, preloadedMemoryFs } from './dataDirFs';
import type { ArtifactProblem } from '../types';
import type { DataDirLoader, HostWasmMessage, SqlCheckRequest, SqlWorkerData, SqlWorkerMessage, WorkerMigration } from './protocol';
import { diffSchemas, renderMigrationSql } from './schemaDiff';
import type { SchemaSnapshot } from './schemaSnapshot';
import { runPlans } from './runner';
import { loadPgParser, PgParser, planScript, ScriptPlan } from './statements';

const MB = 1024 * 1024;
const data = workerData as SqlWorkerData;
const progress = new Int32Array(data.progress);
const post = (m: SqlWorkerMessage): void => parentPort?.postMessage(m);
/** pglite.wasm as the host compiled it (sqlValidator.ts), or undefined for PGlite to read and compile it here. */
const hostWasm: Promise<WebAssembly.Module | undefined> = data.wasmFromHost && parentPort
  ? new Promise(resolve => parentPort?.once('message', (m: HostWasmMessage) => resolve(m.type === 'wasm' ? m.module : undefined)))
  : Promise.resolve(undefined);

/**
 * V8's resourceLimits do not count WebAssembly memory, and Postgres would happily grow it to 2 GB.
 * Emscripten grows memory through `WebAssembly.Memory.prototype.grow` (from JS, inside a try), so
 * refusing here makes Postgres's malloc fail: the statement ends with a clean "out of memory" error.
 */
const wasm = { peak: 0, capHit: false };
function capWasmMemory(maxBytes: number): void {
  const grow = WebAssembly.Memory.prototype.grow;
  WebAssembly.Memory.prototype.grow = function (this: WebAssembly.Memory, delta: number): number {
    if (this.buffer.byteLength + delta * 65536 > maxBytes) {
      wasm.capHit = true;
      throw new RangeError('memory limit of the SQL checker reached');
    }
    const previous = grow.call(this, delta);
    wasm.peak = Math.max(wasm.peak, this.buffer.byteLength);
    return previous;
  };
}

/** Extensions the checker can load, by the bundle files PGlite ships (moddatetime and friends live in `spi`). */
const extensionBundles: Record<string, string[]> = {
  'uuid-ossp': ['uuid-ossp'], pgcrypto: ['pgcrypto'], citext: ['citext'], hstore: ['hstore'], pg_trgm: ['pg_trgm'],
  ltree: ['ltree'], btree_gist: ['btree_gist'], btree_gin: ['btree_gin'], cube: ['cube'], earthdistance: ['cube', 'earthdistance'],
  fuzzystrmatch: ['fuzzystrmatch'], intarray: ['intarray'], isn: ['isn'], seg: ['seg'], tablefunc: ['tablefunc'],
  unaccent: ['unaccent'], dict_int: ['dict_int'], dict_xsyn: ['dict_xsyn'], bloom: ['bloom'], lo: ['lo'],
  tsm_system_rows: ['tsm_system_rows'], tsm_system_time: ['tsm_system_time'],
  autoinc: ['spi'], insert_username: ['spi'], moddatetime: ['spi'], refint: ['spi'],
};

function bundlesFor(extension: string): string[] | undefined {
  const bundles = extensionBundles[extension];
  const dir = data.extensionsDir;
  return bundles && dir && bundles.every(b => fs.existsSync(path.join(dir, `${b}.tar.gz`))) ? bundles : undefined;
}

interface Session { db: PGliteClass; bundles: Set<string>; fromDump: boolean; dataDir: DataDirLoader; wasmFromHost: boolean; note?: string }

/**
 * The shipped data dir, unpacked here with zlib in one call when gzipped. As a rule it goes into PGlite's file
 * system without copies (dataDirFs.ts). A tar that reader does not take goes to PGlite's `loadDataDir` as a
 * Blob-shaped object over the bytes we already hold: handed the gzip file as a Blob, PGlite first fails to
 * read it as a tar, then inflates it through web streams chunk by chunk, and a Node Blob is copied again, in
 * chunks, when PGlite asks for its bytes (both were the largest costs of a cold start, profiled). PGlite 0.5.16
 * (pinned) reads `loadDataDir` through `type`, `instanceof File` and `arrayBuffer()` only; the start-up tests
 * from the shipped data dir would catch a PGlite that reads it otherwise.
 */
function dataDirOption(dumpPath: string, pglite: typeof import('@electric-sql/pglite')): { options: Pick<PGliteOptions, 'fs' | 'loadDataDir'>; loader: DataDirLoader } {
  const bytes = fs.readFileSync(dumpPath);
  const tar = bytes[0] === 0x1f && bytes[1] === 0x8b ? gunzipSync(bytes) : bytes;
  const entries = dataDirEntries(tar);
  if (entries) { return { options: { fs: preloadedMemoryFs(pglite.MemoryFS, pglite.PGlite, entries) }, loader: 'tar views' }; }
  const whole = tar.byteOffset === 0 && tar.byteLength === tar.buffer.byteLength;
  const buffer = whole ? tar.buffer : tar.buffer.slice(tar.byteOffset, tar.byteOffset + tar.byteLength);
  return { options: { loadDataDir: { type: 'application/x-tar', size: tar.byteLength, arrayBuffer: () => Promise.resolve(buffer) } as unknown as Blob }, loader: 'loadDataDir' };
}

/** Starts PGlite from the shipped data dir (about 1 s), or with initdb when there is none (3+ s). */
async function openDb(bundles: Set<string>): Promise<Session> {
  // `require`: bundled as CommonJS, `import` would pick PGlite's ESM build, which fails at run time.
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- see the line above
  const pglite = require('@electric-sql/pglite') as typeof import('@electric-sql/pglite');
  const { PGlite } = pglite;
  const dir = data.extensionsDir ?? '';
  const extensions = Object.fromEntries([...bundles].map(b => [b.replace(/\W/g, '_'), {
    name: b, setup: async () => ({ bundlePath: pathToFileURL(path.join(dir, `${b}.tar.gz`)) }),
  }]));
  // Postgres's log lines are not for the person (errors come back on their statements), and printed
  // here they would land in the host's stdout, which is a CLI's JSON output.
  const quiet = { onStdout: () => true, onStderr: () => true };
  // Temp files live in this thread's memory too; scripts cannot raise this limit (SET is allowlisted).
  // 8 MB of shared buffers instead of Postgres's 128 MB: every check is a small script in a transaction that
  // is rolled back, and the default pool alone cost about 100 MB of resident memory at start (measured).
  const startParams = [...PGlite.defaultStartParams, '-c', `temp_file_limit=${Math.max(1, Math.floor(data.tempFileLimitMb))}MB`, '-c', 'shared_buffers=8MB'];
  const pgliteWasmModule = await hostWasm;
  const wasmOption = pgliteWasmModule ? { pgliteWasmModule } : {};
  const dumpPath = data.dataDumpPath;
  let note: string | undefined;
  let db: PGliteClass | undefined;
  let dataDir: DataDirLoader = 'initdb';
  if (dumpPath && fs.existsSync(dumpPath)) {
    try {
      const shipped = dataDirOption(dumpPath, pglite);
      dataDir = shipped.loader;
      db = new PGlite({ ...shipped.options, extensions, startParams, ...wasmOption, ...quiet });
      await db.waitReady;
    } catch (e) {
      note = `the pre-initialised data dir could not be loaded (${(e as Error).message}); started with initdb`;
      db = undefined;
      dataDir = 'initdb';
    }
  } else {
    note = `no pre-initialised data dir at ${dumpPath ?? '(none given)'}; started with initdb`;
  }
  // 1 MB WAL segments, as scripts/make-pgdata.mjs makes them: WAL lives in memory here.
  db ??= new PGlite({ extensions, startParams, initDbStartParams: ['--wal-segsize=1'], ...wasmOption, ...quiet });
  await db.waitReady;
  return { db, bundles, fromDump: !note, dataDir, wasmFromHost: !!pgliteWasmModule, note };
}

let parser: PgParser;
let session: Session;

/** Loads what the scripts' CREATE EXTENSION statements need; reports the ones the checker lacks. */
async function prepareExtensions(plans: ScriptPlan[], report: (unit: number, p: ArtifactProblem) => void): Promise<string[]> {
  const missing: string[] = [];
  const needed = new Set(session.bundles);
  plans.forEach((plan, unit) => {
    for (const s of plan.statements) {
      const name = s.verdict.extension;
      if (s.verdict.action !== 'run' || !name) { continue; }
      const bundles = bundlesFor(name);
      if (bundles) { bundles.forEach(b => needed.add(b)); continue; }
      missing.push(name);
      s.verdict = { action: 'skip', severity: 'warning', message: `extension ${name} is not available in the checker: not created` };
      report(unit, { line: s.line, column: s.column, message: s.verdict.message, severity: 'warning', source: 'sql-extension' });
    }
  });
  if (needed.size > session.bundles.size) {
    // Extension bundles load at start only: restart this instance with them (once per session).
    await session.db.close();
    wasm.peak = 0;
    session = await openDb(needed);
  }
  return missing;
}

async function check(req: SqlCheckRequest): Promise<void> {
  const started = performance.now();
  wasm.capHit = false;
  const report = (unit: number, p: ArtifactProblem): void => post({ type: 'problems', id: req.id, unit, problems: [p] });
  let plans = req.units.map(u => planScript(parser, u.text, req.limits));
  plans.forEach((plan, unit) => { if (plan.notes.length) { post({ type: 'problems', id: req.id, unit, problems: plan.notes }); } });
  // A unit refused for its size stops the run there: later migrations would fail for want of it.
  const refused = plans.findIndex(p => p.refused);
  if (refused !== -1) { plans = plans.slice(0, refused); }
  const missingExtensions = await prepareExtensions(plans, report);
  let migration: WorkerMigration | undefined;
  const target = req.migrateTo;
  // The migration is written here, inside the transaction, so proving it costs one script, not a rebuild.
  const afterSnapshot = target && async function (built: SchemaSnapshot, apply: (extra: ScriptPlan) => Promise<SchemaSnapshot>): Promise<void> {
    const diff = diffSchemas(built, target);
    migration = { ...diff, sql: renderMigrationSql(diff.steps) };
    if (!req.verifyMigration || diff.steps.length === 0) { return; }
    const extra = planScript(parser, migration.sql, req.limits);
    if (extra.notes.length) { post({ type: 'problems', id: req.id, unit: plans.length, problems: extra.notes }); }
    migration.applied = await apply(extra);
  };
  const outcome = await runPlans(session.db, plans, {
    maxErrors: req.limits.maxErrors, missingExtensions, wantCatalog: req.wantCatalog, wantSnapshot: req.wantSnapshot || !!target, afterSnapshot,
    onStatement: (unit, s) => {
      Atomics.store(progress, 1, unit);
      Atomics.store(progress, 2, s.line);
      Atomics.store(progress, 3, s.column);
    },
    onProblem: report,
  });
  const statements = plans.reduce((n, p) => n + p.statements.length, 0);
  const stats = {
    statements, executed: outcome.executed, ms: performance.now() - started, wasmMemoryMb: wasm.peak / MB,
    ...(refused !== -1 ? { firstRefusedUnit: refused } : {}),
  };
  // WASM memory never shrinks: after a runaway, a fresh worker is cheaper than a bloated one.
  const recycle = wasm.capHit || wasm.peak > 0.75 * data.maxWasmMemoryMb * MB;
  post({ type: 'done', id: req.id, catalog: outcome.catalog, snapshot: outcome.snapshot, migration, stats, recycle });
}

/**
 * Every check leaves dead catalog rows and WAL behind (rolled back, but written), and PGlite runs no
 * autovacuum or timed checkpoints: without this, memory grew about 1 MB a check. Every 20 checks, after
 * the answer is sent, a VACUUM and a CHECKPOINT (30 ms or so) keep it flat.
 */
const maintenanceEvery = 20;
let checksSinceMaintenance = 0;
async function maintain(): Promise<void> {
  if (++checksSinceMaintenance < maintenanceEvery) { return; }
  checksSinceMaintenance = 0;
  await session.db.exec('VACUUM');
  await session.db.exec('CHECKPOINT');
}

async function main(): Promise<void> {
  capWasmMemory(data.maxWasmMemoryMb * MB);
  const started = performance.now();
  [parser, session] = await Promise.all([loadPgParser(), openDb(new Set())]);
  // The first statement on a fresh instance is slow (catalog caches): pay for it before any check.
  await session.db.exec('BEGIN; CREATE TABLE ba_warmup (id int PRIMARY KEY); ROLLBACK');
  post({ type: 'ready', ms: performance.now() - started, fromDump: session.fromDump, dataDir: session.dataDir, wasmFromHost: session.wasmFromHost, note: session.note });
  let queue = Promise.resolve();
  parentPort?.on('message', (req: SqlCheckRequest) => {
    queue = queue.then(async () => {
      Atomics.store(progress, 0, req.id);
      Atomics.store(progress, 2, 0);
      try {
        await check(req);
        await maintain();
      } catch (e) {
        post({ type: 'failed', id: req.id, message: (e as Error).message });
      }
    });
  });
}

main().catch(e => post({ type: 'failed', message: `the SQL checker could not start: ${(e as Error).message}` }));
