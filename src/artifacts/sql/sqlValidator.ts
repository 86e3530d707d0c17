/**
 * Host side of the SQL checker: owns one worker thread running PGlite (pgliteWorker.ts), sends it one
 * check at a time, and enforces the limits the worker cannot enforce on itself: a wall-clock timeout
 * and a memory watchdog that terminate it (THREATS T12), and an idle shutdown that gives back its
 * ~400 MB. Never blocks the calling thread: everything heavy happens in the worker.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { Worker } from 'node:worker_threads';
import type { ArtifactProblem } from '../types';
import type { Catalog } from './catalog';
import type { SchemaSnapshot } from './schemaSnapshot';
import { compilePgliteWasm, pgliteWasmPath } from './pgliteWasm';
import type { DataDirLoader, HostWasmMessage, SqlCheckRequest, SqlCheckStats, SqlCheckUnit, SqlWorkerData, SqlWorkerMessage, WorkerMigration } from './protocol';

/** Settings of the checker. Every one has a default; paths default to files beside the bundle. */
export interface SqlValidatorOptions {
  /** The compiled worker entry. Default: `pgliteWorker.js` beside this file (dist/ in the bundle). */
  workerPath?: string;
  /** Pre-initialised data dir (scripts/make-pgdata.mjs). Default: `pglite/pgdata.tar` beside the worker. */
  dataDumpPath?: string;
  /** Extension bundles. Default: `pglite/extensions` beside the worker, else PGlite's package folder. */
  extensionsDir?: string;
  /** Hard limit for one check once the worker is up; then the worker is terminated. Default 10 s. */
  timeoutMs?: number;
  /** Limit for the worker to start. Default 30 s (a start without the data dir runs initdb). */
  startTimeoutMs?: number;
  /** The worker stops after this long without a check. Default 60 s. */
  idleMs?: number;
  /** Cap on PGlite's WebAssembly memory. Default 768 MB. */
  maxWasmMemoryMb?: number;
  /** V8 heap limit of the worker (JS objects only). Default 256 MB. */
  maxOldGenerationSizeMb?: number;
  /** Postgres temp_file_limit (temp files are memory here). Default 128 MB. */
  tempFileLimitMb?: number;
  /** The process's RSS may grow this much during a check before the worker is terminated. Default 1536 MB. */
  maxRssGrowthMb?: number;
  /** Largest script checked, in characters. Default 2,000,000. */
  maxChars?: number;
  /** Most statements in one script. Default 10,000. */
  maxStatements?: number;
  /** Stop after this many failing statements. Default 50. */
  maxErrors?: number;
}

/** What a check reads besides problems: the full schema, and the migration from it to another schema. */
export interface CheckReads {
  snapshot?: boolean;
  migrateTo?: SchemaSnapshot;
  /** Apply the migration after the units in the same transaction and read the schema again. */
  verifyMigration?: boolean;
}

export type ResolvedSqlValidatorOptions = Required<Omit<SqlValidatorOptions, 'extensionsDir'>> & { extensionsDir?: string };

/** The settings that may differ from one check to the next without restarting the worker. */
export type CheckLimits = Pick<ResolvedSqlValidatorOptions, 'timeoutMs' | 'maxRssGrowthMb' | 'maxChars' | 'maxStatements' | 'maxErrors'>;

/** What one check produced, before it is turned into a ValidationResult. */
export interface SqlCheckOutcome {
  /** Problems by unit (file) index. */
  problems: Array<{ unit: number; problem: ArtifactProblem }>;
  catalog?: Catalog;
  /** The full schema, when the check asked for it (`wantSnapshot`). */
  snapshot?: SchemaSnapshot;
  /** The migration to `migrateTo`, when asked for. */
  migration?: WorkerMigration;
  stats?: SqlCheckStats;
  /** Set when the check could not run at all (the worker did not start): the result is `unchecked`. */
  unavailable?: string;
}

function defaultExtensionsDir(workerDir: string): string | undefined {
  const beside = path.join(workerDir, 'pglite', 'extensions');
  if (fs.existsSync(beside)) { return beside; }
  try {
    return path.dirname(require.resolve('@electric-sql/pglite'));
  } catch {
    return undefined;
  }
}

