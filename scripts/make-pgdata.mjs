// Makes the pre-initialised Postgres data dir the SQL checker starts from (about 1 s instead of 3+ s of
// initdb): runs PGlite's initdb once and writes its data dir to dist/pglite/pgdata.tar, with the extension
// bundles the checker can load beside it (dist/pglite/extensions/). An `--out` ending in `.gz` is gzipped;
// the shipped one is a plain tar: inflating it cost a cold start about 0.2 s, and the .vsix (a zip)
// compresses it as well anyway.
// Idempotent and fast: nothing to do when the dump is there and was made by the installed PGlite with the
// same settings; and since the build empties dist/, a copy kept in node_modules/.cache is reused (a copy,
// not a 4 s initdb).
//   node scripts/make-pgdata.mjs [--out FILE] [--force] [--no-extensions] [--no-cache]
import fs from 'node:fs';
import { gunzipSync, gzipSync } from 'node:zlib';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const args = process.argv.slice(2);
const outArg = args.indexOf('--out');
const out = path.resolve(outArg !== -1 ? args[outArg + 1] : path.join(root, 'dist', 'pglite', 'pgdata.tar'));
const cache = args.includes('--no-cache') ? undefined : path.join(root, 'node_modules', '.cache', 'backend-architect', 'pgdata.tar.gz');
const require = createRequire(path.join(root, 'package.json'));
const pgliteDir = path.dirname(require.resolve('@electric-sql/pglite'));
const version = JSON.parse(fs.readFileSync(path.join(pgliteDir, '..', 'package.json'), 'utf8')).version;
// WAL lives in the worker's memory and PGlite never checkpoints on its own: 1 MB segments instead of
// 16 MB keep it to a few MB (the checker also checkpoints every 20 checks). Part of the stamp: a dump
// made with other settings is made again.
const initDbStartParams = ['--wal-segsize=1'];
// template0 and template1 (base/4, base/1) are left out: the checker never creates a database (CREATE DATABASE
// is refused before it runs), and each is 7 MB that every start unpacks and copies several times (measured:
// the dump's size drove the checker's start-up memory). Part of the stamp too.
const dropped = ['/base/1/', '/base/4/'];
// Of the WAL segments initdb leaves (seven of 1 MB, most of them recycled ones named ahead for later use), only
// the ones holding the last checkpoint and the current write position are kept: Postgres makes new segments
// as it needs them. The others were 45% of the dump that every start unpacks.
const wal = 'checkpoint-and-current';
const settings = { pglite: version, initDbStartParams, dropped, wal };

// Keep in step with extensionBundles in src/artifacts/sql/pgliteWorker.ts.
const bundles = ['uuid-ossp', 'pgcrypto', 'citext', 'hstore', 'pg_trgm', 'ltree', 'btree_gist', 'btree_gin', 'cube',
  'earthdistance', 'fuzzystrmatch', 'intarray', 'isn', 'seg', 'tablefunc', 'unaccent', 'dict_int', 'dict_xsyn', 'bloom',
  'lo', 'tsm_system_rows', 'tsm_system_time', 'spi'];

const rel = file => path.relative(root, file);

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

/** True when `file` exists and its stamp (`file.json`) says it was made with these settings. */
function upToDate(file) {
  try {
    const made = JSON.parse(fs.readFileSync(`${file}.json`, 'utf8'));
    return fs.existsSync(file) && JSON.stringify({ pglite: made.pglite, initDbStartParams: made.initDbStartParams, dropped: made.dropped, wal: made.wal }) === JSON.stringify(settings);
  } catch {
    return false;
  }
}

/** Writes aside then renames, so a half-written dump is never taken for a good one. */
function install(bytes, file) {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const partial = `${file}.${process.pid}.partial`;
  fs.writeFileSync(partial, file.endsWith('.gz') ? bytes : gunzipSync(bytes));
  fs.renameSync(partial, file);
  fs.writeFileSync(`${file}.json`, `${JSON.stringify({ ...settings, made: new Date().toISOString() })}\n`);
}

/**
 * The entries of a tar: its name and where its blocks start and end. Tar is 512-byte blocks: a header (name at 0,
 * size in octal at 124), then the content rounded up to whole blocks; a zero block ends it.
 */
function* tarEntries(tar) {
  for (let at = 0; at + 512 <= tar.length;) {
    const header = tar.subarray(at, at + 512);
    if (header.every(b => b === 0)) { return; }
    const name = header.subarray(0, 100).toString('utf8').replace(/\0.*$/s, '');
    const size = parseInt(header.subarray(124, 136).toString('utf8').replace(/\0.*$/s, '').trim() || '0', 8);
    const end = at + 512 + Math.ceil(size / 512) * 512;
    yield { name, start: at, end };
    at = end;
  }
}

/** A tar without the entries whose names start with one of `prefixes` (two zero blocks end it). */
function dropFromTar(tar, prefixes) {
  const kept = [...tarEntries(tar)].filter(e => !prefixes.some(p => e.name.startsWith(p))).map(e => tar.subarray(e.start, e.end));
  kept.push(Buffer.alloc(1024));
  return Buffer.concat(kept);
}

/** Names of the WAL segment files in a tar (24 hexadecimal digits under pg_wal/). */
function walSegments(tar) {
  return [...tarEntries(tar)].map(e => e.name).filter(name => /pg_wal\/[0-9A-F]{24}$/.test(name));
}

async function makeDump() {
  const { PGlite } = require('@electric-sql/pglite');
  const db = new PGlite({ initDbStartParams });
  await db.waitReady;
  const dump = await db.dumpDataDir('gzip');
  // Asked after the dump, so that a checkpoint the dump may have made is the one seen.
  const { rows: [needed] } = await db.query(`SELECT (pg_control_checkpoint()).redo_wal_file AS redo, pg_walfile_name(pg_current_wal_lsn()) AS current`);
  await db.close();
  const tar = gunzipSync(Buffer.from(await dump.arrayBuffer()));
  const keep = new Set([needed.redo, needed.current]);
  const otherWal = walSegments(tar).filter(name => !keep.has(name.split('/').pop()));
  return gzipSync(dropFromTar(tar, [...dropped, ...otherWal]), { level: 9 });
}

const started = Date.now();
let how;
if (!args.includes('--force') && upToDate(out)) {
  how = 'is up to date';
} else if (!args.includes('--force') && cache && upToDate(cache)) {
  install(fs.readFileSync(cache), out);
  how = `copied from ${rel(cache)}`;
} else {
  const bytes = await makeDump();
  install(bytes, out);
  if (cache) { install(bytes, cache); }
  how = `made (initdb) in ${((Date.now() - started) / 1000).toFixed(1)} s`;
}
const copied = copyExtensions();
console.log(`make-pgdata: ${rel(out)} ${how} (${(fs.statSync(out).size / 1048576).toFixed(1)} MB, PGlite ${version})` +
  `${copied ? `; ${copied} extension bundles copied` : ''}`);
