/**
 * Postgres's WebAssembly (pglite.wasm, 9 MB), compiled by the host while the worker thread is still booting.
 * V8 compiles WebAssembly on its own background threads whichever thread asks, and a compiled module can be
 * posted to a worker without compiling it again; started here, the compile overlaps the worker's start-up
 * (Node's bootstrap of the thread and the load of its bundle) instead of following it.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';

/** pglite.wasm beside the worker (dist/ in the bundle), else in PGlite's package (compiled sources, tests). */
export function pgliteWasmPath(workerDir: string): string | undefined {
  const beside = path.join(workerDir, 'pglite.wasm');
  if (fs.existsSync(beside)) { return beside; }
  try {
    const inPackage = path.join(path.dirname(require.resolve('@electric-sql/pglite')), 'pglite.wasm');
    return fs.existsSync(inPackage) ? inPackage : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Compiles the module off this thread. Resolves with undefined when that fails: the worker's PGlite then reads
 * and compiles it itself, and reports its own error if it cannot. The file is read synchronously (about 5 ms
 * for 9 MB): read asynchronously, its callback waited for whatever the thread ran next (the CLI's 2 MB bundle,
 * measured: the compile started 0.2 s later and the worker waited for it).
 */
export async function compilePgliteWasm(wasmPath: string | undefined): Promise<WebAssembly.Module | undefined> {
  if (!wasmPath) { return undefined; }
  try {
    return await WebAssembly.compile(fs.readFileSync(wasmPath));
  } catch {
    return undefined;
  }
}