/** Fills in the defaults. */
export function resolveSqlValidatorOptions(options: SqlValidatorOptions = {}): ResolvedSqlValidatorOptions {
  const workerPath = options.workerPath ?? path.join(__dirname, 'pgliteWorker.js');
  const workerDir = path.dirname(workerPath);
  return {
    workerPath,
    dataDumpPath: options.dataDumpPath ?? path.join(workerDir, 'pglite', 'pgdata.tar'),
    extensionsDir: options.extensionsDir ?? defaultExtensionsDir(workerDir),
    timeoutMs: options.timeoutMs ?? 10_000,
    startTimeoutMs: options.startTimeoutMs ?? 30_000,
    idleMs: options.idleMs ?? 60_000,
    maxWasmMemoryMb: options.maxWasmMemoryMb ?? 768,
    maxOldGenerationSizeMb: options.maxOldGenerationSizeMb ?? 256,
    tempFileLimitMb: options.tempFileLimitMb ?? 128,
    maxRssGrowthMb: options.maxRssGrowthMb ?? 1536,
    maxChars: options.maxChars ?? 2_000_000,
    maxStatements: options.maxStatements ?? 10_000,
    maxErrors: options.maxErrors ?? 50,
  };
}

interface Running {
  id: number;
  outcome: SqlCheckOutcome;
  finish(): void;
}

/** Facts about the worker's life, for benchmarks and tests. */
export interface SqlWorkerInfo {
  starts: number;
  lastStartMs?: number;
  fromDump?: boolean;
  /** How the last worker's Postgres got its data dir. */
  dataDir?: DataDirLoader;
  /** Whether the last worker used the pglite.wasm this thread compiled (else it compiled its own). */
  wasmFromHost?: boolean;
  note?: string;
}

const MB = 1024 * 1024;

/**
 * Drops our listeners from a worker. Not `removeAllListeners()`: Worker keeps its own `newListener`
 * hooks that start its message port, and without them no message would arrive again. An `error`
 * listener stays, so a worker dying after we let go of it cannot throw in the host.
 */
function detach(worker: Worker): void {
  for (const event of ['message', 'error', 'exit'] as const) { worker.removeAllListeners(event); }
  worker.on('error', () => undefined);
}

/**
 * One PGlite worker, started on the first check, kept warm between checks, replaced after a runaway
 * and stopped when idle. Checks are queued and run one at a time.
 */
export class SqlValidator {
  readonly info: SqlWorkerInfo = { starts: 0 };
  private worker?: Worker;
  private starting?: Promise<Worker>;
  private running?: Running;
  private queue: Promise<unknown> = Promise.resolve();
  private idleTimer?: NodeJS.Timeout;
  private nextId = 1;
  private readonly progress = new SharedArrayBuffer(4 * Int32Array.BYTES_PER_ELEMENT);
  private wasmHandedOver: Promise<void> = Promise.resolve();

  constructor(readonly options: ResolvedSqlValidatorOptions) {}

  /**
   * Checks the units (files) in order, in one transaction that is rolled back. Never rejects. Limits
   * given here apply to this check only (taken now, not when its turn comes). `reads` asks for the full
   * schema and a migration (see CheckReads), read before the rollback.
   */
  check(units: SqlCheckUnit[], limits: Partial<CheckLimits> = {}, wantCatalog = true, reads: CheckReads = {}): Promise<SqlCheckOutcome> {
    const o = this.options;
    const settings: CheckLimits = {
      timeoutMs: o.timeoutMs, maxRssGrowthMb: o.maxRssGrowthMb, maxChars: o.maxChars, maxStatements: o.maxStatements,
      maxErrors: o.maxErrors, ...limits,
    };
    const run = this.queue.then(() => this.runOne(units, settings, wantCatalog, reads));
    this.queue = run.catch(() => undefined);
    return run;
  }

  /** Starts the worker ahead of the first check (optional: a check starts it anyway). */
  async warmUp(): Promise<void> {
    clearTimeout(this.idleTimer);
    const worker = await this.ensureWorker();
    worker.unref();
    this.scheduleIdle();
  }

  /**
   * Resolves once the starting worker has been handed Postgres's compiled WebAssembly (at once when there is
   * nothing to hand over). The compile runs on V8's background threads but its result is delivered on this
   * thread: a caller about to keep this thread busy (the CLI loading its bundle) waits for this first, or the
   * worker waits for it.
   */
  wasmDelivered(): Promise<void> {
    return this.wasmHandedOver;
  }

