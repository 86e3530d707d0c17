// Makes the pre-initialised Postgres data dir the SQL checker starts from (about 1 s instead of 3+ s of
// initdb): runs PGlite's initdb once and writes `dumpDataDir('gzip')` to dist/pglite/pgdata.tar.gz, with
// the extension bundles the checker can load beside it (dist/pglite/extensions/). Idempotent: does
// nothing when the dump exists and was made by the installed PGlite version with the same settings.
//   node scripts/make-pgdata.mjs [--out FILE] [--force] [--no-extensions]
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const args = process.argv.slice(2);
const outArg = args.indexOf('--out');
const out = path.resolve(outArg !== -1 ? args[outArg + 1] : path.join(root, 'dist', 'pglite', 'pgdata.tar.gz'));
const stamp = `${out}.json`;
const require = createRequire(path.join(root, 'package.json'));
const pgliteDir = path.dirname(require.resolve('@electric-sql/pglite'));
const version = JSON.parse(fs.readFileSync(path.join(pgliteDir, '..', 'package.json'), 'utf8')).version;

// Keep in step with extensionBundles in src/artifacts/sql/pgliteWorker.ts.
const bundles = ['uuid-ossp', 'pgcrypto', 'citext', 'hstore', 'pg_trgm', 'ltree', 'btree_gist', 'btree_gin', 'cube',
  'earthdistance', 'fuzzystrmatch', 'intarray', 'isn', 'seg', 'tablefunc', 'unaccent', 'dict_int', 'dict_xsyn', 'bloom',
  'lo', 'tsm_system_rows', 'tsm_system_time', 'spi'];

function copyExtensions() {
  if (args.includes('--no-extensions')) { return 0; }
  const dir = path.join(path.dirname(out), 'extensions');
  fs.mkdirSync(dir, { recursive: true });
  let copied = 0;
  for (const b of bundles) {
    const from = path.join(pgliteDir, `${b}.tar.gz`);
    const to = path.join(dir, `${b}.tar.gz`);
    if (fs.existsSync(from) && (!fs.existsSync(to) || fs.statSync(to).size !== fs.statSync(from).size)) {
      fs.copyFileSync(from, to);
      copied++;
    }
  }
  return copied;
}

function upToDate() {
  try {
    const made = JSON.parse(fs.readFileSync(stamp, 'utf8'));
    return fs.existsSync(out) && made.pglite === version && made.walSegsizeMb === 1;
  } catch {
    return false;
  }
}

if (!args.includes('--force') && upToDate()) {
  const copied = copyExtensions();
  console.log(`make-pgdata: ${path.relative(root, out)} is up to date (PGlite ${version})${copied ? `; ${copied} extension bundles copied` : ''}`);
  process.exit(0);
}

const started = Date.now();
const { PGlite } = require('@electric-sql/pglite');
// WAL lives in the worker's memory and PGlite never checkpoints on its own: 1 MB segments instead of
// 16 MB keep it to a few MB (the checker also checkpoints every 20 checks).
const initDbStartParams = ['--wal-segsize=1'];
const db = new PGlite({ initDbStartParams });
await db.waitReady;
const dump = await db.dumpDataDir('gzip');
await db.close();
fs.mkdirSync(path.dirname(out), { recursive: true });
// Written aside then renamed, so a half-written dump is never taken for a good one.
const partial = `${out}.${process.pid}.partial`;
fs.writeFileSync(partial, Buffer.from(await dump.arrayBuffer()));
fs.renameSync(partial, out);
fs.writeFileSync(stamp, `${JSON.stringify({ pglite: version, walSegsizeMb: 1, made: new Date().toISOString() })}\n`);
const copied = copyExtensions();
console.log(`make-pgdata: wrote ${path.relative(root, out)} (${(fs.statSync(out).size / 1048576).toFixed(1)} MB, PGlite ${version}) in ${((Date.now() - started) / 1000).toFixed(1)} s; ${copied} extension bundles copied`);
