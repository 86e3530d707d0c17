/**
 * The `backend-architect` command's first file: small, so that a SQL check can start the embedded Postgres
 * (about a second in its worker thread) while the rest of the CLI (dist/cliMain.js, about 1 MB, 0.3 s to
 * load) is still being read. Everything else is in src/cli.ts.
 */
import * as v8 from 'node:v8';
import * as path from 'node:path';
import { sqlValidatorFor } from './artifacts/sql/validateSql';

interface CliMain { main(argv: string[], io: { stdout(s: string): void; stderr(s: string): void }): Promise<number> }

/**
 * One-shot commands start the embedded Postgres once and exit. For them, V8's optimising tier would spend more
 * CPU and about 80 MB compiling Postgres's 9 MB of WebAssembly than the check itself needs (measured on
 * `validate` of a three-line file: 367 MB and 3.7 s of CPU with it, 286 MB and 2.1 s without); the baseline
 * compiler alone is enough. Not for `mcp`, a long-lived server, nor for tests calling main() in-process.
 */
const oneShotWithPostgres = new Set(['validate', 'migrate', 'design']);

/** True when the command will run SQL for certain: `migrate`, or `validate` naming a .sql file. */
export function needsPostgresAtOnce(argv: string[]): boolean {
  const [command, ...rest] = argv;
  if (rest.some(a => a === '-h' || a === '--help')) { return false; }
  return command === 'migrate' || (command === 'validate' && rest.some(a => !a.startsWith('-') && path.extname(a).toLowerCase() === '.sql'));
}

const argv = process.argv.slice(2);
if (oneShotWithPostgres.has(argv[0] ?? '')) { v8.setFlagsFromString('--liftoff-only'); }
if (needsPostgresAtOnce(argv)) {
  // A failed start is reported by the check that needs it, with its reason; here it is only early.
  sqlValidatorFor({ workerPath: path.join(__dirname, 'pgliteWorker.js') }).warmUp().catch(() => undefined);
}
const io = { stdout: (s: string) => process.stdout.write(s), stderr: (s: string) => process.stderr.write(s) };
// eslint-disable-next-line @typescript-eslint/no-require-imports -- loaded after the worker has been started, on purpose
const cli = require('./cliMain.js') as CliMain;
cli.main(argv, io).then(code => { process.exitCode = code; }, (e: unknown) => {
  io.stderr(`backend-architect: ${(e as Error).stack ?? String(e)}\n`);
  process.exitCode = 1;
});