  /** Stops the worker now; a later check starts a new one. */
  async shutdown(): Promise<void> {
    clearTimeout(this.idleTimer);
    const worker = this.worker ?? (await this.starting?.catch(() => undefined));
    this.worker = undefined;
    if (this.running) {
      this.running.outcome.unavailable = 'the SQL checker was shut down during the check';
      this.running.finish();
    }
    if (worker) {
      detach(worker);
      await worker.terminate();
    }
  }

  /** Thread id of the live worker, if any (tests check it stops when idle). */
  get workerThreadId(): number | undefined {
    return this.worker?.threadId;
  }

  private async runOne(units: SqlCheckUnit[], limits: CheckLimits, wantCatalog: boolean, reads: CheckReads): Promise<SqlCheckOutcome> {
    clearTimeout(this.idleTimer);
    let worker: Worker;
    try {
      worker = await this.ensureWorker();
    } catch (e) {
      this.scheduleIdle();
      return { problems: [], unavailable: (e as Error).message };
    }
    if (this.worker !== worker) { return { problems: [], unavailable: 'the SQL checker was shut down' }; }
    // Referenced while a check runs (a CLI must wait for it); unreferenced when idle (it must not wait for us).
    worker.ref();
    try {
      return await this.send(worker, units, limits, wantCatalog, reads);
    } finally {
      this.worker?.unref();
      this.scheduleIdle();
    }
  }

  private scheduleIdle(): void {
    clearTimeout(this.idleTimer);
    this.idleTimer = setTimeout(() => { if (!this.running) { this.kill(); } }, this.options.idleMs);
    this.idleTimer.unref();
  }

  private ensureWorker(): Promise<Worker> {
    if (this.worker) { return Promise.resolve(this.worker); }
    this.starting ??= this.startWorker().finally(() => { this.starting = undefined; });
    return this.starting;
  }

  private startWorker(): Promise<Worker> {
    const o = this.options;
    if (!fs.existsSync(o.workerPath)) { return Promise.reject(new Error(`the SQL checker's worker is missing (${o.workerPath})`)); }
    const wasmPath = pgliteWasmPath(path.dirname(o.workerPath));
    const workerData: SqlWorkerData = {
      dataDumpPath: o.dataDumpPath, extensionsDir: o.extensionsDir, maxWasmMemoryMb: o.maxWasmMemoryMb,
      tempFileLimitMb: o.tempFileLimitMb, progress: this.progress, wasmFromHost: !!wasmPath,
    };
    // The worker's stdio is left to Node (forwarded to ours): capturing it keeps a port referenced and a
    // CLI could never exit. PGlite's own output is swallowed in the worker (onStdout/onStderr).
    const worker = new Worker(o.workerPath, { workerData, resourceLimits: { maxOldGenerationSizeMb: o.maxOldGenerationSizeMb } });
    if (wasmPath) {
      // Compiled while the thread boots (see pgliteWasm.ts); a worker already gone is not an error.
      this.wasmHandedOver = compilePgliteWasm(wasmPath).then(module => {
        try { worker.postMessage({ type: 'wasm', module } satisfies HostWasmMessage); } catch { /* the worker has exited */ }
      });
    }
    this.info.starts++;
    const started = performance.now();
    return new Promise<Worker>((resolve, reject) => {
      const fail = (e: Error): void => {
        clearTimeout(timer);
        detach(worker);
        void worker.terminate();
        reject(e);
      };
      const timer = setTimeout(() => fail(new Error(`the SQL checker did not start within ${o.startTimeoutMs / 1000} s`)), o.startTimeoutMs);
      worker.on('message', (m: SqlWorkerMessage) => {
        if (m.type === 'failed') { fail(new Error(m.message)); }
        if (m.type !== 'ready') { return; }
        clearTimeout(timer);
        Object.assign(this.info, { lastStartMs: performance.now() - started, fromDump: m.fromDump, dataDir: m.dataDir, wasmFromHost: m.wasmFromHost, note: m.note });
        detach(worker);
        this.adopt(worker);
        resolve(worker);
      });
      worker.on('error', e => fail(e));
      worker.on('exit', code => fail(new Error(`the SQL checker exited while starting (code ${code})`)));
    });
  }

