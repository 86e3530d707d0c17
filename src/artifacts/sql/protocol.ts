/** Messages between the host-side SQL validator and the PGlite worker thread. Types only. */
import type { ArtifactProblem } from '../types';
import type { Catalog } from './catalog';
import type { SchemaDiff } from './schemaDiff';
import type { SchemaSnapshot } from './schemaSnapshot';
import type { PlanLimits } from './statements';

/** Handed to the worker at start (`workerData`). */
export interface SqlWorkerData {
  /** A data dir (tar, gzipped or not) made by scripts/make-pgdata.mjs; missing or unreadable means a plain initdb (slow). */
  dataDumpPath?: string;
  /** Where extension bundles (`uuid-ossp.tar.gz`, ...) are; missing means no extensions. */
  extensionsDir?: string;
  /** Cap on each WebAssembly memory in the worker (V8's heap limits do not count WASM memory). */
  maxWasmMemoryMb: number;
  /** Postgres `temp_file_limit`: temp files live in the worker's memory too. */
  tempFileLimitMb: number;
  /** Int32 slots the worker writes before each statement: [check id, unit, line, column]. */
  progress: SharedArrayBuffer;
  /** The host compiles pglite.wasm and posts it (HostWasmMessage) before any check: wait for it before starting PGlite. */
  wasmFromHost?: boolean;
}

/**
 * How the worker's Postgres got its data dir: the shipped one as views of its tar (dataDirFs.ts), the shipped
 * one through PGlite's own `loadDataDir` (a tar our reader does not take: slower), or a fresh initdb (slowest).
 */
export type DataDirLoader = 'tar views' | 'loadDataDir' | 'initdb';

/** The host's first message when `wasmFromHost`: the compiled pglite.wasm, or none (PGlite then loads its own). */
export interface HostWasmMessage {
  type: 'wasm';
  module?: WebAssembly.Module;
}

export interface SqlCheckUnit {
  /** File name, for migrations; problems carry it. */
  name?: string;
  text: string;
}

export interface SqlCheckRequest {
  type: 'check';
  id: number;
  units: SqlCheckUnit[];
  limits: PlanLimits & { maxErrors: number };
  wantCatalog: boolean;
  /** Also read the full schema (schemaSnapshot.ts) before the rollback: for comparing schemas and writing migrations. */
  wantSnapshot?: boolean;
  /**
   * Write the migration from the schema the units build to this one (schemaDiff.ts), in the worker, and
   * with `verifyMigration` apply it in the same transaction and read the schema again.
   */
  migrateTo?: SchemaSnapshot;
  verifyMigration?: boolean;
}

/** The migration the worker wrote (`migrateTo`); problems applying it come as the unit after the last. */
export interface WorkerMigration extends SchemaDiff {
  sql: string;
  /** The schema after applying `sql` (when asked to verify and there was something to apply). */
  applied?: SchemaSnapshot;
}

export interface SqlCheckStats {
  /** Units refused for their size or statement count: they and the units after them did not run. */
  firstRefusedUnit?: number;
  statements: number;
  executed: number;
  ms: number;
  wasmMemoryMb: number;
}

export type SqlWorkerMessage =
  | { type: 'ready'; ms: number; fromDump: boolean; dataDir: DataDirLoader; wasmFromHost: boolean; note?: string }
  | { type: 'problems'; id: number; unit: number; problems: ArtifactProblem[] }
  | { type: 'done'; id: number; catalog?: Catalog; snapshot?: SchemaSnapshot; migration?: WorkerMigration; stats: SqlCheckStats; recycle: boolean }
  | { type: 'failed'; id?: number; message: string };
