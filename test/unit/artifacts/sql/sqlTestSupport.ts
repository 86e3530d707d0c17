/** Where the SQL checker's tests find the compiled worker, the fixtures and a pre-initialised data dir. */
import { execFile } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { promisify } from 'node:util';
import type { SqlValidatorOptions } from '../../../../src/artifacts/sql/sqlValidator';

function walkUp(from: string): string | undefined {
  for (let dir = path.resolve(from); ; dir = path.dirname(dir)) {
    try {
      if (JSON.parse(fs.readFileSync(path.join(dir, 'package.json'), 'utf8')).name === 'backend-architect') { return dir; }
    } catch { /* not here */ }
    if (path.dirname(dir) === dir) { return undefined; }
  }
}

/** The repository root, found from the working directory (tests may be compiled anywhere). */
export const repoRoot: string = walkUp(process.cwd()) ?? walkUp(__dirname) ?? process.cwd();
export const sqlFixtures = path.join(repoRoot, 'test', 'fixtures', 'artifacts', 'sql');

/** The worker as tsc compiled it, beside the compiled validator (out/src/artifacts/sql/). */
export const workerPath = path.resolve(__dirname, '../../../../src/artifacts/sql/pgliteWorker.js');

const dumpDir = path.join(repoRoot, '.tmp', 'pglite-test');
export const dataDumpPath = path.join(dumpDir, 'pgdata.tar');

/** Makes the data dir once (scripts/make-pgdata.mjs is idempotent: later runs return at once). */
export async function ensureDataDump(): Promise<void> {
  await promisify(execFile)(process.execPath, [path.join(repoRoot, 'scripts', 'make-pgdata.mjs'), '--out', dataDumpPath], { cwd: repoRoot });
}

/** Options every worker-backed test uses; timeouts are generous, the machine may be busy. */
export function testOptions(extra: SqlValidatorOptions = {}): SqlValidatorOptions {
  return { workerPath, dataDumpPath, extensionsDir: path.join(dumpDir, 'extensions'), timeoutMs: 30_000, startTimeoutMs: 60_000, ...extra };
}

export const readFixture = (rel: string): string => fs.readFileSync(path.join(sqlFixtures, rel), 'utf8');

/** Loads an ES module from CommonJS output (tsc would turn `import()` into `require`). */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- the module's shape is the caller's to assert
export const importEsm = new Function('specifier', 'return import(specifier)') as (specifier: string) => Promise<any>;