  private adopt(worker: Worker): void {
    this.worker = worker;
    worker.on('message', (m: SqlWorkerMessage) => this.onMessage(m));
    worker.on('error', (e: Error & { code?: string }) => this.lost(worker, e.code === 'ERR_WORKER_OUT_OF_MEMORY'
      ? `stopped: the SQL checker ran out of memory (heap limit ${this.options.maxOldGenerationSizeMb} MB)`
      : `stopped: the SQL checker failed (${e.message})`));
    worker.on('exit', code => this.lost(worker, `stopped: the SQL checker exited unexpectedly (code ${code})`));
  }

  private onMessage(m: SqlWorkerMessage): void {
    const r = this.running;
    if (!r || !('id' in m) || m.id !== r.id) { return; }
    if (m.type === 'problems') {
      r.outcome.problems.push(...m.problems.map(problem => ({ unit: m.unit, problem })));
    } else if (m.type === 'done') {
      Object.assign(r.outcome, { catalog: m.catalog, snapshot: m.snapshot, migration: m.migration, stats: m.stats });
      if (m.recycle) { this.kill(); }
      r.finish();
    } else if (m.type === 'failed') {
      r.outcome.problems.push(this.problemAtProgress(r.id, `stopped: the SQL checker failed (${m.message})`));
      this.kill();
      r.finish();
    }
  }

  /** The worker died on its own (heap limit, crash): the running check ends with the reason. */
  private lost(worker: Worker, message: string): void {
    if (this.worker !== worker) { return; }
    this.worker = undefined;
    const r = this.running;
    if (r) {
      r.outcome.problems.push(this.problemAtProgress(r.id, message));
      r.finish();
    }
  }

  private kill(): void {
    const worker = this.worker;
    this.worker = undefined;
    if (worker) {
      detach(worker);
      void worker.terminate();
    }
  }

  /** A problem on the statement the worker was running when it was stopped (read from shared memory). */
  private problemAtProgress(id: number, message: string): { unit: number; problem: ArtifactProblem } {
    const p = new Int32Array(this.progress);
    const current = Atomics.load(p, 0) === id;
    const line = current ? Atomics.load(p, 2) : 0;
    const unit = current ? Atomics.load(p, 1) : 0;
    const problem: ArtifactProblem = line > 0
      ? { line, column: Atomics.load(p, 3), message, severity: 'error', source: 'sql-limits' }
      : { line: 1, message, severity: 'error', source: 'sql-limits' };
    return { unit, problem };
  }

  private send(worker: Worker, units: SqlCheckUnit[], o: CheckLimits, wantCatalog: boolean, reads: CheckReads): Promise<SqlCheckOutcome> {
    const id = this.nextId++;
    const outcome: SqlCheckOutcome = { problems: [] };
    return new Promise(resolve => {
      const baseline = process.memoryUsage.rss();
      let done = false;
      const finish = (): void => {
        if (done) { return; }
        done = true;
        clearTimeout(timer);
        clearInterval(watch);
        this.running = undefined;
        resolve(outcome);
      };
      const stop = (message: string): void => {
        if (done) { return; }
        outcome.problems.push(this.problemAtProgress(id, message));
        this.kill();
        finish();
      };
      const timer = setTimeout(() => stop(`stopped after ${o.timeoutMs / 1000} s: this statement was still running`), o.timeoutMs);
      // WASM memory is capped in the worker; this catches what is not (in-memory files, JS heap outside V8's limit).
      const watch = setInterval(() => {
        if ((process.memoryUsage.rss() - baseline) / MB > o.maxRssGrowthMb) {
          stop(`stopped: the check used more than ${o.maxRssGrowthMb} MB of memory`);
        }
      }, 100);
      this.running = { id, outcome, finish };
      const limits = { maxChars: o.maxChars, maxStatements: o.maxStatements, maxSyntaxErrors: 20, maxErrors: o.maxErrors };
      const request: SqlCheckRequest = {
        type: 'check', id, units, limits, wantCatalog, wantSnapshot: reads.snapshot, migrateTo: reads.migrateTo, verifyMigration: reads.verifyMigration,
      };
      worker.postMessage(request);
    });
  }
}
