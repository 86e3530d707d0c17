/**
 * The `backend-architect` command's first file: small, so that a SQL check can start the embedded Postgres
 * (about a second in its worker thread) while the rest of the CLI (dist/cliMain.js, about 1 MB, 0.3 s to
 * load) is still being read. Everything else is in src/cli.ts.
 */
import * as v8 from 'node:v8';
import * as path from 'node:path';
import { sqlValidatorFor } from './artifacts/sql/validateSql';
import { isOneShotWithPostgres, needsPostgresAtOnce } from './cliStart';

interface CliMain { main(argv: string[], io: { stdout(s: string): void; stderr(s: string): void }): Promise<number> }

const argv = process.argv.slice(2);
if (isOneShotWithPostgres(argv)) { v8.setFlagsFromString('--liftoff-only'); }
let early: Promise<void> = Promise.resolve();
if (needsPostgresAtOnce(argv)) {
  const validator = sqlValidatorFor({ workerPath: path.join(__dirname, 'pgliteWorker.js') });
  // A failed start is reported by the check that needs it, with its reason; here it is only early.
  validator.warmUp().catch(() => undefined);
  // The bundle below keeps this thread busy for 0.2-0.3 s: hand the worker its compiled WebAssembly first
  // (measured: the worker otherwise waited about 0.1 s for it).
  early = validator.wasmDelivered();
}
const io = { stdout: (s: string) => process.stdout.write(s), stderr: (s: string) => process.stderr.write(s) };
early.then(() => {
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- loaded after the worker has been started, on purpose
  const cli = require('./cliMain.js') as CliMain;
  return cli.main(argv, io);
}).then(code => { process.exitCode = code; }, (e: unknown) => {
  io.stderr(`backend-architect: ${(e as Error).stack ?? String(e)}\n`);
  process.exitCode = 1;
});
