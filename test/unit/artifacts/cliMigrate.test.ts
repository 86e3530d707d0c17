/** `backend-architect migrate`: real folders on disk, the real SQL checker (PGlite in its worker). */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { runMigrateCommand } from '../../../src/artifacts/cliMigrate';
import { ensureDataDump, testOptions } from './sql/sqlTestSupport';

interface Run { code: number; stdout: string; stderr: string }

describe('backend-architect migrate', function () {
  this.timeout(120_000);
  let tmp: string;
  before(ensureDataDump);
  beforeEach(() => { tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'ba-migrate-')); });
  afterEach(() => fs.rmSync(tmp, { recursive: true, force: true }));

  const write = (rel: string, text: string): void => {
    fs.mkdirSync(path.dirname(path.join(tmp, rel)), { recursive: true });
    fs.writeFileSync(path.join(tmp, rel), text);
  };
  async function migrate(...args: string[]): Promise<Run> {
    let stdout = '';
    let stderr = '';
    const io = { stdout: (s: string) => { stdout += s; }, stderr: (s: string) => { stderr += s; } };
    const code = await runMigrateCommand(args, io, { cwd: tmp, sql: testOptions(), now: new Date('2026-01-02T03:04:05Z') });
    return { code, stdout, stderr };
  }

  it('prints the next Flyway migration with its destructive step marked, and lists what it did not read', async () => {
    write('db/V1__init.sql', 'CREATE TABLE users (id int PRIMARY KEY, name text, fax text);\n');
    write('db/V2__orders.sql', 'CREATE TABLE orders (id int PRIMARY KEY, user_id int REFERENCES users(id));\n');
    write('db/V3__Backfill.java', 'class V3__Backfill {}\n');
    write('schema.sql', 'CREATE TABLE users (id int PRIMARY KEY, name text NOT NULL, email text);\nCREATE TABLE orders (id int PRIMARY KEY, user_id int REFERENCES users(id));\n');
    const r = await migrate('--from', 'db', '--to', 'schema.sql', '--name', 'users email');
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /^-- Next migration for db \(flyway\): db\/V3__users_email\.sql\n/);
    assert.match(r.stdout, /ALTER TABLE users ADD COLUMN email text;/);
    assert.match(r.stdout, /-- DESTRUCTIVE: drops column fax of users and its data\nALTER TABLE users DROP COLUMN fax;/);
    assert.match(r.stderr, /db\/V3__Backfill\.java: written as Java\/Kotlin code \(Flyway Java migrations\): not read/);
    assert.match(r.stderr, /checked: they reach the target schema/);
  });

  it('prints a single comment when the migrations already build the schema', async () => {
    write('m/0001_init.sql', 'CREATE TABLE a (id int PRIMARY KEY);\n');
    write('schema.sql', 'CREATE TABLE a (id int PRIMARY KEY);\n');
    const r = await migrate('--from', 'm', '--to', 'schema.sql');
    assert.deepEqual([r.code, r.stdout], [0, '-- No changes: the migrations already build this schema.\n']);
  });

  it('applies only the up part of dbmate files (their down part would drop the table)', async () => {
    write('db/migrations/20240101000000_init.sql', '-- migrate:up\nCREATE TABLE a (id int PRIMARY KEY);\n\n-- migrate:down\nDROP TABLE a;\n');
    write('schema.sql', 'CREATE TABLE a (id int PRIMARY KEY, note text);\n');
    const r = await migrate('--from=db/migrations', '--to=schema.sql', '--json');
    assert.equal(r.code, 0, r.stderr);
    const json = JSON.parse(r.stdout) as { tool: string; file: string; steps: Array<{ sql: string }> };
    assert.equal(json.tool, 'dbmate');
    assert.equal(json.file, path.join('db', 'migrations', '20260102030405_schema_change.sql'));
    assert.deepEqual(json.steps.map(s => s.sql), ['ALTER TABLE a ADD COLUMN note text;']);
  });

  it('fails with exit 1 and the file and line when a migration does not apply', async () => {
    write('m/0001_init.sql', 'CREATE TABLE a (id int PRIMARY KEY);\n');
    write('m/0002_bad.sql', '\nALTER TABLE missing ADD COLUMN x int;\n');
    write('schema.sql', 'CREATE TABLE a (id int PRIMARY KEY);\n');
    const r = await migrate('--from', 'm', '--to', 'schema.sql');
    assert.equal(r.code, 1);
    assert.equal(r.stdout, '');
    assert.match(r.stderr, /m\/0002_bad\.sql:2:\d+: error: relation "missing" does not exist/);
  });

  it('exits 2 for missing arguments and unreadable paths', async () => {
    assert.equal((await migrate('--from', 'nowhere')).code, 2);
    const missing = await migrate('--from', 'nowhere', '--to', 'schema.sql');
    assert.equal(missing.code, 2);
    assert.match(missing.stderr, /cannot read nowhere: no such file or folder/);
    const help = await migrate('--help');
    assert.equal(help.code, 0);
    assert.match(help.stdout, /^Usage: backend-architect migrate --from MIGRATIONS_DIR --to SCHEMA\.sql/);
  });
});
