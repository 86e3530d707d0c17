/**
 * What the CLI's small entry (src/cliEntry.ts) decides from the arguments alone, before the rest of the CLI
 * loads. Kept apart from the entry, which runs on import, so that tests can call it.
 */
import * as path from 'node:path';

/**
 * One-shot commands start the embedded Postgres once and exit. For them, V8's optimising tier would spend more
 * CPU and about 80 MB compiling Postgres's 9 MB of WebAssembly than the check itself needs (measured on
 * `validate` of a three-line file: 367 MB and 3.7 s of CPU with it, 286 MB and 2.1 s without); the baseline
 * compiler alone is enough. Not for `mcp`, a long-lived server, nor for tests calling main() in-process.
 */
export function isOneShotWithPostgres(argv: string[]): boolean {
  return ['validate', 'migrate', 'design'].includes(argv[0] ?? '');
}

/** True when the command will run SQL for certain: `migrate`, or `validate` naming a .sql file. */
export function needsPostgresAtOnce(argv: string[]): boolean {
  const [command, ...rest] = argv;
  if (rest.some(a => a === '-h' || a === '--help')) { return false; }
  return command === 'migrate' || (command === 'validate' && rest.some(a => !a.startsWith('-') && path.extname(a).toLowerCase() === '.sql'));
}
